/**
 * The resources a stack's own workloads ask for, summed from a render: CPU and memory requests and memory limits of
 * every container (times replicas; DaemonSets once per node, counted apart), PostgreSQL clusters (instances times
 * their resources and storage), and persistent storage (PVCs, StatefulSet volume claim templates, database volumes).
 * Helm releases (platform operators) are counted from nothing: their charts' own defaults apply; docs/requirements.md
 * adds them as a margin. `npm run docs:requirements` prints the table for each sizing profile of the demo stack.
 */
import type { StateExport } from "../src/render/state";

const UNITS: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, m: 1e-3 };

/** A Kubernetes quantity as a number (cores for CPU, bytes for memory and storage). */
export function quantity(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return 0;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(value.trim());
  if (!m || !(m[2]! in UNITS)) return 0;
  return Number(m[1]) * UNITS[m[2]!]!;
}

export interface Totals {
  cpuRequest: number;
  memoryRequest: number;
  memoryLimit: number;
  storage: number;
  perNodeCpuRequest: number;
  perNodeMemoryRequest: number;
}

type Obj = Record<string, any>;

function containers(spec: Obj | undefined): Obj[] {
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? []).filter((c: Obj) => c.restartPolicy === "Always")];
}

export function workloadTotals(state: StateExport): Totals {
  const t: Totals = { cpuRequest: 0, memoryRequest: 0, memoryLimit: 0, storage: 0, perNodeCpuRequest: 0, perNodeMemoryRequest: 0 };
  for (const r of state.deployment.resources) {
    if (!r.custom || !r.type.startsWith("kubernetes:") || r.type.startsWith("kubernetes:helm")) continue;
    const o = (r.inputs ?? {}) as Obj;
    const kind = o.kind as string;
    if (["Deployment", "StatefulSet", "DaemonSet"].includes(kind)) {
      const replicas = kind === "DaemonSet" ? 1 : (o.spec?.replicas ?? 1);
      for (const c of containers(o.spec?.template?.spec)) {
        const cpu = quantity(c.resources?.requests?.cpu);
        const mem = quantity(c.resources?.requests?.memory);
        if (kind === "DaemonSet") {
          t.perNodeCpuRequest += cpu;
          t.perNodeMemoryRequest += mem;
        } else {
          t.cpuRequest += cpu * replicas;
          t.memoryRequest += mem * replicas;
          t.memoryLimit += quantity(c.resources?.limits?.memory) * replicas;
        }
      }
      for (const v of o.spec?.volumeClaimTemplates ?? []) t.storage += quantity(v.spec?.resources?.requests?.storage) * replicas;
    } else if (kind === "PersistentVolumeClaim") {
      t.storage += quantity(o.spec?.resources?.requests?.storage);
    } else if (kind === "Cluster" && String(o.apiVersion).startsWith("postgresql.cnpg.io/")) {
      const n = o.spec?.instances ?? 1;
      t.cpuRequest += quantity(o.spec?.resources?.requests?.cpu) * n;
      t.memoryRequest += quantity(o.spec?.resources?.requests?.memory) * n;
      t.memoryLimit += quantity(o.spec?.resources?.limits?.memory) * n;
      t.storage += quantity(o.spec?.storage?.size) * n;
    }
  }
  return t;
}

export const cores = (n: number) => `${Math.round(n * 10) / 10}`;
export const gib = (n: number) => `${Math.round((n / 1024 ** 3) * 10) / 10}`;

if (require.main === module) {
  void (async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join, resolve } = await import("node:path");
    const { renderStack } = await import("../src/render/render");
    const root = resolve(__dirname, "..");
    const base = readFileSync(join(root, "stacks", "Pulumi.demo.yaml"), "utf8");
    console.log("| Profile | CPU requests (cores) | Memory requests (GiB) | Memory limits (GiB) | Persistent storage (GiB) | Per node (DaemonSets): CPU, memory (GiB) |");
    console.log("|---|---:|---:|---:|---:|---|");
    for (const sizing of ["small", "medium", "large"]) {
      const dir = mkdtempSync(join(tmpdir(), "socle-req-"));
      const stackFile = join(dir, `Pulumi.demo.yaml`);
      writeFileSync(stackFile, base.replace(/socle:sizing: \w+/, `socle:sizing: ${sizing}`));
      const result = await renderStack({ root, stack: "demo", stackFile, outDir: join(dir, "out") });
      const t = workloadTotals(result.state);
      console.log(`| ${sizing} | ${cores(t.cpuRequest)} | ${gib(t.memoryRequest)} | ${gib(t.memoryLimit)} | ${gib(t.storage)} | ${cores(t.perNodeCpuRequest)}, ${gib(t.perNodeMemoryRequest)} |`);
    }
  })();
}
