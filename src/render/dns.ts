import type { StateExport } from "./state";

/** Gateway API kinds whose hostnames the gateway serves (gateway.networking.k8s.io). */
const ROUTE_TYPES = /^kubernetes:gateway\.networking\.k8s\.io\/[^:]+:(HTTPRoute|GRPCRoute|TLSRoute)$/;
const GATEWAY_TYPE = /^kubernetes:gateway\.networking\.k8s\.io\/[^:]+:Gateway$/;

/** Code-point order: the same bytes under every locale. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `dns-records.txt`: every record the operator must publish. One `A` record per hostname the gateway serves
 * (its listeners' and routes' hostnames), pointing at the gateway's external address, which only the cloud knows
 * (after `pulumi up`), so written as a commented template; then the mail domain's records (stack output
 * `apps.mail.dnsRecords`) when the stack deploys mail. Null when the stack serves no hostname at all.
 */
export function dnsRecordsFile(state: StateExport): string | null {
  const resources = state.deployment.resources;
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const apps = (stack?.outputs as { apps?: { mail?: { dnsRecords?: unknown } } } | undefined)?.apps;
  const records = apps?.mail?.dnsRecords;
  if (records !== undefined && (!Array.isArray(records) || !records.every((r) => typeof r === "string"))) {
    throw new Error("stack output apps.mail.dnsRecords must be a list of zone-file lines (strings)");
  }
  const mail = (records ?? []) as string[];

  const hostnames = new Set<string>();
  let gateway: { namespace?: string; name?: string } | undefined;
  for (const r of resources) {
    const spec = (r.inputs as { spec?: { listeners?: { hostname?: unknown }[]; hostnames?: unknown[] } } | undefined)?.spec;
    if (GATEWAY_TYPE.test(r.type)) {
      const meta = (r.inputs as { metadata?: { namespace?: string; name?: string } }).metadata;
      gateway ??= { ...(meta?.namespace ? { namespace: meta.namespace } : {}), ...(meta?.name ? { name: meta.name } : {}) };
      for (const l of spec?.listeners ?? []) if (typeof l?.hostname === "string") hostnames.add(l.hostname);
    } else if (ROUTE_TYPES.test(r.type)) {
      for (const h of spec?.hostnames ?? []) if (typeof h === "string") hostnames.add(h);
    }
  }
  // Wildcards are not records to publish one by one; the mail block already carries its own hostnames.
  const covered = (h: string) => mail.some((line) => line.replace(/^;\s*/, "").startsWith(`${h}. `));
  const hosts = [...hostnames].filter((h) => !h.startsWith("*") && !covered(h)).sort(byCodePoint);
  if (hosts.length === 0 && mail.length === 0) return null;

  const where = gateway?.name ? `kubectl -n ${gateway.namespace ?? "default"} get gateway ${gateway.name} -o jsonpath='{.status.addresses[0].value}'` : "the gateway's status";
  const lines = [
    "; DNS records to publish for this stack (written by socle render).",
    `; Application hostnames point at the gateway's external address, known after \`pulumi up\`: ${where}.`,
    "; Replace <external address of the gateway> and remove the leading \"; \" of each A record.",
    ...hosts.map((h) => `; ${h}. 3600 IN A <external address of the gateway>`),
    ...mail,
  ];
  return lines.join("\n") + "\n";
}
