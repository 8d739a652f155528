import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ResourceView } from "../../policies/types";
import { meter } from "../../src/usage/meter";

const view = (obj: Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace: string } }): ResourceView => ({
  type: `kubernetes:${obj.apiVersion}:${obj.kind}`,
  name: obj.metadata.name,
  props: obj,
  protect: false,
  k8s: obj,
});

const workload = fc.record({
  kind: fc.constantFrom("Deployment", "StatefulSet"),
  replicas: fc.integer({ min: 0, max: 20 }),
  cpuMilli: fc.integer({ min: 1, max: 8000 }),
  memMi: fc.integer({ min: 1, max: 65536 }),
  storageGi: fc.integer({ min: 0, max: 500 }),
});

function views(ws: readonly { kind: string; replicas: number; cpuMilli: number; memMi: number; storageGi: number }[]): ResourceView[] {
  return ws.map((w, i) =>
    view({
      apiVersion: "apps/v1",
      kind: w.kind,
      metadata: { name: `w${i}`, namespace: "t-app" },
      spec: {
        replicas: w.replicas,
        template: { spec: { containers: [{ name: "c", resources: { requests: { cpu: `${w.cpuMilli}m`, memory: `${w.memMi}Mi` } } }] } },
        ...(w.kind === "StatefulSet" ? { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: `${w.storageGi}Gi` } } } }] } : {}),
      },
    }),
  );
}

describe("metering (properties)", () => {
  it("is the sum of requests × replicas, whatever the order of the objects", () => {
    fc.assert(
      fc.property(fc.array(workload, { maxLength: 12 }), (ws) => {
        const u = meter(views(ws));
        expect(u.cpuMillicores).toBe(ws.reduce((s, w) => s + w.cpuMilli * w.replicas, 0));
        expect(u.memoryBytes).toBe(ws.reduce((s, w) => s + w.memMi * 2 ** 20 * w.replicas, 0));
        expect(u.blockBytes).toBe(ws.reduce((s, w) => s + (w.kind === "StatefulSet" ? w.storageGi * 2 ** 30 * w.replicas : 0), 0));
        const reversed = meter(views(ws).reverse());
        expect([reversed.cpuMillicores, reversed.memoryBytes, reversed.blockBytes]).toEqual([u.cpuMillicores, u.memoryBytes, u.blockBytes]);
        expect(reversed.counted).toEqual(u.counted);
      }),
    );
  });

  it("never charges a DaemonSet or a Job to the tenant", () => {
    fc.assert(
      fc.property(fc.array(workload, { maxLength: 6 }), fc.constantFrom("DaemonSet", "Job", "CronJob"), fc.integer({ min: 1, max: 64 }), (ws, kind, cpu) => {
        const base = meter(views(ws));
        const extra = view({
          apiVersion: kind === "DaemonSet" ? "apps/v1" : "batch/v1",
          kind,
          metadata: { name: "extra", namespace: "t-app" },
          spec: { template: { spec: { containers: [{ name: "c", resources: { requests: { cpu: String(cpu), memory: "1Gi" } } }] } } },
        });
        const withExtra = meter([...views(ws), extra]);
        expect([withExtra.cpuMillicores, withExtra.memoryBytes, withExtra.blockBytes]).toEqual([base.cpuMillicores, base.memoryBytes, base.blockBytes]);
        expect(withExtra.excluded.length).toBe(base.excluded.length + 1);
      }),
    );
  });
});
