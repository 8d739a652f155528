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
