/** Indexes over a check model's objects, built once per model and shared by the rules. */
import type { KubernetesObject } from "../../policies/types";
import { claimTemplateNames } from "./controllers";
import { ANNOTATIONS, asArray, containerPorts, containers, isObject, nameOf, nsOf, podTemplates, serviceSelects, type PodTemplate } from "./k8s";
import type { CheckModel } from "./types";

export interface Inventory {
  /** `kind/namespace/name` → object (first wins). */
  readonly byKey: ReadonlyMap<string, KubernetesObject>;
  readonly pods: readonly PodTemplate[];
  readonly services: readonly KubernetesObject[];
  /** Claim template names per StatefulSet pod template (keyed by the template). */
  readonly claimTemplates: ReadonlyMap<PodTemplate, readonly string[]>;
  /** Pod templates per namespace. */
  readonly podsByNamespace: ReadonlyMap<string, readonly PodTemplate[]>;
  /** Memo of `selectedPods`. */
  readonly selected: Map<KubernetesObject, PodTemplate[]>;
}

const cache = new WeakMap<CheckModel, Inventory>();

export const key = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

export function inventory(model: CheckModel): Inventory {
  let inv = cache.get(model);
  if (inv) return inv;
  const byKey = new Map<string, KubernetesObject>();
  for (const o of model.objects) {
    const k = key(o.kind, nsOf(o), nameOf(o));
    if (!byKey.has(k)) byKey.set(k, o);
  }
  const pods = podTemplates(model.objects);
  const claimTemplates = new Map<PodTemplate, string[]>();
  for (const p of pods) claimTemplates.set(p, claimTemplateNames(p.owner));
  const podsByNamespace = new Map<string, PodTemplate[]>();
  for (const p of pods) {
    const list = podsByNamespace.get(p.namespace);
    if (list) list.push(p);
    else podsByNamespace.set(p.namespace, [p]);
  }
  inv = { byKey, pods, services: model.objects.filter((o) => o.kind === "Service"), claimTemplates, podsByNamespace, selected: new Map() };
  cache.set(model, inv);
  return inv;
}

export function find(inv: Inventory, kind: string, namespace: string, name: string): KubernetesObject | undefined {
  return inv.byKey.get(key(kind, namespace, name));
}

/** Data keys an object is known to hold; undefined when the input does not say (no data field at all). */
export function dataKeys(o: KubernetesObject): Set<string> | undefined {
  const fields = ["data", "stringData", "binaryData"].filter((f) => isObject(o[f]));
  if (fields.length === 0) return undefined;
  const out = new Set<string>();
  for (const f of fields) for (const k of Object.keys(o[f] as object)) out.add(k);
  return out;
}

/** Where an object comes from, for messages. */
export function origin(o: KubernetesObject): string {
  const a = o.metadata.annotations ?? {};
  if (a[ANNOTATIONS.producedBy]) return `created by ${a[ANNOTATIONS.producedBy]}`;
  if (a[ANNOTATIONS.installedBy]) return `installed by Helm release ${a[ANNOTATIONS.installedBy]}`;
  if (a["check.socle.io/keys-from"]) return `rendered; keys read from ${a["check.socle.io/keys-from"]}`;
  return "rendered";
}

/** Pod templates a Service's selector matches, in its namespace. */
export function selectedPods(inv: Inventory, svc: KubernetesObject): PodTemplate[] {
  const memo = inv.selected.get(svc);
  if (memo) return memo;
  const spec = isObject(svc.spec) ? svc.spec : {};
  const selector = isObject(spec.selector) ? (spec.selector as Record<string, string>) : {};
  const out = (inv.podsByNamespace.get(nsOf(svc)) ?? []).filter((p) => serviceSelects(selector, p.labels));
  inv.selected.set(svc, out);
  return out;
}

/** The container port a Service port's targetPort names, in a pod; undefined when not declared. */
export function resolveTargetPort(pod: PodTemplate, target: number | string): number | undefined {
  for (const c of containers(pod)) {
    if (c.init) continue;
    for (const p of containerPorts(c.container)) if (typeof target === "number" ? p.port === target : p.name === target) return p.port;
  }
  return undefined;
}

export interface ServicePort {
  readonly index: number;
  readonly port: number;
  readonly name?: string;
  readonly targetPort: number | string;
  readonly protocol: string;
}

export function servicePorts(svc: KubernetesObject): ServicePort[] {
  const spec = isObject(svc.spec) ? svc.spec : {};
  return asArray(spec.ports).flatMap((p, index) => {
    if (!isObject(p) || typeof p.port !== "number") return [];
    const tp = p.targetPort;
    const targetPort = typeof tp === "number" ? tp : typeof tp === "string" && tp !== "" ? (/^\d+$/.test(tp) ? Number(tp) : tp) : p.port;
    return [{ index, port: p.port, ...(typeof p.name === "string" ? { name: p.name } : {}), targetPort, protocol: typeof p.protocol === "string" ? p.protocol : "TCP" }];
  });
}
