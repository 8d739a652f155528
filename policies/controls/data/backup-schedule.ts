import type { CheckResult, Control, KubernetesObject, Violation } from "../../types";
import { describe, isKind, k8sResources, nameOf, namespaceOf, namespaceView, specOf, type K8sResource } from "../lib/k8s";
import { ofKind, ofKinds } from "../lib/indexes";
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
    "CloudNativePG: set `spec.backup.barmanObjectStore` with `spec.backup.retentionPolicy` (or the barman-cloud plugin with an ObjectStore that has `spec.retentionPolicy`) and create a ScheduledBackup whose `spec.cluster.name` is the cluster. Volumes: create a velero.io/v1 Schedule whose `spec.template.includedNamespaces` covers the namespace, with `spec.template.ttl`. A tenant stack: its platform backs its volumes up once it lists the tenant in `socle:tenants` (`socle tenant add`); render the tenant, the platform, then the tenant again (`socle fleet render` does).",
  evidence: [
    "postgresql.cnpg.io Cluster `spec.backup.retentionPolicy`, `spec.plugins[]` (barman-cloud.cloudnative-pg.io, parameters.barmanObjectName)",
    "barmancloud.cnpg.io ObjectStore `spec.retentionPolicy`",
    "postgresql.cnpg.io ScheduledBackup `spec.cluster.name`, `spec.suspend`",
    "namespaces of core/v1 PersistentVolumeClaims and of StatefulSets with volumeClaimTemplates",
    "velero.io/v1 Schedule `spec.paused`, `spec.template.includedNamespaces`, `spec.template.excludedNamespaces`, `spec.template.ttl`",
    "context: platformBackupSchedules (a tenant: the Schedules its platform runs for it, recorded by the tenant's render from its platform's output named tenantBackups)",
  ],
  check(resources, ctx) {
    const k8s = k8sResources(resources);
    const results: CheckResult[] = [];
    // Indexes built once (linear in the input): active ScheduledBackups by namespace and target cluster,
    // ObjectStores with a retention policy by namespace and name.
    const schedulesOf = new Map<string, K8sResource[]>();
    for (const s of ofKind(resources, CNPG, "ScheduledBackup")) {
      const target = asRecord(specOf(s.obj).cluster).name;
      if (specOf(s.obj).suspend === true || typeof target !== "string") continue;
      const key = `${namespaceOf(s.obj)}\0${target}`;
      const list = schedulesOf.get(key);
      if (list) list.push(s);
      else schedulesOf.set(key, [s]);
    }
    const storesWithRetention = new Set<string>();
    for (const { obj } of ofKind(resources, "barmancloud.cnpg.io", "ObjectStore")) {
      if (nonEmptyString(specOf(obj).retentionPolicy)) storesWithRetention.add(`${namespaceOf(obj)}\0${nameOf(obj)}`);
    }
    for (const { view, obj } of ofKind(resources, CNPG, "Cluster")) {
      const violations: Violation[] = [];
      if (!hasRetention(obj, storesWithRetention)) violations.push(violation(`${describe(obj)} has no backup retention policy (spec.backup.retentionPolicy, or the barman-cloud ObjectStore's spec.retentionPolicy)`, "spec.backup.retentionPolicy"));
      const schedules = schedulesOf.get(`${namespaceOf(obj)}\0${nameOf(obj)}`) ?? [];
      if (schedules.length === 0) violations.push(violation(`no active ScheduledBackup targets ${describe(obj)}`));
      results.push(verdict(view, violations, `${describe(obj)} is backed up by ${schedules.map((s) => nameOf(s.obj)).join(", ")} with a retention policy`));
    }
    const namespaces = [...new Set(ofKinds(resources, [["", "PersistentVolumeClaim"], ["apps", "StatefulSet"]]).filter(({ obj }) => holdsVolumes(obj)).map(({ obj }) => namespaceOf(obj)))].sort();
    // A tenant whose platform has reported no Schedule for it: say where its backups come from, and what to run.
    const unboundTenant = ctx.stackKind === "tenant" && (ctx.platformBackupSchedules ?? []).length === 0;
    // The stack's own active Schedules, then (a tenant) its platform's, which live in the platform's state.
    const velero: Schedule[] = [
      ...ofKind(resources, "velero.io", "Schedule")
        .filter(({ obj }) => specOf(obj).paused !== true)
        .map(({ obj }) => ({ label: nameOf(obj), template: asRecord(specOf(obj).template) })),
      ...(ctx.platformBackupSchedules ?? [])
        .filter((s) => s.paused !== true)
        .map((s) => ({
          label: `${s.namespace}/${s.name} of platform stack ${s.platformStack}`,
          template: { includedNamespaces: [...s.includedNamespaces], excludedNamespaces: [...(s.excludedNamespaces ?? [])], ttl: s.ttl } as Record<string, unknown>,
        })),
    ];
    // Schedules that include every namespace, and the others by the namespaces they name (indexes into `velero`).
    const everywhere: number[] = [];
    const naming = new Map<string, number[]>();
    velero.forEach(({ template }, i) => {
      const included = asArray(template.includedNamespaces);
      if (included.length === 0 || included.includes("*")) everywhere.push(i);
      else {
        for (const ns of new Set(included.filter((n): n is string => typeof n === "string"))) {
          const list = naming.get(ns);
          if (list) list.push(i);
          else naming.set(ns, [i]);
        }
      }
    });
    for (const ns of namespaces) {
      const candidates = [...everywhere, ...(naming.get(ns) ?? [])].sort((a, b) => a - b);
      const covering = candidates.map((i) => velero[i]!).filter(({ template }) => covers(template, ns));
      const withTtl = covering.filter(({ template }) => positiveDuration(template.ttl));
      const violations: Violation[] = [];
      if (covering.length === 0) violations.push(violation(`namespace ${ns} holds volumes but no active Velero Schedule includes it${unboundTenant ? UNBOUND_TENANT : ""}`));
      else if (withTtl.length === 0) violations.push(violation(`the Velero Schedule(s) covering namespace ${ns} (${covering.map(({ label }) => label).join(", ")}) set no spec.template.ttl`));
      results.push(verdict(namespaceView(k8s, ns), violations, `namespace ${ns} is covered by Velero Schedule ${withTtl.map(({ label }) => label).join(", ")}`));
    }
    return results;
  },
};

function hasRetention(cluster: KubernetesObject, storesWithRetention: ReadonlySet<string>): boolean {
  const spec = specOf(cluster);
  if (nonEmptyString(asRecord(spec.backup).retentionPolicy)) return true;
  return records(spec.plugins).some(({ item }) => {
    if (item.name !== BARMAN_PLUGIN || item.enabled === false) return false;
    const store = asString(asRecord(item.parameters).barmanObjectName);
    return store !== undefined && storesWithRetention.has(`${namespaceOf(cluster)}\0${store}`);
  });
}

const UNBOUND_TENANT =
  ": a tenant's volumes are backed up by its platform, which has not bound this tenant (list the tenant in the platform's socle:tenants, " +
  "then render or update the platform after the tenant and the tenant again: socle fleet render|up does both)";

const holdsVolumes = (obj: KubernetesObject): boolean =>
  isKind(obj, "", "PersistentVolumeClaim") || (isKind(obj, "apps", "StatefulSet") && asArray(specOf(obj).volumeClaimTemplates).length > 0);

/** A Schedule to judge: the stack's own (by name) or its platform's (by namespace, name and stack). */
interface Schedule {
  readonly label: string;
  readonly template: Record<string, unknown>;
}

/** Velero semantics: no includedNamespaces (or `*`) means every namespace; excludedNamespaces wins. */
function covers(template: Record<string, unknown>, ns: string): boolean {
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
