import type { KubernetesObject } from "../../../../policies/types";
import type { CheckFinding, CheckRule } from "../../types";
import { CloudGraph, isRecord, records, type Json } from "./graph";

const MAGNUM_CLUSTER = "openstack:containerinfra/cluster:Cluster";
const MAGNUM_TEMPLATE = "openstack:containerinfra/clusterTemplate:ClusterTemplate";
const OKS_CLUSTER = "outscale:index/oksCluster:OksCluster";
/** Labels naming the Cinder volume types a magnum-capi-helm cluster uses (magnum_capi_helm/driver.py). */
const MAGNUM_VOLUME_TYPE_LABELS = ["boot_volume_type", "etcd_blockdevice_volume_type", "etcd_volume_type"];

/** magnum-capi-helm names a storage class after each Cinder volume type (driver_utils.py `sanitized_name`). */
const sanitized = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");

interface ClassUse {
  readonly object: KubernetesObject;
  readonly path: string;
  readonly name: string;
}

/** Where a rendered object names a storage class: PVCs, StatefulSet claim templates, CloudNativePG clusters. */
export function storageClassUses(objects: readonly KubernetesObject[]): ClassUse[] {
  const uses: ClassUse[] = [];
  const add = (object: KubernetesObject, path: string, v: unknown) => {
    if (typeof v === "string" && v !== "") uses.push({ object, path, name: v });
  };
  for (const o of objects) {
    const spec: Json = isRecord(o.spec) ? o.spec : {};
    if (o.kind === "PersistentVolumeClaim") add(o, "spec.storageClassName", spec.storageClassName);
    if (o.kind === "StatefulSet") records(spec.volumeClaimTemplates).forEach((t, i) => add(o, `spec.volumeClaimTemplates[${i}].spec.storageClassName`, isRecord(t.spec) ? t.spec.storageClassName : undefined));
    if (o.kind === "Cluster" && o.apiVersion.startsWith("postgresql.cnpg.io/")) {
      if (isRecord(spec.storage)) add(o, "spec.storage.storageClass", spec.storage.storageClass);
      if (isRecord(spec.walStorage)) add(o, "spec.walStorage.storageClass", spec.walStorage.storageClass);
    }
  }
  return uses;
}

const objectName = (o: KubernetesObject) => (o.metadata.namespace ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name ?? ""}` : `${o.kind}/${o.metadata.name ?? ""}`);

export const storageClassProvided: CheckRule = {
  id: "cloud-storage-class-provided",
  description: "Every storage class a volume claim names exists in the render or is made by the target (magnum-capi-helm: one per Cinder volume type).",
  run(model) {
    const g = new CloudGraph(model);
    const rendered = new Set(model.objects.filter((o) => o.kind === "StorageClass").map((o) => o.metadata.name ?? ""));
    const magnum = [...g.ofType(MAGNUM_CLUSTER), ...g.ofType(MAGNUM_TEMPLATE)];
    const magnumClasses = new Set(
      magnum.flatMap((m) => {
        const labels = isRecord(m.props.labels) ? m.props.labels : {};
        return MAGNUM_VOLUME_TYPE_LABELS.map((l) => labels[l]).filter((v): v is string => typeof v === "string" && v !== "").map(sanitized);
      }),
    );
    const oks = g.ofType(OKS_CLUSTER).length > 0;
    const existing = g.socle()?.target === "existing";
    const out: CheckFinding[] = [];
    for (const use of storageClassUses(model.objects)) {
      if (rendered.has(use.name) || magnumClasses.has(use.name)) continue;
      const base = { rule: this.id, object: objectName(use.object), path: use.path };
      if (oks || existing) {
        out.push({
          ...base,
          severity: "warning",
          message: `storage class ${use.name} is neither in the render nor made by socle: ${oks ? "no source socle could read states which classes an OKS cluster offers" : "it is the operator's cluster's"}, so it cannot be verified`,
          fix: `check with \`kubectl get storageclass ${use.name}\` on the cluster before pulumi up`,
        });
        continue;
      }
      out.push({
        ...base,
        severity: "blocker",
        message: `storage class ${use.name} exists nowhere: no StorageClass of the render has this name${magnum.length > 0 ? `, and magnum-capi-helm names its classes after the Cinder volume types (${[...magnumClasses].join(", ") || "none named in the cluster's labels"})` : ""}; the claim stays Pending`,
        fix: "install the cloud's CSI driver and its StorageClass in the cluster component, or name a class the target provides in the cluster contract",
      });
    }
    return out;
  },
};
