import type { StateExport } from "./state";

/**
 * `dns-records.txt`: the zone-file lines of the mail domain (stack output `apps.mail.dnsRecords`), for the
 * operator to publish. Absent (null) when the stack deploys no mail.
 */
export function dnsRecordsFile(state: StateExport): string | null {
  const stack = state.deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const apps = (stack?.outputs as { apps?: { mail?: { dnsRecords?: unknown } } } | undefined)?.apps;
  const records = apps?.mail?.dnsRecords;
  if (records === undefined) return null;
  if (!Array.isArray(records) || !records.every((r) => typeof r === "string")) {
    throw new Error("stack output apps.mail.dnsRecords must be a list of zone-file lines (strings)");
  }
  return records.join("\n") + "\n";
}
