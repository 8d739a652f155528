import type { PriceSheet } from "./prices";

/**
 * Hours in a month as OpenCost counts them: its cost model's `hoursPerMonth = 730.0` (365 × 24 ÷ 12), the
 * divisor its own default.json applies to storage (`"storage": "0.00005479452"` = 0.04 per GiB-month ÷ 730).
 */
export const OPENCOST_HOURS_PER_MONTH = 730;

/** Hourly price as OpenCost's custom provider reads it: a decimal string, 10 significant digits, same bytes every run. */
const hourly = (monthly: number): string => String(Number((monthly / OPENCOST_HOURS_PER_MONTH).toPrecision(10)));

/**
 * The ConfigMap of OpenCost's custom (on-premises) pricing, from the same price sheet `socle usage` reads.
 *
 * Format: opencost/opencost-website docs/configuration/on-prem.mdx ("Custom pricing using the OpenCost Helm
 * Chart", method 1): a `default.json` key holding `provider: custom`, `CPU` (per vCPU-hour: exported as
 * `node_cpu_hourly_cost`), `RAM` (per GiB-hour), `storage` (per GiB-hour of persistent volume), spot and GPU prices
 * and network egress prices, all as strings. The chart reads it with `opencost.customPricing.enabled: true`,
 * `configmapName: <name>`, `createConfigmap: false`. An on-premises platform has no spot nodes: spot prices are the
 * regular ones. GPU and network egress are not in the sheet: 0 (OpenCost's custom provider parses the egress
 * prices as numbers, pkg/cloud/provider/customprovider.go NetworkPricing, so they must be present).
 * The sheet's currency is EUR; OpenCost shows amounts without converting them.
 */
export function openCostPricingConfigMap(sheet: PriceSheet, meta: { name: string; namespace: string }): Record<string, unknown> {
  const p = sheet.prices;
  const model = {
    provider: "custom",
    description: `socle price sheet (EUR, monthly prices ÷ ${OPENCOST_HOURS_PER_MONTH} hours)${sheet.illustrative ? ": ILLUSTRATIVE prices" : ""}`,
    CPU: hourly(p.vcpuMonth),
    spotCPU: hourly(p.vcpuMonth),
    RAM: hourly(p.ramGiBMonth),
    spotRAM: hourly(p.ramGiBMonth),
    GPU: "0",
    storage: hourly(p.blockGiBMonth),
    zoneNetworkEgress: "0",
    regionNetworkEgress: "0",
    internetNetworkEgress: "0",
  };
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: meta.name, namespace: meta.namespace, labels: { "app.kubernetes.io/managed-by": "socle" } },
    data: { "default.json": JSON.stringify(model, null, 2) + "\n" },
  };
}
