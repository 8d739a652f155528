import type { CheckResult, Control } from "../../types";
import { packageOf } from "../lib/cloud";
import { notApplicable, verdict, violation } from "../lib/results";
import { ofTypes } from "../lib/indexes";
import { verifiedSection } from "../lib/snc";
import { stackView } from "../lib/stack";

/**
 * Pulumi packages that drive cloud services of companies headquartered outside the European Union
 * (United States, China), hence subject to extra-European law such as the US CLOUD Act.
 */
export const EXTRA_EU_PACKAGES: Readonly<Record<string, string>> = {
  aws: "Amazon Web Services (United States)",
  "aws-native": "Amazon Web Services (United States)",
  awsx: "Amazon Web Services (United States)",
  eks: "Amazon Web Services (United States)",
  azure: "Microsoft Azure (United States)",
  "azure-native": "Microsoft Azure (United States)",
  azuread: "Microsoft Entra ID (United States)",
  gcp: "Google Cloud (United States)",
  "google-native": "Google Cloud (United States)",
  oci: "Oracle Cloud (United States)",
  digitalocean: "DigitalOcean (United States)",
  linode: "Akamai Linode (United States)",
  ibm: "IBM Cloud (United States)",
  cloudflare: "Cloudflare (United States)",
  alicloud: "Alibaba Cloud (China)",
};

export const control: Control = {
  id: "snc-cloud-eu-jurisdiction",
  title: {
    fr: "Aucun fournisseur soumis à un droit extra-européen",
    en: "No provider subject to extra-European law",
  },
  snc: verifiedSection("19", "19.6", "Protection vis-à-vis du droit extra-européen"),
  severity: "critical",
  enforcement: "mandatory",
  rationale:
    "SecNumCloud 19.6 requires that no third party subject to the law of a non-EU state can technically obtain the data operated through the service. A resource created with the provider package of a non-EU hyperscaler, or a declared hosting provider outside EU jurisdiction, breaks that requirement whatever the region.",
  remediation:
    "Remove the resource or move it to the qualified provider (OpenStack or Outscale). If a package is used only against a sovereign endpoint (for example an S3-compatible API of the qualified provider through the `aws` package), record a waiver naming the endpoint. Correct `provider.euJurisdiction` in the stack file if it is wrong.",
  evidence: [
    "every resource's type token package (and `pulumi:providers:<package>`) against a list of non-EU cloud packages",
    "stack output `socle.provider.euJurisdiction`",
  ],
  check(resources, ctx) {
    const results: CheckResult[] = [];
    const stack = stackView(resources);
    if (ctx.provider) {
      results.push(
        verdict(
          stack,
          ctx.provider.euJurisdiction ? [] : [violation(`the declared hosting provider ${ctx.provider.name} is not under EU jurisdiction`, "socle.provider.euJurisdiction")],
          `hosting provider ${ctx.provider.name} is declared under EU jurisdiction`,
        ),
      );
    } else {
      results.push(notApplicable(stack, "no hosting provider is declared (see snc-cloud-provider-attestation)"));
    }
    for (const view of ofTypes(resources, (type) => EXTRA_EU_PACKAGES[packageOf(type)] !== undefined)) {
      const pkg = packageOf(view.type);
      const owner = EXTRA_EU_PACKAGES[pkg];
      if (owner !== undefined) results.push(verdict(view, [violation(`${view.type} is a resource of package ${pkg}: ${owner}, subject to extra-European law`)]));
    }
    return results;
  },
};
