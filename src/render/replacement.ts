import type { StateResource } from "./state";

/**
 * Replacement safety: what a new render would do to the data of a stack that already has state.
 * A protected resource whose URN disappears would be deleted, and one whose immutable field
 * changes can only be replaced; `protect` makes `pulumi up` fail half-way in both cases. socle
 * refuses such a change before writing anything, naming the resource and the migration
 * (docs/migrations.md).
 */

/**
 * Fields Kubernetes refuses to change in place, per kind (Kubernetes API validation:
 * apps/v1 StatefulSet "updates to statefulset spec for fields other than 'replicas', 'ordinals',
 * 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are
 * forbidden"; core/v1 PersistentVolumeClaim spec is immutable after creation except
 * resources.requests and volumeAttributesClassName; CloudNativePG Cluster storage class).
 */
export const IMMUTABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:apps/v1:StatefulSet": ["spec.volumeClaimTemplates", "spec.selector", "spec.serviceName", "spec.podManagementPolicy"],
  "kubernetes:apps/v1:Deployment": ["spec.selector"],
  "kubernetes:core/v1:PersistentVolumeClaim": ["spec.storageClassName", "spec.accessModes", "spec.volumeName", "spec.volumeMode", "spec.selector", "spec.dataSource"],
  "kubernetes:postgresql.cnpg.io/v1:Cluster": ["spec.storage.storageClass", "spec.walStorage.storageClass", "spec.bootstrap"],
};

export interface ReplacementProblem {
  readonly urn: string;
  readonly problem: string;
  readonly migration: string;
}

const MIGRATION_DOC = "docs/migrations.md";

export function replacementProblems(previous: readonly StateResource[], next: readonly StateResource[]): ReplacementProblem[] {
  const nextByUrn = new Map(next.map((r) => [r.urn, r]));
  const problems: ReplacementProblem[] = [];
  for (const old of previous) {
    if (!old.protect) continue;
    const now = nextByUrn.get(old.urn);
    if (!now) {
      problems.push({ urn: old.urn, problem: "is protected and would be deleted (its URN disappears)", migration: `${MIGRATION_DOC}#a-protected-resource-would-be-deleted` });
      continue;
    }
    for (const field of IMMUTABLE_FIELDS[old.type] ?? []) {
      const before = JSON.stringify(at(old.inputs, field) ?? null);
      const after = JSON.stringify(at(now.inputs, field) ?? null);
      if (before !== after) {
        problems.push({ urn: old.urn, problem: `is protected and its immutable field ${field} would change (Kubernetes can only replace it)`, migration: `${MIGRATION_DOC}#an-immutable-field-would-change` });
      }
    }
  }
  return problems;
}

function at(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const seg of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
