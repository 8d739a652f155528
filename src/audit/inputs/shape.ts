/**
 * Objects that are not what they claim to be: a Kubernetes object whose structural fields have the
 * wrong type (a Pod whose `spec` is a string) would make every control find nothing to judge and
 * pass. Such an input is refused (exit 2), as Kubescape and Checkov refuse it, instead of passing.
 *
 * Field shapes from the Kubernetes API reference (k8s.io/api core/v1 PodSpec `containers`,
 * apps/v1 `spec.template`, batch/v1 CronJob `spec.jobTemplate`).
 */

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
/** A value `socle render` could not know offline: not a shape error. */
const isUnknown = (v: unknown): boolean => typeof v === "string" && v.startsWith("[unknown");

/** Where the pod template's spec sits, per workload kind. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** The first structural problem of a Kubernetes object, as [path, problem], or undefined. */
export function kubernetesShapeProblem(obj: Json): readonly [string, string] | undefined {
  for (const key of ["metadata", "spec", "status"]) {
    const v = obj[key];
    if (v !== undefined && v !== null && !isMap(v) && !isUnknown(v)) return [key, "must be a mapping"];
  }
  if ((obj.kind === "ConfigMap" || obj.kind === "Secret") && obj.apiVersion === "v1") {
    for (const key of ["data", "stringData", "binaryData"]) {
      const v = obj[key];
      if (v !== undefined && v !== null && !isMap(v) && !isUnknown(v) && v !== "[secret]") return [key, "must be a mapping"];
    }
  }
  const path = typeof obj.kind === "string" ? POD_SPEC_PATHS[obj.kind] : undefined;
  if (!path) return undefined;
  let cur: unknown = obj;
  const at: string[] = [];
  for (const seg of path) {
    if (!isMap(cur)) break;
    const next = cur[seg];
    at.push(seg);
    if (next === undefined || next === null || isUnknown(next)) return undefined;
    if (!isMap(next)) return [at.join("."), "must be a mapping"];
    cur = next;
  }
  const spec = cur as Json;
  for (const key of ["containers", "initContainers", "volumes"]) {
    const list = spec[key];
    if (list === undefined || list === null || isUnknown(list)) continue;
    if (!Array.isArray(list)) return [`${path.join(".")}.${key}`, "must be a list"];
    const bad = list.findIndex((c) => !isMap(c) && !isUnknown(c));
    if (bad >= 0) return [`${path.join(".")}.${key}[${bad}]`, "must be a mapping"];
  }
  return undefined;
}
