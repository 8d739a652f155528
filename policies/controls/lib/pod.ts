import type { KubernetesObject } from "../../types";
import { apiGroup } from "./k8s";
import { asRecord, isRecord, records, type Json } from "./values";

export interface PodTemplate {
  readonly spec: Json;
  readonly metadata: Json;
  /** Path of the pod spec inside the object, e.g. `spec.template.spec`. */
  readonly path: string;
}

const TEMPLATE_KINDS: Readonly<Record<string, readonly string[]>> = {
  "": ["ReplicationController"],
  apps: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
  batch: ["Job"],
};

const WORKLOAD_KIND_NAMES: ReadonlySet<string> = new Set(["Pod", "CronJob", ...Object.values(TEMPLATE_KINDS).flat()]);

/** The pod spec of a workload object (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob). */
export function podTemplateOf(obj: KubernetesObject): PodTemplate | undefined {
  // Most objects are not workloads: their kind says so before their API group is read.
  if (!WORKLOAD_KIND_NAMES.has(obj.kind)) return undefined;
  const group = apiGroup(obj);
  if (group === "" && obj.kind === "Pod") return fromSpec(obj.spec, asRecord(obj.metadata), "spec");
  if (group === "batch" && obj.kind === "CronJob") {
    const template = asRecord(asRecord(asRecord(asRecord(obj.spec).jobTemplate).spec).template);
    return fromSpec(template.spec, asRecord(template.metadata), "spec.jobTemplate.spec.template.spec");
  }
  if (!TEMPLATE_KINDS[group]?.includes(obj.kind)) return undefined;
  const template = asRecord(asRecord(obj.spec).template);
  return fromSpec(template.spec, asRecord(template.metadata), "spec.template.spec");
}

function fromSpec(spec: unknown, metadata: Json, path: string): PodTemplate | undefined {
  return isRecord(spec) ? { spec, metadata, path } : undefined;
}

/** Pods that run to completion (Jobs, CronJobs, Pods that never restart): no liveness to watch. */
export function runsToCompletion(obj: KubernetesObject, pod: PodTemplate): boolean {
  if (apiGroup(obj) === "batch") return true;
  return obj.kind === "Pod" && (pod.spec.restartPolicy === "Never" || pod.spec.restartPolicy === "OnFailure");
}

export interface ContainerRef {
  readonly container: Json;
  readonly name: string;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  readonly list: string;
  readonly path: string;
}

const ALL_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;
const containerCache = new WeakMap<PodTemplate, readonly ContainerRef[]>();

export function containersOf(pod: PodTemplate, lists: readonly string[] = ALL_LISTS): readonly ContainerRef[] {
  let all = containerCache.get(pod);
  if (!all) {
    all = ALL_LISTS.flatMap((list) =>
      records(pod.spec[list]).map(({ item, index }) => ({
        container: item,
        name: typeof item.name === "string" ? item.name : `#${index}`,
        list,
        path: `${pod.path}.${list}[${index}]`,
      })),
    );
    containerCache.set(pod, all);
  }
  return lists === ALL_LISTS ? all : all.filter((c) => lists.includes(c.list));
}

export interface Workload {
  readonly view: import("../../types").ResourceView;
  readonly obj: KubernetesObject;
  readonly pod: PodTemplate;
}

const workloadCache = new WeakMap<readonly import("../../types").ResourceView[], readonly Workload[]>();

/** Every object of the resources that carries a pod spec; computed once per resource list, as several controls ask. */
export function workloadsOf(resources: readonly import("../../types").ResourceView[]): readonly Workload[] {
  let found = workloadCache.get(resources);
  if (!found) {
    const list: Workload[] = [];
    for (const view of resources) {
      const pod = view.k8s ? podTemplateOf(view.k8s) : undefined;
      if (view.k8s && pod) list.push({ view, obj: view.k8s, pod });
    }
    found = list;
    workloadCache.set(resources, found);
  }
  return found;
}
