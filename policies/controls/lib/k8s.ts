import type { KubernetesObject, ResourceView } from "../../types";
import { asRecord, type Json } from "./values";

export interface K8sResource {
  readonly view: ResourceView;
  readonly obj: KubernetesObject;
}

const k8sCache = new WeakMap<readonly ResourceView[], readonly K8sResource[]>();

/**
 * Kubernetes objects among the resources, whatever their Pulumi type token (typed resource or plain manifest).
 * Every control asks for them: computed once per resource list (the lists are never mutated).
 */
export function k8sResources(resources: readonly ResourceView[]): readonly K8sResource[] {
  let found = k8sCache.get(resources);
  if (!found) {
    const list: K8sResource[] = [];
    for (const view of resources) if (view.k8s) list.push({ view, obj: view.k8s });
    found = list;
    k8sCache.set(resources, found);
  }
  return found;
}

/** API group of an object: `""` for the core group (`apiVersion: v1`). */
export function apiGroup(obj: KubernetesObject): string {
  const slash = obj.apiVersion.indexOf("/");
  return slash < 0 ? "" : obj.apiVersion.slice(0, slash);
}

/** True when the object is `kind` in API group `group` (any version). */
export const isKind = (obj: KubernetesObject, group: string, kind: string): boolean => obj.kind === kind && apiGroup(obj) === group;

export const namespaceOf = (obj: KubernetesObject): string => obj.metadata.namespace ?? "default";

export const nameOf = (obj: KubernetesObject): string => obj.metadata.name ?? "(unnamed)";

/** `Deployment wiki/xwiki`: how messages name an object. */
export const describe = (obj: KubernetesObject): string =>
  obj.metadata.namespace !== undefined ? `${obj.kind} ${obj.metadata.namespace}/${nameOf(obj)}` : `${obj.kind} ${nameOf(obj)}`;

export const specOf = (obj: KubernetesObject): Json => asRecord(obj.spec);

/**
 * The resource standing for a namespace: the Namespace object when the input has it, else a
 * synthetic view, so that namespace-level findings always name the namespace.
 */
const namespaceIndex = new WeakMap<readonly K8sResource[], ReadonlyMap<string, ResourceView>>();

export function namespaceView(resources: readonly K8sResource[], namespace: string): ResourceView {
  let index = namespaceIndex.get(resources);
  if (!index) {
    const byName = new Map<string, ResourceView>();
    for (const r of resources) {
      const name = r.obj.metadata.name;
      if (name !== undefined && !byName.has(name) && isKind(r.obj, "", "Namespace")) byName.set(name, r.view);
    }
    index = byName;
    namespaceIndex.set(resources, index);
  }
  const found = index.get(namespace);
  if (found) return found;
  const k8s: KubernetesObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } };
  return { type: "kubernetes:core/v1:Namespace", name: namespace, props: {}, protect: false, k8s };
}
