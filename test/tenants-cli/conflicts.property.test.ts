import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { conflicts } from "../../src/tenants/catalog";
import { tenantHostnames } from "../../src/tenants/plans";
import { APP_NAMES } from "../../src/config/schema";

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const tenant = fc.record({ stack: label, organization: label, domain: fc.tuple(label, label).map(([a, b]) => `${a}.${b}.fr`), apps: fc.subarray([...APP_NAMES], { minLength: 1 }) });

describe("tenant conflicts (properties)", () => {
  it("are symmetric: A clashes with B exactly when B clashes with A, on the same grounds", () => {
    fc.assert(
      fc.property(tenant, tenant, (a, b) => {
        const A = { stack: a.stack, organization: a.organization, hostnames: tenantHostnames(a.apps, a.domain) };
        const B = { stack: b.stack, organization: b.organization, hostnames: tenantHostnames(b.apps, b.domain) };
        const ab = conflicts(A, [B]).map((c) => c.what).sort();
        const ba = conflicts(B, [A]).map((c) => c.what).sort();
        expect(ab).toEqual(ba);
      }),
    );
  });

  it("accepted tenants never share a namespace: no namespace <orgA>-<app> equals <orgB>-<app'>", () => {
    fc.assert(
      fc.property(tenant, tenant, fc.constantFrom(...APP_NAMES), fc.constantFrom(...APP_NAMES), (a, b, appA, appB) => {
        const A = { stack: a.stack, organization: a.organization, hostnames: tenantHostnames(a.apps, a.domain) };
        const B = { stack: `${b.stack}-x`, organization: b.organization, hostnames: tenantHostnames(b.apps, b.domain) };
        if (conflicts(A, [B]).length === 0) expect(`${a.organization}-${appA}`).not.toBe(`${b.organization}-${appB}`);
      }),
    );
  });
});
