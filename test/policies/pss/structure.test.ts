/**
 * The structural key behind the Pod Security cache (policies/pss/structure.ts): equal keys only for values every
 * check reads the same way; no key (no sharing) for what it cannot tell apart.
 */
import { describe, expect, it } from "vitest";
import { createPodSecurityCache, evaluatePodSecurity } from "../../../policies/pss";
import { structuralKey } from "../../../policies/pss/structure";
import type { KubernetesObject } from "../../../policies/types";

describe("structuralKey", () => {
  it("is equal for values of the same structure, built apart", () => {
    const a = { containers: [{ name: "app", securityContext: { runAsUser: 1000, privileged: false } }], hostNetwork: null };
    const b = JSON.parse(JSON.stringify(a)) as unknown;
    expect(structuralKey(a)).toBe(structuralKey(b));
  });

  it("keeps apart every pair of values a check could tell apart", () => {
    const values: unknown[] = [
      null, 0, 1, "1", "", "0", true, false, "true", "null",
      [], {}, [null], [[]], [{}], { a: null }, { a: 1 }, { b: 1 }, { a: 1, b: 2 }, { b: 2, a: 1 },
      { a: "x", b: "y" }, { a: 'x","b":"y' }, { a: "x", b: "y", c: "" }, ["a", "b"], ["ab"], ["a,b"], { "1:a": "" }, { 1: "a" },
      { s1: "" }, { "": "s1:" }, { a: "\u0000" }, { a: "\\0" },
    ];
    const keys = values.map((v) => structuralKey(v));
    expect(keys.every((k) => typeof k === "string")).toBe(true);
    // {a: 1, b: 2} and {b: 2, a: 1} differ (key order): a miss, never a wrong hit.
    expect(new Set(keys).size).toBe(values.length);
  });

  it("gives no key to what JSON text would blur: undefined, NaN, the infinities, -0", () => {
    for (const v of [undefined, NaN, Infinity, -Infinity, -0]) {
      expect(structuralKey(v)).toBeUndefined();
      expect(structuralKey({ a: v })).toBeUndefined();
      expect(structuralKey([v])).toBeUndefined();
    }
    expect(structuralKey({ toJSON: "x" })).toBeUndefined();
  });

  it("gives no key to what is not plain data, or too deep", () => {
    expect(structuralKey(new Map())).toBeUndefined();
    expect(structuralKey({ at: new Date(0) })).toBeUndefined();
    expect(structuralKey([1, , 3])).toBeUndefined(); // eslint-disable-line no-sparse-arrays
    expect(structuralKey({ f: () => 1 })).toBeUndefined();
    expect(structuralKey({ n: 1n })).toBeUndefined();
    expect(structuralKey({ s: Symbol("x") })).toBeUndefined();
    expect(structuralKey(Object.create({ inherited: true }))).toBeUndefined();
    let deep: unknown = {};
    for (let i = 0; i < 10; i++) deep = { deep };
    expect(structuralKey(deep, 8)).toBeUndefined();
    expect(structuralKey(deep, 12)).toBeDefined();
    expect(structuralKey(Object.create(null))).toBe(structuralKey({}));
  });
});

describe("evaluatePodSecurity with a shared cache", () => {
  const pod = (sc: object, annotations?: Record<string, string>, name = "p"): KubernetesObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "apps", ...(annotations ? { annotations } : {}) },
    spec: { containers: [{ name: "app", image: "i", securityContext: sc }] },
  });
  const deployment = (sc: object, name: string): KubernetesObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "apps" },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "i", securityContext: sc }] } } },
  });

  it("gives pods of one structure one outcome, and pods of another their own", () => {
    const cache = createPodSecurityCache();
    const same = [pod({ privileged: true }, undefined, "a"), pod({ privileged: true }, undefined, "b")];
    const r = same.map((p) => evaluatePodSecurity(p, "baseline", undefined, cache));
    expect(r[0]!.violations).toEqual([{ message: "privileged: container \"app\" must not set securityContext.privileged=true", path: "spec.containers[0].securityContext.privileged" }]);
    expect(r[1]).toBe(r[0]);
    expect(cache.byStructure.size).toBe(1);
    // Another value, an annotation, another place in the object (a template): each its own outcome, each right.
    expect(evaluatePodSecurity(pod({ privileged: false }, undefined, "c"), "baseline", undefined, cache).violations).toEqual([]);
    const annotated = evaluatePodSecurity(pod({ privileged: true }, { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" }, "d"), "baseline", undefined, cache);
    expect(annotated.violations.map((v) => v.path)).toEqual([
      "spec.containers[0].securityContext.privileged",
      'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
    ]);
    const templated = evaluatePodSecurity(deployment({ privileged: true }, "e"), "baseline", undefined, cache);
    expect(templated.violations.map((v) => v.path)).toEqual(["spec.template.spec.containers[0].securityContext.privileged"]);
    expect(cache.byStructure.size).toBe(4);
  });

  it("agrees with the evaluation without a cache at every level and version", () => {
    const cache = createPodSecurityCache();
    const scs = [{}, { privileged: true }, { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } }, { runAsUser: 0 }, { procMount: "Unmasked" }];
    for (const level of ["baseline", "restricted"] as const) {
      for (let minor = 0; minor <= 40; minor++) {
        scs.forEach((sc, i) => {
          const alone = evaluatePodSecurity(pod(sc, undefined, `alone-${i}`), level, minor);
          expect(evaluatePodSecurity(pod(sc, undefined, `shared-${level}-${minor}-${i}`), level, minor, cache)).toEqual(alone);
        });
      }
    }
    expect(cache.byStructure.size).toBe(scs.length);
  });
});
