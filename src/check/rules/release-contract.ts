import { contractFor, releasesOf, RELEASE_CONTRACTS } from "../releases";
import type { CheckFinding, CheckRule } from "../types";
import { CAPSULE_CHART } from "../../../charts/platform/releases";

/** Each Helm release's pinned chart version has a contract (what it installs), read upstream at that version. */
export const releaseContract: CheckRule = {
  id: "release-contract",
  description: "Every Helm release pins a chart version whose contract (workloads, labels, hook Jobs, webhooks, API access) is recorded from the chart's templates at that version",
  run(model) {
    const out: CheckFinding[] = [];
    const releases = releasesOf(model.resources);
    // A tenant installs no release by design: the releases it relies on are its platform's, checked there.
    if (releases.length === 0 && model.objects.length > 0 && !model.platform) {
      out.push({
        rule: "release-contract",
        severity: "warning",
        object: "(input)",
        path: "",
        message:
          "not checked: the input holds no Helm release (a manifests folder never does), so what the releases install (their workloads, hook Jobs, webhooks and the API access they need) is not part of this check",
        fix: "check the state file (`socle check <stack>` or out/<stack>/state.json), which carries the releases",
      });
    }
    // A tenant's Capsule Tenant is admitted only where its platform installed Capsule. A platform stack renders
    // it (components/platform/capsule.ts): its absence means a platform rendered by an older socle.
    const tenants = model.objects.filter((o) => o.kind === "Tenant" && o.apiVersion.startsWith("capsule.clastix.io/"));
    if (tenants.length > 0 && model.platform?.found && !(model.platform.charts ?? []).includes(CAPSULE_CHART.chart)) {
      out.push({
        rule: "release-contract",
        severity: "warning",
        object: `Tenant/${tenants[0]!.metadata.name ?? ""}`,
        path: "apiVersion",
        message: `platform ${model.platform.stack} installs no Capsule release (its render predates the platform installing Capsule): the API server refuses this Tenant (no capsule.clastix.io CRDs) until Capsule ${CAPSULE_CHART.version} (${CAPSULE_CHART.chart}) is installed`,
        fix: `render and update the platform stack ${model.platform.stack} with this version of socle, which installs Capsule ${CAPSULE_CHART.version}, before the tenant's pulumi up (docs/components/platform.md, "Capsule: installed by the platform")`,
      });
    }
    for (const r of releases) {
      const object = `Release/${r.instance.namespace}/${r.instance.name}`;
      const c = contractFor(r.chart, r.version);
      if (!c) {
        const known = RELEASE_CONTRACTS.filter((k) => k.chart === r.chart).map((k) => k.version);
        out.push({
          rule: "release-contract",
          severity: "blocker",
          object,
          path: "version",
          message: `chart ${r.chart} version ${r.version || "(none)"} has no contract: what it installs (workloads, hook Jobs, webhooks, API access) is unknown, so no flow, reference or webhook it needs is checked${known.length ? ` (contracts exist for ${known.join(", ")})` : ""}`,
          fix: `add a contract for ${r.chart} ${r.version} in src/check/releases/, read from the chart's templates at that version, or pin a version that has one`,
        });
      } else if (c.unresolved) {
        out.push({
          rule: "release-contract",
          severity: "warning",
          object,
          path: "version",
          message: `the contract of ${r.chart} ${r.version} is not verified at that exact version: ${c.unresolved}`,
          fix: `re-read the chart's templates at ${r.version} and update src/check/releases/`,
        });
      }
    }
    return out;
  },
};
