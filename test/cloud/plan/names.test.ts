import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NAME_LIMITS, resourceName } from "../../../components/cloud/plan/names";

describe("resource names", () => {
  it("are DNS-label shaped, start with a letter and stay within each provider limit", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.nat()), { maxLength: 4 }), fc.constantFrom(...Object.values(NAME_LIMITS)), (org, parts, max) => {
        const name = resourceName(org, parts, max);
        expect(name.length).toBeLessThanOrEqual(max);
        expect(name).toMatch(/^[a-z]([a-z0-9-]*[a-z0-9])?$/);
      }),
    );
  });

  it("keep two long names apart when they differ only past the limit", () => {
    const a = resourceName("ministere-de-l-exemple-long", ["pool-with-a-long-name", 1], NAME_LIMITS.outscaleLoadBalancer);
    const b = resourceName("ministere-de-l-exemple-long", ["pool-with-a-long-name", 2], NAME_LIMITS.outscaleLoadBalancer);
    expect(a).not.toBe(b);
    expect(resourceName("ministere-exemple", ["cp", 0])).toBe("ministere-exemple-cp-0");
  });
});
