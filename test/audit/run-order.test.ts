/**
 * The order of findings (src/audit/run.ts): by control id, then resource key (URN, else file, else
 * kind/namespace/name) in code-unit order, then path, then message, ties in the order the control gave them.
 * runAudit sorts by rank (a counting sort over the input's keys) and falls back to comparing keys when a
 * control names a resource the input does not hold: both must give exactly the reference order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CheckResult, Control, ResourceView } from "../../policies/types";
import { resourceKey, resourceRef } from "../../src/audit/resource-ref";
import { cmp, runAudit } from "../../src/audit/run";

const context = { allowedRegions: [], allowedRegistries: [], minLogRetentionDays: 1, declaredLoadBalancers: [], hasStackMetadata: false, today: "2025-06-01" };

const word = fc.constantFrom("a", "b", "B", "é", "a-b", "ab", "");
const viewArb = fc.record({
  urn: fc.option(fc.tuple(word, word).map(([a, b]) => `urn:pulumi:s::p::t::${a}${b}`), { nil: undefined }),
  name: word.map((w) => `n${w}`),
  ns: fc.option(word, { nil: undefined }),
});
const toView = (v: { urn: string | undefined; name: string; ns: string | undefined }): ResourceView => ({
  ...(v.urn !== undefined ? { urn: v.urn } : {}),
  type: "kubernetes:core/v1:ConfigMap",
  name: v.name,
  props: {},
  protect: false,
  k8s: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: v.name, ...(v.ns !== undefined ? { namespace: v.ns } : {}) } },
});

describe("runAudit finding order", () => {
  it("is the stable sort by key, path and message, for input resources and made-up ones alike", () => {
    fc.assert(
      fc.property(
        fc.array(viewArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ at: fc.nat(), madeUp: fc.boolean(), status: fc.constantFrom("pass", "fail", "notApplicable"), path: fc.option(fc.constantFrom("p", "q"), { nil: undefined }), message: fc.constantFrom("m", "n") }), { maxLength: 30 }),
        (specs, raw) => {
          const views = specs.map(toView);
          const results: CheckResult[] = raw.map((r) => {
            // A made-up resource: a new object (not in the input), possibly with the key of an input resource.
            const base = views[r.at % views.length]!;
            const resource = r.madeUp ? { ...base } : base;
            const violations = r.status === "fail" ? [r.path !== undefined ? { message: r.message, path: r.path } : { message: r.message }] : [];
            return { resource, status: r.status, violations, note: r.message };
          });
          const control: Control = { id: "c", title: { fr: "c", en: "c" }, snc: { chapter: "9" }, severity: "low", enforcement: "advisory", rationale: "", remediation: "", evidence: [], check: () => results } as unknown as Control;
          const got = runAudit([control], views, context).findings.map((f) => [resourceKey(f.resource), f.path ?? "", f.message, f.status]);
          const expected = results
            .map((r) => [resourceKey(resourceRef(r.resource)), r.status === "fail" ? (r.violations[0]!.path ?? "") : "", r.note!, r.status])
            .map((x, i) => ({ x, i }))
            .sort((a, b) => cmp(a.x[0]!, b.x[0]!) || cmp(a.x[1]!, b.x[1]!) || cmp(a.x[2]!, b.x[2]!) || a.i - b.i)
            .map(({ x }) => x);
          expect(got).toEqual(expected);
        },
      ),
      // Few messages and paths: many ties, told apart by their status, so the order of ties is checked too.
      { numRuns: 1000 },
    );
  });
});
