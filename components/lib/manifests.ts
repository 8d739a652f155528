import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

/** Kinds holding data that must never be deleted by accident: `protect: true` on every one. */
const STATEFUL_KINDS = new Set(["PersistentVolumeClaim", "postgresql.cnpg.io/Cluster", "StatefulSet"]);

export function isStateful(obj: { apiVersion?: string; kind?: string }): boolean {
  const group = obj.apiVersion?.includes("/") ? obj.apiVersion.split("/")[0] : "";
  return STATEFUL_KINDS.has(obj.kind ?? "") || STATEFUL_KINDS.has(`${group}/${obj.kind}`);
}

const protectStateful: pulumi.ResourceTransformation = (args) => {
  const props = args.props as { apiVersion?: string; kind?: string };
  if (!isStateful(props)) return undefined;
  return { props: args.props, opts: pulumi.mergeOptions(args.opts, { protect: true, retainOnDelete: true }) };
};

type ManifestObserver = (objs: readonly Record<string, unknown>[]) => void;
const observers = new Set<ManifestObserver>();

/**
 * Sees every object `manifestGroup` registers while `work` runs (synchronously): how a tenant's program sizes
 * its Capsule quota from what its apps render. Returns what `work` returns.
 */
export function observeManifests<T>(observer: ManifestObserver, work: () => T): T {
  observers.add(observer);
  try {
    return work();
  } finally {
    observers.delete(observer);
  }
}

/**
 * Registers cdk8s output as real Pulumi resources (one per object, visible to the engine and to
 * policies). `prefix` keeps names unique across groups. Stateful objects are protected from deletion.
 */
export function manifestGroup(
  name: string,
  objs: readonly Record<string, unknown>[],
  opts: pulumi.ComponentResourceOptions,
): k8s.yaml.ConfigGroup {
  for (const observe of observers) observe(objs);
  return new k8s.yaml.ConfigGroup(
    name,
    { objs: objs as Record<string, any>[], resourcePrefix: name },
    { ...opts, transformations: [...(opts.transformations ?? []), protectStateful] },
  );
}
