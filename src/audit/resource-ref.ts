import type { ResourceRef, ResourceView } from "../../policies/types";

/**
 * How findings name a resource: Kubernetes objects by kind, namespace and name; other Pulumi
 * resources by their type token (as `kind`) and resource name; always the URN or file when known.
 */
export function resourceRef(view: ResourceView): ResourceRef {
  const meta = view.k8s?.metadata;
  // Built property by property in the order reports show them (urn, kind, namespace, name, file): object
  // spreads of conditional literals cost a few microseconds per resource, and every finding names one.
  const ref: { -readonly [K in keyof ResourceRef]: ResourceRef[K] } = {};
  if (view.urn !== undefined) ref.urn = view.urn;
  ref.kind = view.k8s?.kind ?? view.type;
  if (meta?.namespace !== undefined) ref.namespace = meta.namespace;
  ref.name = meta?.name ?? view.name;
  if (view.file !== undefined) ref.file = view.file;
  return ref;
}

/** The sort and identity key of a resource: URN, else manifest file reference, else name. */
export function resourceKey(ref: ResourceRef): string {
  return ref.urn ?? ref.file ?? `${ref.kind ?? ""}/${ref.namespace ?? ""}/${ref.name ?? ""}`;
}

/** A short human label: `Deployment wiki/xwiki`, `openstack:compute/instance:Instance node-1`. */
export function resourceLabel(ref: ResourceRef): string {
  const ns = ref.namespace ? `${ref.namespace}/` : "";
  return `${ref.kind ?? "resource"} ${ns}${ref.name ?? ref.urn ?? ref.file ?? "?"}`;
}
