import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quantity, renderCapsuleTenant, renderedDemand, tenantQuota } from "../../charts/platform/capsule";

const deployment = (replicas: number, cpu: string, memory: string, limitMemory?: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "d", namespace: "t-wiki" },
  spec: { replicas, template: { spec: { containers: [{ name: "c", resources: { requests: { cpu, memory }, ...(limitMemory ? { limits: { memory: limitMemory } } : {}) } }] } } },
});

describe("a Capsule Tenant's quota, from what the tenant renders", () => {
  it("sums replicas × requests, CNPG instances and volumes, doubles compute for rollouts, and bounds no resource nothing sets", () => {
    const objs = [
      deployment(2, "250m", "512Mi", "1Gi"),
      { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "db", namespace: "t-wiki" }, spec: { instances: 2, storage: { size: "10Gi" }, resources: { requests: { cpu: "500m", memory: "1Gi" } } } },
      { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "p", namespace: "t-wiki" }, spec: { resources: { requests: { storage: "5Gi" } } } },
    ];
    // Hand-computed: cpu 2×250m + 2×500m = 1500m, ×2 = 3000m; memory 2×512Mi + 2×1Gi = 3072Mi, ×2 = 6144Mi;
    // memory limits 2×1Gi = 2048Mi, ×2 = 4096Mi; storage 2×10Gi + 5Gi = 25600Mi; pods 4, ×2 = 8; no CPU limit.
    expect(tenantQuota(objs)).toEqual({ "requests.cpu": "3000m", "requests.memory": "6144Mi", "limits.memory": "4096Mi", "requests.storage": "25600Mi", pods: "8" });
  });

  it("never asks less than what is rendered (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 8192 })), { minLength: 1, maxLength: 20 }), (specs) => {
        const objs = specs.map(([r, c, m]) => deployment(r, `${c}m`, `${m}Mi`));
        const d = renderedDemand(objs);
        const q = tenantQuota(objs);
        expect(quantity(q["requests.cpu"])).toBeGreaterThanOrEqual(d.requestsCpu);
        expect(quantity(q["requests.memory"])).toBeGreaterThanOrEqual(d.requestsMemory);
        expect(Number(q.pods)).toBeGreaterThanOrEqual(d.pods);
      }),
    );
  });

  it("refuses a quantity it cannot read rather than under-count", () => {
    expect(() => quantity("1.5Zi")).toThrow(/not a Kubernetes quantity/);
  });

  it("forces the tenant prefix, PSA restricted, the platform's classes, and binds the admins' group in its namespaces only", () => {
    const t = renderCapsuleTenant({ name: "t", namespaces: ["t-wiki", "t-identity"], adminGroup: "socle:tenant:t:admins", storageClass: "standard", gatewayClass: "envoy-gateway", objects: [deployment(1, "100m", "128Mi")] });
    expect(t.spec.forceTenantPrefix).toBe(true);
    expect(t.spec.namespaceOptions.quota).toBe(2);
    expect(t.spec.namespaceOptions.additionalMetadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(t.spec.owners).toEqual([{ kind: "Group", name: "socle:tenant:t:admins", clusterRoles: ["admin", "capsule-namespace-deleter"] }]);
    expect(t.spec.storageClasses.allowed).toEqual(["standard"]);
    expect(() => renderCapsuleTenant({ name: "t", namespaces: ["other-wiki"], adminGroup: "g", storageClass: "s", gatewayClass: "g", objects: [] })).toThrow(/tenant prefix t-/);
  });
});

describe("Capsule's chart contract at the pinned version", () => {
  it("is registered for the pinned chart and version, and installs the webhook Service the controller's webhooks call", async () => {
    const { CAPSULE_CHART } = await import("../../charts/platform/releases");
    const { contractFor } = await import("../../src/check/releases");
    const c = contractFor(CAPSULE_CHART.chart, CAPSULE_CHART.version)!;
    expect(c).toBeDefined();
    const objs = c.objects({ name: "capsule", namespace: "capsule-system", values: {} });
    const svc = objs.find((o) => o.kind === "Service")!;
    expect(svc.metadata.name).toBe("capsule-webhook-service");
    const hooks = (objs.find((o) => o.kind === "ValidatingWebhookConfiguration") as unknown as { webhooks: { clientConfig: { service: { name: string; port: number } } }[] }).webhooks;
    expect(hooks[0]!.clientConfig.service).toMatchObject({ name: "capsule-webhook-service", port: 9443 });
    // The hook Jobs follow their values: crds.inline drops the CRD Job, preDelete disabled drops the other.
    const without = c.objects({ name: "capsule", namespace: "capsule-system", values: { crds: { inline: true }, global: { jobs: { preDelete: { enabled: false } } } } });
    expect(without.filter((o) => o.kind === "Job")).toEqual([]);
    expect(objs.filter((o) => o.kind === "Job").map((o) => o.metadata.name)).toEqual(["capsule-crds", "capsule-pre-delete"]);
  });
});
