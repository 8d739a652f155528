import type { CheckResult, Control } from "../../types";
import { packageOf, regionOf, REGIONAL_PACKAGES } from "../lib/cloud";
import { notApplicable, verdict, violation } from "../lib/results";
import { ofTypes } from "../lib/indexes";
import { verifiedSection } from "../lib/snc";
import { socleMetadata, stackView } from "../lib/stack";
import { nonEmptyString } from "../lib/values";

export const control: Control = {
  id: "snc-cloud-region-allowlist",
  title: {
    fr: "Les ressources sont créées dans une région autorisée",
    en: "Resources are created in an allowed region",
  },
  snc: verifiedSection("19", "19.2", "Localisation des données"),
  severity: "critical",
  enforcement: "mandatory",
  rationale:
    "SecNumCloud requires the customer's data to be stored and processed within the European Union (19.2.b). The allowed regions are the qualified regions of the hosting provider; a resource created elsewhere, even by mistake, puts data outside the qualified perimeter.",
  remediation:
    "Set the resource's `region` (OpenStack) or subregion (Outscale) to one of the allowed regions, or set the provider's region. If the region is qualified but missing from the list, add it to the stack's `allowedRegions` after checking the provider's qualification certificate.",
  evidence: [
    "openstack:* and outscale:* resources: `region`, `subregionName`, `placementSubregionName`, else the region of their provider resource",
    "pulumi:providers:openstack / pulumi:providers:outscale `region`",
    "pulumi:pulumi:Stack output `socle.region`",
  ],
  check(resources, ctx) {
    const allowed = new Set(ctx.allowedRegions);
    const results: CheckResult[] = [];
    const socle = socleMetadata(resources);
    if (socle && nonEmptyString(socle.region)) {
      const region = socle.region;
      results.push(
        verdict(
          stackView(resources),
          allowed.has(region) ? [] : [violation(`the stack's region ${region} is not an allowed region (${listOf(ctx.allowedRegions)})`, "socle.region")],
          `stack region ${region} is allowed`,
        ),
      );
    }
    for (const view of ofTypes(resources, (type) => (REGIONAL_PACKAGES as readonly string[]).includes(packageOf(type)))) {
      const found = regionOf(resources, view);
      if (!found) {
        results.push(notApplicable(view, "the resource records no region, subregion or provider region"));
        continue;
      }
      results.push(
        verdict(
          view,
          allowed.has(found.region) ? [] : [violation(`region ${found.region} (from ${found.from}) is not an allowed region (${listOf(ctx.allowedRegions)})`, found.from.startsWith("provider") ? undefined : found.from)],
          `region ${found.region} (from ${found.from}) is allowed`,
        ),
      );
    }
    return results;
  },
};

const listOf = (regions: readonly string[]): string => (regions.length > 0 ? `allowed: ${regions.join(", ")}` : "no region is allowed");
