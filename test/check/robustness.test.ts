import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "../../policies/types";
import { ALL_RULES } from "../../src/check/rules";
import { runCheck } from "../../src/check/run";
import { helmRelease, model } from "./fixtures";

const KINDS = ["Deployment", "StatefulSet", "Job", "Service", "NetworkPolicy", "HTTPRoute", "Gateway", "Certificate", "Bundle", "Cluster", "ValidatingWebhookConfiguration", "Secret", "ConfigMap", "RoleBinding"];
const API: Record<string, string> = {
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  Job: "batch/v1",
  NetworkPolicy: "networking.k8s.io/v1",
  HTTPRoute: "gateway.networking.k8s.io/v1",
  Gateway: "gateway.networking.k8s.io/v1",
  Certificate: "cert-manager.io/v1",
  Bundle: "trust.cert-manager.io/v1alpha1",
  Cluster: "postgresql.cnpg.io/v1",
  ValidatingWebhookConfiguration: "admissionregistration.k8s.io/v1",
  RoleBinding: "rbac.authorization.k8s.io/v1",
};

/** Objects of the kinds the rules read, with arbitrary JSON where their fields should be. */
const object = fc.record({ kind: fc.constantFrom(...KINDS), name: fc.string({ maxLength: 8 }), ns: fc.constantFrom("a", "b"), spec: fc.jsonValue({ maxDepth: 5 }), extra: fc.jsonValue({ maxDepth: 3 }) }).map(
  (o): KubernetesObject => ({
    apiVersion: API[o.kind] ?? "v1",
    kind: o.kind,
    metadata: { name: o.name, namespace: o.ns },
    spec: o.spec,
    webhooks: o.extra,
    subjects: o.extra,
    data: o.extra,
  }),
);

describe("the rules on malformed objects", () => {
  it("never throw, whatever the fields hold", () => {
    fc.assert(
      fc.property(fc.array(object, { maxLength: 8 }), (objects) => {
        const m = model(objects, [helmRelease("cert-manager", "cert-manager", "cert-manager", "v1.21.1", {})]);
        expect(() => runCheck(m, ALL_RULES)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("handle well-shaped pods with arbitrary containers, volumes and probes", () => {
    const pod = fc.record({ containers: fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 3 }), volumes: fc.jsonValue({ maxDepth: 4 }), initContainers: fc.jsonValue({ maxDepth: 4 }) });
    fc.assert(
      fc.property(fc.array(pod, { maxLength: 4 }), (pods) => {
        const objects = pods.map((spec, i): KubernetesObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: `d${i}`, namespace: "a" }, spec: { template: { metadata: { labels: { app: `d${i}` } }, spec } } }));
        expect(() => runCheck(model(objects), ALL_RULES)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
