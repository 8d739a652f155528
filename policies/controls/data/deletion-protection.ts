import type { CheckResult, Control, ResourceView } from "../../types";
import { describe, isKind, specOf } from "../lib/k8s";
import { notApplicable, verdict, violation } from "../lib/results";
import { chapterOnly } from "../lib/snc";
import { asArray, asRecord } from "../lib/values";

const CLOUD_STATEFUL = [
  /^openstack:blockstorage\/volume(V\d)?:Volume(V\d)?$/,
  /^openstack:objectstorage\/container(V\d)?:Container(V\d)?$/,
  /^outscale:index\/volume:Volume$/,
  /^outscale:index\/.*[bB]ucket.*$/,
];

export const control: Control = {
  id: "snc-data-deletion-protection",
  title: {
    fr: "Ressources porteuses de données protégées contre la suppression",
    en: "Stateful resources protected from deletion",
  },
  snc: chapterOnly("12"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "A refactoring that renames a resource, or a mistaken `pulumi destroy`, deletes the volume or database behind it and the data with it. Pulumi's `protect` option makes the engine refuse to delete the resource until the option is removed on purpose; a StatefulSet must also keep its volumes when deleted.",
  remediation:
    "Set `protect: true` on every PersistentVolumeClaim, CloudNativePG Cluster, StatefulSet with volumeClaimTemplates, OpenStack volume and container, and Outscale volume; leave `persistentVolumeClaimRetentionPolicy.whenDeleted` at Retain.",
  evidence: [
    "resource option `protect` of core/v1 PersistentVolumeClaim, postgresql.cnpg.io Cluster, apps/v1 StatefulSet with volumeClaimTemplates, openstack volumes and containers, outscale volumes",
    "apps/v1 StatefulSet `spec.persistentVolumeClaimRetentionPolicy.whenDeleted`",
  ],
  check(resources) {
    const results: CheckResult[] = [];
    for (const view of resources) {
      const what = statefulKind(view);
      if (what === undefined) continue;
      if (view.urn === undefined) {
        results.push(notApplicable(view, "plain manifest: deletion protection is a Pulumi resource option"));
        continue;
      }
      const violations = view.protect ? [] : [violation(`${what} is not protected: set the resource option protect: true`)];
      if (view.k8s && isKind(view.k8s, "apps", "StatefulSet") && asRecord(specOf(view.k8s).persistentVolumeClaimRetentionPolicy).whenDeleted === "Delete") {
        violations.push(violation(`${what} deletes its volumes when deleted`, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"));
      }
      results.push(verdict(view, violations, `${what} is protected`));
    }
    return results;
  },
};

/** How to name the resource when it holds data, undefined otherwise. */
function statefulKind(view: ResourceView): string | undefined {
  const obj = view.k8s;
  if (obj) {
    if (isKind(obj, "", "PersistentVolumeClaim") || isKind(obj, "postgresql.cnpg.io", "Cluster")) return describe(obj);
    if (isKind(obj, "apps", "StatefulSet") && asArray(specOf(obj).volumeClaimTemplates).length > 0) return describe(obj);
    return undefined;
  }
  return CLOUD_STATEFUL.some((re) => re.test(view.type)) ? `${view.type} ${view.name}` : undefined;
}
