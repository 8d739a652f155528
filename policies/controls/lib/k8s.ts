import type { KubernetesObject, ResourceView } from "../../types";
import { asRecord, type Json } from "./values";

export interface K8sResource {
  readonly view: ResourceView;
  readonly obj: KubernetesObject;
}

/** Kubernetes objects among the resources, whatever their Pulumi type token (typed resource or plain manifest). */
export const k8sResources = (resources: readonly ResourceView[]): readonly K8sResource[] =>
  resources.flatMap((view) => (view.k8s ? [{ view, obj: view.k8s }] : []));

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
export function namespaceView(resources: readonly K8sResource[], namespace: string): ResourceView {
  const found = resources.find((r) => isKind(r.obj, "", "Namespace") && r.obj.metadata.name === namespace);
  if (found) return found.view;
  const k8s: KubernetesObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } };
  return { type: "kubernetes:core/v1:Namespace", name: namespace, props: {}, protect: false, k8s };
}
