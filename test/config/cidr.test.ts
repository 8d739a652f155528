import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrsOverlap, formatCidr, isWorldOpen, parseCidr } from "../../src/model/cidr";

describe("CIDR helpers", () => {
  it("parse and format are inverse on every valid network", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (addr, prefix) => {
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        const text = formatCidr({ base: (addr & mask) >>> 0, prefix });
        expect(formatCidr(parseCidr(text)!)).toBe(text);
      }),
    );
  });

  it("rejects host bits, bad octets and bad prefixes", () => {
    for (const bad of ["10.0.0.1/8", "256.0.0.0/8", "10.0.0.0/33", "10.0.0.0", "a.b.c.d/8"]) expect(parseCidr(bad)).toBeUndefined();
  });

  it("overlap is symmetric and a network overlaps its own halves", () => {
    expect(cidrsOverlap(parseCidr("10.0.0.0/16")!, parseCidr("10.0.128.0/17")!)).toBe(true);
    expect(cidrsOverlap(parseCidr("10.0.0.0/17")!, parseCidr("10.0.128.0/17")!)).toBe(false);
    expect(isWorldOpen("0.0.0.0/0")).toBe(true);
    expect(isWorldOpen("10.0.0.0/8")).toBe(false);
  });
});

describe("address ranges (exposure checks work on addresses, not spelling)", () => {
  it("parses IPv4 and IPv6 ranges and refuses host bits and junk", async () => {
    const { parseRange, rangeSize } = await import("../../policies/controls/lib/address-ranges");
    expect(parseRange("10.0.0.0/8")).toEqual({ family: 4, base: 10n << 24n, prefix: 8 });
    expect(parseRange("2001:db8::/32")).toEqual({ family: 6, base: 0x20010db8n << 96n, prefix: 32 });
    expect(parseRange("::/0")?.prefix).toBe(0);
    expect(rangeSize(parseRange("::/0")!)).toBe(1n << 128n);
    for (const bad of ["10.0.0.1/8", "1.2.3.4", "2001:db8::1/32", "1:2:3:4:5:6:7:8:9/128", "x/1", "::/129", "300.0.0.0/8"]) expect(parseRange(bad), bad).toBeUndefined();
  });

  it("counts the public addresses of a union of ranges, overlaps once, private space excluded", async () => {
    const { parseRange, publicAddressCount } = await import("../../policies/controls/lib/address-ranges");
    const count = (...t: string[]) => publicAddressCount(t.map((x) => parseRange(x)!));
    expect(count("203.0.113.0/24", "203.0.113.128/25")).toBe(256n);
    expect(count("10.0.0.0/8", "192.168.0.0/16")).toBe(0n);
    expect(count("0.0.0.0/0")).toBe((1n << 32n) - (1n << 24n) - (1n << 20n) - (1n << 16n) - (1n << 22n) - (1n << 24n) - (1n << 16n));
  });

  it("refuses in the configuration what the control would fail", async () => {
    const { parseConfig: parse, ConfigError: CE } = await import("../../src/config");
    const raw = { kind: "dedicated", organization: "m", organizationName: "M", domain: "m.example.fr", target: "existing", adminCidrs: [] as string[] };
    const issues = (cidrs: string[], extra: Record<string, unknown> = {}) => {
      try {
        parse({ ...raw, adminCidrs: cidrs, ...extra }, { project: "socle", stack: "t", file: "f" });
        return [];
      } catch (e) {
        expect(e).toBeInstanceOf(CE);
        return (e as InstanceType<typeof CE>).issues.map((i) => `${i.path}: ${i.problem}`);
      }
    };
    expect(issues(["192.0.2.0/24"])).toEqual([]);
    expect(issues(["0.0.0.0/1", "128.0.0.0/1"])[0]).toMatch(/^socle:adminCidrs\[0\]: is larger than a \/16/);
    expect(issues(["203.0.0.0/17", "203.1.0.0/17"])).toEqual([]); // exactly one /16's worth: allowed
    expect(issues(["203.0.0.0/17", "203.1.0.0/17", "203.2.0.0/17"])).toEqual(["socle:adminCidrs: together cover 98304 public IPv4 addresses, more than one /16 (65536)"]);
    expect(issues(["10.0.0.0/16"], { adminCidrMinPrefix: 24 })[0]).toMatch(/^socle:adminCidrs\[0\]: is larger than a \/24/);
    expect(issues(["10.0.0.0/8"], { adminCidrMinPrefix: 8 })).toEqual([]);
  });
});
