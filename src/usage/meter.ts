import type { KubernetesObject, ResourceView } from "../../policies/types";
import { parseQuantity, toMillicores } from "./quantity";

/**
 * What a tenant's rendered state requests, by the metering rules (docs/hosters.md, "Plans and prices"):
 *
 * - CPU and memory: the sum of the containers' `resources.requests` (init containers left out: they do not run
 *   beside the app) × replicas, for Deployments and StatefulSets (`spec.replicas`, 1 when absent, as the API
 *   server defaults it), bare Pods (× 1) and CloudNativePG `Cluster`s (`spec.resources.requests` × `spec.instances`).
 *   DaemonSets are left out: one pod per node, the platform's (its nodes' overhead). Jobs and CronJobs are left out:
 *   they run to completion (migrations, exports), they reserve nothing month-long.
 * - Block storage: PersistentVolumeClaims' `spec.resources.requests.storage`, StatefulSets' `volumeClaimTemplates`
 *   × replicas, CloudNativePG `spec.storage.size` (+ `spec.walStorage.size`) × instances.
 * - Object storage: metered only when every bucket of the state declares a quota (`maxSize` bytes); otherwise the
 *   buckets are listed and object storage is reported "not metered" (socle declares no bucket quotas today).
 *
 * A request that is absent counts 0 and is listed (a container without requests is not free, it is unmeasured).
 */
export interface Usage {
  readonly cpuMillicores: number;
  readonly memoryBytes: number;
  readonly blockBytes: number;
  readonly object: { readonly metered: true; readonly bytes: number; readonly buckets: readonly string[] } | { readonly metered: false; readonly buckets: readonly string[] };
  /** Workloads counted, as `Kind/namespace/name × replicas`. */
  readonly counted: readonly string[];
  /** Objects left out, with the rule that leaves them out. */
  readonly excluded: readonly string[];
  /** Containers or claims whose request is absent or unreadable: counted as 0. */
  readonly unmeasured: readonly string[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const id = (o: KubernetesObject): string => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function replicas(v: unknown): number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : 1;
}

export function meter(views: readonly ResourceView[]): Usage {
  let cpu = 0;
  let mem = 0;
  let block = 0;
  const counted: string[] = [];
  const excluded: string[] = [];
  const unmeasured: string[] = [];
  const seen = new Set<string>();
  const buckets: { name: string; maxSize?: number }[] = [];

  const requests = (where: string, req: unknown, times: number): void => {
    const r = isObj(req) ? req : {};
    const c = parseQuantity(r["cpu"]);
    const m = parseQuantity(r["memory"]);
    if (c === undefined) unmeasured.push(`${where}: cpu`);
    if (m === undefined) unmeasured.push(`${where}: memory`);
    cpu += toMillicores(c ?? 0) * times;
    mem += Math.ceil(m ?? 0) * times;
  };
  const podSpec = (o: KubernetesObject, spec: unknown, times: number): void => {
    for (const c of arr(isObj(spec) ? spec["containers"] : undefined)) {
      if (!isObj(c)) continue;
      requests(`${id(o)} container ${String(c["name"] ?? "?")}`, isObj(c["resources"]) ? c["resources"]["requests"] : undefined, times);
    }
  };
  const storage = (where: string, size: unknown, times: number): void => {
    const s = parseQuantity(size);
    if (s === undefined) unmeasured.push(`${where}: storage`);
    block += Math.ceil(s ?? 0) * times;
  };

  for (const v of views) {
    const o = v.k8s;
    if (!o) {
      // Buckets as the cloud components declare them: OpenStack containers (components/cloud/openstack/storage.ts), any *Bucket type.
      if (/bucket/i.test(v.type) || v.type === "openstack:objectstorage/container:Container") {
        const p = v.props;
        const quota = [p["maxSize"], isObj(p["quotas"]) ? p["quotas"]["maxSize"] : undefined, isObj(p["quota"]) ? p["quota"]["maxSize"] : undefined].map(parseQuantity).find((q) => q !== undefined);
        buckets.push({ name: typeof p["bucket"] === "string" ? p["bucket"] : typeof p["name"] === "string" ? p["name"] : v.name, ...(quota !== undefined ? { maxSize: quota } : {}) });
      }
      continue;
    }
    const key = `${o.apiVersion.split("/")[0]}|${id(o)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const spec = isObj(o["spec"]) ? o["spec"] : {};
    switch (o.kind) {
      case "Deployment":
      case "StatefulSet": {
        const n = replicas(spec["replicas"]);
        const template = isObj(spec["template"]) ? spec["template"]["spec"] : undefined;
        podSpec(o, template, n);
        if (o.kind === "StatefulSet") {
          for (const t of arr(spec["volumeClaimTemplates"])) {
            if (!isObj(t)) continue;
            const s = isObj(t["spec"]) && isObj(t["spec"]["resources"]) && isObj(t["spec"]["resources"]["requests"]) ? t["spec"]["resources"]["requests"]["storage"] : undefined;
            storage(`${id(o)} volumeClaimTemplate ${String(isObj(t["metadata"]) ? t["metadata"]["name"] : "?")}`, s, n);
          }
        }
        counted.push(`${id(o)} × ${n}`);
        break;
      }
      case "Pod":
        podSpec(o, spec, 1);
        counted.push(`${id(o)} × 1`);
        break;
      case "Cluster":
        if (!o.apiVersion.startsWith("postgresql.cnpg.io/")) break;
        {
          const n = replicas(spec["instances"]);
          requests(`${id(o)} (CloudNativePG)`, isObj(spec["resources"]) ? spec["resources"]["requests"] : undefined, n);
          storage(`${id(o)} storage`, isObj(spec["storage"]) ? spec["storage"]["size"] : undefined, n);
          if (isObj(spec["walStorage"])) storage(`${id(o)} walStorage`, spec["walStorage"]["size"], n);
          counted.push(`${id(o)} × ${n}`);
        }
        break;
      case "PersistentVolumeClaim": {
        const r = isObj(spec["resources"]) && isObj(spec["resources"]["requests"]) ? spec["resources"]["requests"]["storage"] : undefined;
        storage(id(o), r, 1);
        counted.push(`${id(o)} × 1`);
        break;
      }
      case "DaemonSet":
        excluded.push(`${id(o)}: a DaemonSet is the platform's (one pod per node)`);
        break;
      case "Job":
      case "CronJob":
        excluded.push(`${id(o)}: a ${o.kind} runs to completion, it reserves nothing month-long`);
        break;
    }
  }
  const names = buckets.map((b) => b.name).sort(byCode);
  const object: Usage["object"] =
    buckets.length > 0 && buckets.every((b) => b.maxSize !== undefined)
      ? { metered: true, bytes: buckets.reduce((s, b) => s + Math.ceil(b.maxSize!), 0), buckets: names }
      : { metered: false, buckets: names };
  return { cpuMillicores: cpu, memoryBytes: mem, blockBytes: block, object, counted: counted.sort(byCode), excluded: excluded.sort(byCode), unmeasured: unmeasured.sort(byCode) };
}
