import type { KubernetesObject } from "../types";
import type { PodUnderCheck } from "./check";
import type { ObjectMeta, PodSpec } from "./podSpec";

export interface LocatedPodSpec {
  readonly spec: PodSpec;
  readonly metadata: ObjectMeta;
  /** Property path of the pod spec, e.g. `spec.template.spec`. */
  readonly path: string;
  /** Property path of the pod metadata, e.g. `spec.template.metadata`. */
  readonly metadataPath: string;
}

/** Where each pod-bearing kind keeps its pod template, keyed by `<API group>/<kind>` (core group: empty). */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  "/PodTemplate": ["template"],
  "/ReplicationController": ["spec", "template"],
  "apps/Deployment": ["spec", "template"],
  "apps/StatefulSet": ["spec", "template"],
  "apps/DaemonSet": ["spec", "template"],
  "apps/ReplicaSet": ["spec", "template"],
  "batch/Job": ["spec", "template"],
  "batch/CronJob": ["spec", "jobTemplate", "spec", "template"],
};

/** Every kind `podSpecOf` finds a pod spec in, as `[API group, kind]` (core group: ""): the others carry none. */
export const POD_BEARING_KINDS: readonly (readonly [string, string])[] = [
  ["", "Pod"],
  ...Object.keys(TEMPLATE_PATHS).map((key): readonly [string, string] => [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)]),
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/**
 * The pod spec of a pod-bearing object, as upstream's pod spec extractor finds it: a Pod's own spec, or the pod
 * template of a PodTemplate, ReplicationController, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob.
 * Undefined for other kinds and for controllers without a template.
 */
export function podSpecOf(obj: KubernetesObject): LocatedPodSpec | undefined {
  const group = apiGroupOf(typeof obj.apiVersion === "string" ? obj.apiVersion : "");
  if (group === "" && obj.kind === "Pod") {
    return {
      spec: isRecord(obj["spec"]) ? (obj["spec"] as PodSpec) : {},
      metadata: isRecord(obj.metadata) ? obj.metadata : {},
      path: "spec",
      metadataPath: "metadata",
    };
  }
  const templatePath = TEMPLATE_PATHS[`${group}/${obj.kind}`];
  if (templatePath === undefined) return undefined;
  let template: unknown = obj;
  for (const key of templatePath) {
    template = isRecord(template) ? template[key] : undefined;
  }
  if (!isRecord(template)) return undefined;
  const prefix = templatePath.join(".");
  return {
    spec: isRecord(template["spec"]) ? (template["spec"] as PodSpec) : {},
    metadata: isRecord(template["metadata"]) ? (template["metadata"] as ObjectMeta) : {},
    path: `${prefix}.spec`,
    metadataPath: `${prefix}.metadata`,
  };
}

/**
 * The pod as the checks see it. Of the pod's metadata, only `annotations` is passed: the only metadata upstream's
 * checks read (kubernetes/pod-security-admission v0.37.0-alpha.2: `podMetadata.Annotations` in
 * policy/check_appArmorProfile.go and policy/check_seccompProfile_baseline.go; no other check reads `podMetadata`).
 * So a check's outcome depends on the spec, the annotations and the paths alone, which pods of the same
 * template share (evaluatePodSecurity's structural cache relies on it).
 */
export function podUnderCheck(located: LocatedPodSpec): PodUnderCheck {
  const metadata: ObjectMeta = Object.prototype.hasOwnProperty.call(located.metadata, "annotations") ? { annotations: located.metadata.annotations! } : {};
  return { spec: located.spec, metadata, specPath: located.path, metadataPath: located.metadataPath };
}
