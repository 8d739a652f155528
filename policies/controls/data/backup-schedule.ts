import type { CheckResult, Control, KubernetesObject, Violation } from "../../types";
import { describe, isKind, k8sResources, nameOf, namespaceOf, namespaceView, specOf, type K8sResource } from "../lib/k8s";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asArray, asRecord, asString, nonEmptyString, records } from "../lib/values";

const CNPG = "postgresql.cnpg.io";
const BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";

export const control: Control = {
  id: "snc-data-backup-schedule",
  title: {
    fr: "Sauvegardes planifiées avec durée de rétention",
    en: "Backups scheduled with a retention period",
  },
  snc: verifiedSection("12", "12.5", "Sauvegarde des informations"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "The provider must implement a backup and restore policy with a daily backup of the data under its responsibility (12.5.a). Every PostgreSQL cluster needs continuous archiving with a retention policy and a scheduled base backup; every namespace holding volumes needs a Velero schedule with a time to live, or its files are lost with the volume.",
  remediation:
    "CloudNativePG: set `spec.backup.barmanObjectStore` with `spec.backup.retentionPolicy` (or the barman-cloud plugin with an ObjectStore that has `spec.retentionPolicy`) and create a ScheduledBackup whose `spec.cluster.name` is the cluster. Volumes: create a velero.io/v1 Schedule whose `spec.template.includedNamespaces` covers the namespace, with `spec.template.ttl`.",
  evidence: [
    "postgresql.cnpg.io Cluster `spec.backup.retentionPolicy`, `spec.plugins[]` (barman-cloud.cloudnative-pg.io, parameters.barmanObjectName)",
    "barmancloud.cnpg.io ObjectStore `spec.retentionPolicy`",
    "postgresql.cnpg.io ScheduledBackup `spec.cluster.name`, `spec.suspend`",
    "namespaces of core/v1 PersistentVolumeClaims and of StatefulSets with volumeClaimTemplates",
    "velero.io/v1 Schedule `spec.paused`, `spec.template.includedNamespaces`, `spec.template.excludedNamespaces`, `spec.template.ttl`",
  ],
  check(resources) {
    const k8s = k8sResources(resources);
    const results: CheckResult[] = [];
    const scheduled = k8s.filter(({ obj }) => isKind(obj, CNPG, "ScheduledBackup") && specOf(obj).suspend !== true);
    for (const { view, obj } of k8s) {
      if (!isKind(obj, CNPG, "Cluster")) continue;
      const violations: Violation[] = [];
      if (!hasRetention(obj, k8s)) violations.push(violation(`${describe(obj)} has no backup retention policy (spec.backup.retentionPolicy, or the barman-cloud ObjectStore's spec.retentionPolicy)`, "spec.backup.retentionPolicy"));
      const schedules = scheduled.filter((s) => namespaceOf(s.obj) === namespaceOf(obj) && asRecord(specOf(s.obj).cluster).name === nameOf(obj));
      if (schedules.length === 0) violations.push(violation(`no active ScheduledBackup targets ${describe(obj)}`));
      results.push(verdict(view, violations, `${describe(obj)} is backed up by ${schedules.map((s) => nameOf(s.obj)).join(", ")} with a retention policy`));
    }
    const namespaces = [...new Set(k8s.filter(({ obj }) => holdsVolumes(obj)).map(({ obj }) => namespaceOf(obj)))].sort();
    const velero = k8s.filter(({ obj }) => isKind(obj, "velero.io", "Schedule") && specOf(obj).paused !== true);
    for (const ns of namespaces) {
      const covering = velero.filter(({ obj }) => covers(obj, ns));
      const withTtl = covering.filter(({ obj }) => positiveDuration(asRecord(specOf(obj).template).ttl));
      const violations: Violation[] = [];
      if (covering.length === 0) violations.push(violation(`namespace ${ns} holds volumes but no active Velero Schedule includes it`));
      else if (withTtl.length === 0) violations.push(violation(`the Velero Schedule(s) covering namespace ${ns} (${covering.map(({ obj }) => nameOf(obj)).join(", ")}) set no spec.template.ttl`));
      results.push(verdict(namespaceView(k8s, ns), violations, `namespace ${ns} is covered by Velero Schedule ${withTtl.map(({ obj }) => nameOf(obj)).join(", ")}`));
    }
    return results;
  },
};

function hasRetention(cluster: KubernetesObject, k8s: readonly K8sResource[]): boolean {
  const spec = specOf(cluster);
  if (nonEmptyString(asRecord(spec.backup).retentionPolicy)) return true;
  return records(spec.plugins).some(({ item }) => {
    if (item.name !== BARMAN_PLUGIN || item.enabled === false) return false;
    const store = asString(asRecord(item.parameters).barmanObjectName);
    return k8s.some(({ obj }) => isKind(obj, "barmancloud.cnpg.io", "ObjectStore") && nameOf(obj) === store && namespaceOf(obj) === namespaceOf(cluster) && nonEmptyString(specOf(obj).retentionPolicy));
  });
}

const holdsVolumes = (obj: KubernetesObject): boolean =>
  isKind(obj, "", "PersistentVolumeClaim") || (isKind(obj, "apps", "StatefulSet") && asArray(specOf(obj).volumeClaimTemplates).length > 0);

/** Velero semantics: no includedNamespaces (or `*`) means every namespace; excludedNamespaces wins. */
function covers(schedule: KubernetesObject, ns: string): boolean {
  const template = asRecord(specOf(schedule).template);
  const included = asArray(template.includedNamespaces);
  const excluded = asArray(template.excludedNamespaces);
  if (excluded.includes(ns)) return false;
  return included.length === 0 || included.includes("*") || included.includes(ns);
}

/** A Go duration (`720h0m0s`) greater than zero. */
function positiveDuration(v: unknown): boolean {
  if (typeof v !== "string" || !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v)) return false;
  return /[1-9]/.test(v);
}
