import { cents, DEFAULT_TARGET_NOTE, type TenantCost } from "./cost";
import type { PriceSheet } from "./prices";

export type UsageFormat = "table" | "csv" | "json";
/** Where the target came from: socle's default (unsourced) or the operator's `--target-per-user`. */
export type TargetFrom = "default" | "--target-per-user";

const fixed = (x: number, d = 2): string => cents(x).toFixed(d);
const gib = (x: number): string => (Math.round(x * 1000) / 1000).toFixed(3);

const HEADER = ["tenant", "plan", "users", "vcpu", "ram_gib", "block_gib", "object_gib", "eur_per_month", "eur_per_user_year", "target_eur_per_user_year", "within_target"] as const;

function cells(c: TenantCost): string[] {
  return [
    c.tenant,
    c.plan,
    String(c.users),
    (Math.round(c.vcpu * 1000) / 1000).toFixed(3),
    gib(c.ramGiB),
    gib(c.blockGiB),
    c.objectGiB === null ? "not metered" : gib(c.objectGiB),
    fixed(c.monthly.total),
    fixed(c.perUserYear),
    fixed(c.target),
    c.withinTarget ? "yes" : "no",
  ];
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function renderUsage(costs: readonly TenantCost[], sheet: PriceSheet, format: UsageFormat, targetFrom: TargetFrom = "--target-per-user"): string {
  if (format === "csv") return [HEADER.join(","), ...costs.map((c) => cells(c).map(csvField).join(","))].join("\r\n") + "\r\n";
  if (format === "json") {
    return (
      JSON.stringify(
        {
          currency: sheet.currency,
          illustrativePrices: sheet.illustrative,
          ...(sheet.source !== undefined ? { priceSource: sheet.source } : {}),
          prices: sheet.prices,
          targetSource: targetFrom === "default" ? `default: ${DEFAULT_TARGET_NOTE}` : "--target-per-user",
          tenants: costs.map((c) => ({
            tenant: c.tenant,
            plan: c.plan,
            users: c.users,
            usersFrom: c.usersFrom,
            requested: {
              cpuMillicores: c.usage.cpuMillicores,
              memoryBytes: c.usage.memoryBytes,
              blockBytes: c.usage.blockBytes,
              object: c.usage.object.metered ? { metered: true, bytes: c.usage.object.bytes, buckets: c.usage.object.buckets } : { metered: false, buckets: c.usage.object.buckets },
            },
            eurPerMonth: { cpu: cents(c.monthly.cpu), ram: cents(c.monthly.ram), block: cents(c.monthly.block), object: cents(c.monthly.object), total: cents(c.monthly.total) },
            eurPerUserYear: cents(c.perUserYear),
            targetEurPerUserYear: c.target,
            withinTarget: c.withinTarget,
            counted: c.usage.counted,
            excluded: c.usage.excluded,
            unmeasured: c.usage.unmeasured,
          })),
        },
        null,
        2,
      ) + "\n"
    );
  }
  const head = ["tenant", "plan", "users", "vCPU", "RAM GiB", "block GiB", "object GiB", "€/month", "€/user/year", "target", "within"];
  const rows = costs.map(cells);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => r.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join("  ").trimEnd();
  const out = [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  if (sheet.illustrative) out.push("", "Prices: ILLUSTRATIVE (the sheet says so), not a real tariff.");
  if (targetFrom === "default") out.push(`Target: ${DEFAULT_TARGET_NOTE}.`);
  if (costs.some((c) => c.objectGiB === null)) out.push("Object storage: not metered where no bucket declares a quota (docs/hosters.md, \"Plans and prices\").");
  const unmeasured = costs.reduce((n, c) => n + c.usage.unmeasured.length, 0);
  if (unmeasured) out.push(`${unmeasured} request(s) absent or unreadable, counted as 0: see --format json ("unmeasured").`);
  return out.join("\n") + "\n";
}
