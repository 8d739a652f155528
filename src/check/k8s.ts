/**
 * Reading Kubernetes objects for the deployability rules: pod templates of every workload kind, their
 * containers, the names of things, with the field path of each part so findings point at the field.
 */
import type { KubernetesObject } from "../../policies/types";

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Annotations the check puts on the objects it derives from release contracts and controllers. */
export const ANNOTATIONS = {
  /** `<release>@<chart version>`: the Helm release that installs this object (from its contract). */
  installedBy: "check.socle.io/installed-by",
  /** Upstream file the object's facts were read from. */
  source: "check.socle.io/source",
  /** `pre-install`, `post-install`…: the object is a Helm hook. */
  hook: "check.socle.io/helm-hook",
  /** `true`: the workload talks to the Kubernetes API server. */
  needsApiServer: "check.socle.io/needs-api-server",
  /** The controller that creates this object (`cert-manager Certificate x`, `CloudNativePG Cluster y`). */
  producedBy: "check.socle.io/produced-by",
} as const;

/** `kind/namespace/name`, or `kind/name` when cluster-scoped. */
export function objectId(o: KubernetesObject): string {
  const ns = o.metadata.namespace;
  return ns ? `${o.kind}/${ns}/${o.metadata.name ?? "?"}` : `${o.kind}/${o.metadata.name ?? "?"}`;
}

export const nameOf = (o: KubernetesObject): string => o.metadata.name ?? "";
export const nsOf = (o: KubernetesObject): string => o.metadata.namespace ?? "";

export interface PodTemplate {
  readonly owner: KubernetesObject;
  /** Field path of the pod spec, e.g. `spec.template.spec`. */
  readonly path: string;
  readonly spec: Json;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespace: string;
}

const TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

/** The pod template of a workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
export function podTemplate(o: KubernetesObject): PodTemplate | undefined {
  const spec = o.spec;
  if (!isObject(spec)) return undefined;
  const make = (tpl: unknown, path: string): PodTemplate | undefined => {
    if (!isObject(tpl) || !isObject(tpl.spec)) return undefined;
    const md = isObject(tpl.metadata) ? tpl.metadata : {};
    const labels = isObject(md.labels) ? (md.labels as Record<string, string>) : {};
    return { owner: o, path: `${path}.spec`, spec: tpl.spec, labels, namespace: nsOf(o) };
  };
  if (o.kind === "Pod") return { owner: o, path: "spec", spec, labels: o.metadata.labels ?? {}, namespace: nsOf(o) };
  if (TEMPLATE_KINDS.has(o.kind)) return make(spec.template, "spec.template");
  if (o.kind === "CronJob" && isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec)) return make(spec.jobTemplate.spec.template, "spec.jobTemplate.spec.template");
  return undefined;
}

export function podTemplates(objects: readonly KubernetesObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    const t = podTemplate(o);
    if (t) out.push(t);
  }
  return out;
}

export interface ContainerRef {
  readonly container: Json;
  readonly name: string;
  /** `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly init: boolean;
}

export function containers(t: PodTemplate): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of ["initContainers", "containers"] as const) {
    asArray(t.spec[field]).forEach((c, i) => {
      if (isObject(c)) out.push({ container: c, name: asString(c.name) ?? `#${i}`, path: `${t.path}.${field}[${i}]`, init: field === "initContainers" });
    });
  }
  return out;
}

export interface ContainerPort {
  readonly port: number;
  readonly name?: string;
  readonly protocol: string;
}

export function containerPorts(c: Json): ContainerPort[] {
  return asArray(c.ports)
    .filter(isObject)
    .filter((p) => typeof p.containerPort === "number")
    .map((p) => ({ port: p.containerPort as number, ...(typeof p.name === "string" ? { name: p.name } : {}), protocol: asString(p.protocol) ?? "TCP" }));
}

/** Label selector semantics (matchLabels and matchExpressions); an absent selector selects nothing here. */
export function matchesSelector(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  const ml = isObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const e of asArray(selector.matchExpressions).filter(isObject)) {
    const key = String(e.key);
    const values = asArray(e.values).map(String);
    const has = key in labels;
    if (e.operator === "In" && !(has && values.includes(labels[key]!))) return false;
    if (e.operator === "NotIn" && has && values.includes(labels[key]!)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** A Service's `spec.selector` (plain map) matches the labels. */
export function serviceSelects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** Image name without registry mirror prefix, tag or digest: `…/mirror/docker.io/library/xwiki:17@sha…` → `docker.io/library/xwiki`. */
export function imageRepository(image: string): { repository: string; tag?: string } {
  const noDigest = image.split("@")[0]!;
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  const repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const tag = colon > slash ? noDigest.slice(colon + 1) : undefined;
  const mirror = repo.indexOf("/mirror/");
  const bare = mirror >= 0 ? repo.slice(mirror + "/mirror/".length) : repo;
  return { repository: bare, ...(tag ? { tag } : {}) };
}

/** Stable ordering without locale: code unit order. */
export const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
