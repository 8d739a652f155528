import { createHash } from "node:crypto";

/**
 * Name limits socle meets. Hostnames come from node names, so every name is a DNS label (63) unless the
 * provider's limit is shorter: Outscale load balancer names (32, outscale_load_balancer.load_balancer_name)
 * and OKS project and cluster names (40, starting with a letter: outscale_oks_project.name, outscale_oks_cluster.name).
 */
export const NAME_LIMITS = { dnsLabel: 63, outscaleLoadBalancer: 32, oks: 40 } as const;

/**
 * A cloud resource name: `<org>-<part>-<part>`, lowercase letters, digits and '-', starting with a letter,
 * at most `max` characters. A longer name is cut and suffixed with a short hash of the whole, so two
 * different inputs never collapse into one name.
 */
export function resourceName(org: string, parts: readonly (string | number)[], max: number = NAME_LIMITS.dnsLabel): string {
  if (max < 12) throw new Error(`resourceName: a limit of ${max} characters leaves no room for a unique name`);
  const raw = [org, ...parts.map(String)]
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
  const named = raw.length > 0 ? raw : "socle";
  if (named.length <= max) return named;
  const hash = createHash("sha256").update(named).digest("hex").slice(0, 8);
  return `${named.slice(0, max - 9).replace(/-+$/, "")}-${hash}`;
}
