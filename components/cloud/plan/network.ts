import { cidrSize, cidrsOverlap, formatCidr, parseCidr, type Cidr } from "../../../src/config/cidr";

/** RKE2's default pod and service networks (docs.rke2.io, server configuration `cluster-cidr`, `service-cidr`). */
export const POD_CIDR = "10.42.0.0/16";
export const SERVICE_CIDR = "10.43.0.0/16";

/**
 * Splits a network into `count` equal subnets, the smallest power of two that holds them: subnet i is the
 * i-th block. Pure; throws when the network is too small (each subnet needs at least a /28).
 */
export function splitCidr(network: string, count: number): string[] {
  const net = parseCidr(network);
  if (!net) throw new Error(`splitCidr: ${network} is not an IPv4 CIDR`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`splitCidr: count must be a positive integer, got ${count}`);
  const bits = Math.ceil(Math.log2(count));
  const prefix = net.prefix + bits;
  if (prefix > 28) throw new Error(`splitCidr: ${network} is too small for ${count} subnets of at least /28`);
  const size = cidrSize({ base: 0, prefix });
  return Array.from({ length: count }, (_, i) => formatCidr({ base: (net.base + i * size) >>> 0, prefix }));
}

/** One subnet per zone, in zone order. */
export function subnetsPerZone(network: string, zones: readonly string[]): { zone: string; cidr: string }[] {
  return splitCidr(network, zones.length).map((cidr, i) => ({ zone: zones[i]!, cidr }));
}

/** Pairs of the given named networks that overlap (the node network must not overlap pods or services). */
export function overlaps(networks: Readonly<Record<string, string>>): [string, string][] {
  const parsed = Object.entries(networks)
    .map(([name, text]) => [name, parseCidr(text)] as const)
    .filter((e): e is readonly [string, Cidr] => e[1] !== undefined);
  const out: [string, string][] = [];
  for (let i = 0; i < parsed.length; i++) for (let j = i + 1; j < parsed.length; j++) if (cidrsOverlap(parsed[i]![1], parsed[j]![1])) out.push([parsed[i]![0], parsed[j]![0]]);
  return out;
}
