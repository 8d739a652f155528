/**
 * Address ranges of either family, for exposure checks: work on the addresses a range covers, never
 * on its spelling (`0.0.0.0/1` + `128.0.0.0/1` is the whole Internet, though neither is `/0`).
 * Pure functions, shared by the configuration (src/config/cidr.ts) and the controls.
 */
export interface AddressRange {
  readonly family: 4 | 6;
  /** First address, as an unsigned integer of 32 or 128 bits. */
  readonly base: bigint;
  readonly prefix: number;
}

/** Largest range allowed to reach administration ports by default: a /16 in IPv4 (65,536 addresses), a /48 in IPv6 (one site). */
export const DEFAULT_ADMIN_MIN_PREFIX = { 4: 16, 6: 48 } as const;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses an IPv4 or IPv6 CIDR (host bits must be zero); undefined when it is not one. */
export function parseRange(text: string): AddressRange | undefined {
  if (typeof text !== "string" || text.length > 64) return undefined;
  const v4 = IPV4.exec(text);
  if (v4) {
    const octets = v4.slice(1, 5).map(Number);
    const prefix = Number(v4[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
    if ((base & ((1n << BigInt(32 - prefix)) - 1n)) !== 0n) return undefined;
    return { family: 4, base, prefix };
  }
  const slash = text.lastIndexOf("/");
  if (slash < 0 || !text.includes(":")) return undefined;
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const addr = parseIpv6(text.slice(0, slash));
  if (addr === undefined || prefix > 128) return undefined;
  const hostBits = (1n << BigInt(128 - prefix)) - 1n;
  if ((addr & hostBits) !== 0n) return undefined;
  return { family: 6, base: addr, prefix };
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

export function rangeBits(r: Pick<AddressRange, "family">): number {
  return r.family === 4 ? 32 : 128;
}

export function rangeSize(r: AddressRange): bigint {
  return 1n << BigInt(rangeBits(r) - r.prefix);
}

/**
 * IPv4 ranges that are not reachable from the Internet (RFC 1918 private networks, RFC 6598 shared
 * address space, loopback, link-local; IANA IPv4 Special-Purpose Address Registry), and IPv6
 * unique-local (fc00::/7, RFC 4193), link-local (fe80::/10) and loopback.
 */
const NON_PUBLIC: readonly AddressRange[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"].map(
  (t) => parseRange(t)!,
);

/** Number of addresses of the union of `ranges` (one family) that are public: outside NON_PUBLIC. Linear after sorting. */
export function publicAddressCount(ranges: readonly AddressRange[]): bigint {
  if (ranges.length === 0) return 0n;
  const family = ranges[0]!.family;
  const intervals = ranges.filter((r) => r.family === family).map((r) => [r.base, r.base + rangeSize(r)] as const);
  const excluded = NON_PUBLIC.filter((r) => r.family === family).map((r) => [r.base, r.base + rangeSize(r)] as const);
  const merged = mergeIntervals(intervals);
  let total = 0n;
  for (const [a, b] of merged) {
    let size = b - a;
    for (const [x, y] of excluded) {
      const lo = a > x ? a : x;
      const hi = b < y ? b : y;
      if (hi > lo) size -= hi - lo; // the excluded ranges are disjoint
    }
    total += size;
  }
  return total;
}

function mergeIntervals(list: readonly (readonly [bigint, bigint])[]): [bigint, bigint][] {
  const sorted = [...list].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) {
      if (b > last[1]) last[1] = b;
    } else out.push([a, b]);
  }
  return out;
}

/**
 * Why a set of ranges reaching administration ports is too wide, or undefined when it is not: a
 * range larger than `/minPrefix` of its family, or public addresses (union of every range) more
 * than one `/minPrefix` holds.
 */
export function adminExposureProblems(texts: readonly string[], minPrefix: { 4: number; 6: number } = DEFAULT_ADMIN_MIN_PREFIX): { index: number; problem: string }[] {
  const problems: { index: number; problem: string }[] = [];
  const byFamily: Record<4 | 6, AddressRange[]> = { 4: [], 6: [] };
  texts.forEach((t, index) => {
    const r = parseRange(t);
    if (!r) {
      problems.push({ index, problem: "is not an address range (CIDR)" });
      return;
    }
    byFamily[r.family].push(r);
    if (r.prefix < minPrefix[r.family]) {
      problems.push({ index, problem: `is larger than a /${minPrefix[r.family]} (${r.prefix === 0 ? "every address" : `${rangeSize(r)} addresses`}): administration access must come from a bounded network` });
    }
  });
  for (const family of [4, 6] as const) {
    const limit = 1n << BigInt((family === 4 ? 32 : 128) - minPrefix[family]);
    const count = publicAddressCount(byFamily[family]);
    if (count > limit) {
      problems.push({ index: -1, problem: `together cover ${count} public IPv${family} addresses, more than one /${minPrefix[family]} (${limit})` });
    }
  }
  return problems;
}
