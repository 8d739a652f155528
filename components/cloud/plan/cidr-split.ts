import { cidrSize, cidrsOverlap, formatCidr, parseCidr, type Cidr } from "../../../src/model/cidr";

/**
 * The Kubernetes networks socle gives RKE2 (they are RKE2's defaults, docs.rke2.io server configuration
 * `cluster-cidr` and `service-cidr`) and OKS (`cidr_pods`, `cidr_service`). The node network must not overlap them.
 */
export const POD_CIDR = "10.42.0.0/16";
export const SERVICE_CIDR = "10.43.0.0/16";

/** The smallest subnet socle carves: a /28 leaves 11 usable addresses on OpenStack and Outscale (5 reserved). */
export const SMALLEST_SUBNET_PREFIX = 28;

/**
 * Splits a network into `count` equal subnets, the smallest power of two that holds them: subnet i is the
 * i-th block. Throws when the network is not a CIDR or is too small for subnets of at least a /28.
 */
export function splitCidr(network: string, count: number): string[] {
  const net = parseCidr(network);
  if (!net) throw new Error(`splitCidr: ${network} is not an IPv4 CIDR`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`splitCidr: count must be a positive integer, got ${count}`);
  const prefix = net.prefix + Math.ceil(Math.log2(count));
  if (prefix > SMALLEST_SUBNET_PREFIX) throw new Error(`splitCidr: ${network} is too small for ${count} subnets of at least /${SMALLEST_SUBNET_PREFIX}`);
  const size = cidrSize({ base: 0, prefix });
  return Array.from({ length: count }, (_, i) => formatCidr({ base: (net.base + i * size) >>> 0, prefix }));
}

/** True when `network` can hold `count` subnets of at least a /28. */
export function canSplit(network: string, count: number): boolean {
  const net = parseCidr(network);
  return net !== undefined && count >= 1 && net.prefix + Math.ceil(Math.log2(count)) <= SMALLEST_SUBNET_PREFIX;
}

export interface ZoneSubnet {
  readonly zone: string;
  readonly cidr: string;
}

/**
 * Subnet plan of a node network: one private subnet per zone, in zone order, and optionally one extra
 * subnet (the last block) for public-facing services (Outscale's NAT service and internet-facing LBU).
 */
export function planSubnets(network: string, zones: readonly string[], withPublic: boolean): { readonly zones: readonly ZoneSubnet[]; readonly public?: string } {
  const blocks = splitCidr(network, zones.length + (withPublic ? 1 : 0));
  const zoneSubnets = zones.map((zone, i) => ({ zone, cidr: blocks[i]! }));
  return withPublic ? { zones: zoneSubnets, public: blocks[zones.length]! } : { zones: zoneSubnets };
}

/** Pairs of the given named networks that overlap. Invalid CIDRs are skipped (the schema reports them). */
export function overlaps(networks: Readonly<Record<string, string>>): [string, string][] {
  const parsed = Object.entries(networks)
    .map(([name, text]) => [name, parseCidr(text)] as const)
    .filter((e): e is readonly [string, Cidr] => e[1] !== undefined);
  const out: [string, string][] = [];
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) if (cidrsOverlap(parsed[i]![1], parsed[j]![1])) out.push([parsed[i]![0], parsed[j]![0]]);
  }
  return out;
}
