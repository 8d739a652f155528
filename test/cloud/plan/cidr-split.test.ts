import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrsOverlap, formatCidr, parseCidr } from "../../../src/model/cidr";
import { canSplit, planSubnets, splitCidr } from "../../../components/cloud/plan/cidr-split";

const network = fc.record({ base: fc.integer({ min: 0, max: 0xffffffff }), prefix: fc.integer({ min: 8, max: 26 }) }).map(({ base, prefix }) => {
  const mask = (0xffffffff << (32 - prefix)) >>> 0;
  return formatCidr({ base: (base & mask) >>> 0, prefix });
});

describe("CIDR planning", () => {
  it("splits a network into disjoint subnets that all lie inside it", () => {
    fc.assert(
      fc.property(network, fc.integer({ min: 1, max: 9 }), (net, count) => {
        fc.pre(canSplit(net, count));
        const parts = splitCidr(net, count).map((c) => parseCidr(c)!);
        const outer = parseCidr(net)!;
        expect(parts).toHaveLength(count);
        for (let i = 0; i < parts.length; i++) {
          expect(parts[i]!.base >= outer.base && parts[i]!.base + 2 ** (32 - parts[i]!.prefix) <= outer.base + 2 ** (32 - outer.prefix)).toBe(true);
          for (let j = i + 1; j < parts.length; j++) expect(cidrsOverlap(parts[i]!, parts[j]!)).toBe(false);
        }
      }),
    );
  });

  it("refuses a network too small for the subnets, and canSplit agrees with splitCidr", () => {
    fc.assert(
      fc.property(network, fc.integer({ min: 1, max: 40 }), (net, count) => {
        if (canSplit(net, count)) expect(splitCidr(net, count)).toHaveLength(count);
        else expect(() => splitCidr(net, count)).toThrow(/too small/);
      }),
    );
  });

  it("gives each zone its own subnet and keeps the public one apart", () => {
    const plan = planSubnets("10.30.0.0/16", ["a", "b", "c"], true);
    expect(plan.zones).toEqual([
      { zone: "a", cidr: "10.30.0.0/18" },
      { zone: "b", cidr: "10.30.64.0/18" },
      { zone: "c", cidr: "10.30.128.0/18" },
    ]);
    expect(plan.public).toBe("10.30.192.0/18");
  });
});
