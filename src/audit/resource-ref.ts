import type { ResourceRef, ResourceView } from "../../policies/types";

/**
 * How findings name a resource: Kubernetes objects by kind, namespace and name; other Pulumi
 * resources by their type token (as `kind`) and resource name; always the URN or file when known.
 */
export function resourceRef(view: ResourceView): ResourceRef {
  const meta = view.k8s?.metadata;
  const kind = view.k8s?.kind ?? view.type;
  const name = meta?.name ?? view.name;
  return {
    ...(view.urn !== undefined ? { urn: view.urn } : {}),
    kind,
    ...(meta?.namespace !== undefined ? { namespace: meta.namespace } : {}),
    name,
    ...(view.file !== undefined ? { file: view.file } : {}),
  };
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
