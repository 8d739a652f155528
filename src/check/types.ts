/**
 * The deployability check contract (`socle check`): will what was rendered start, find its files, reach
 * its peers and trust their certificates? Rules read the same normalized resources as the audit
 * (`ResourceView`, from a state export, a checkpoint or a manifests folder) plus the typed contracts of
 * what each Helm release installs, and say what will not work, where, why and how to fix it.
 */
import type { AuditContext, KubernetesObject, ResourceView } from "../../policies/types";

export type CheckSeverity = "blocker" | "warning";

export interface CheckFinding {
  /** Rule id, e.g. `ref-secret-key`, `flow-egress`, `cloud-metadata-reachable`. */
  readonly rule: string;
  readonly severity: CheckSeverity;
  /** `kind/namespace/name` for a Kubernetes object (`kind/name` when cluster-scoped), or the Pulumi type and name of a cloud resource (`openstack:compute/instance:Instance/<name>`). */
  readonly object: string;
  /** Field path in the object, e.g. `spec.template.spec.containers[0].env[3].valueFrom.secretKeyRef.key`. */
  readonly path: string;
  /** Why it will not start or connect. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
}

/** Everything a rule may read, built once per check run. */
export interface CheckModel {
  /** Every resource of the input, in input order. */
  readonly resources: readonly ResourceView[];
  /** The Kubernetes objects among them (rendered objects plus what the Helm releases install, from their contracts). */
  readonly objects: readonly KubernetesObject[];
  /** Cloud resources (non-Kubernetes custom resources: openstack, outscale, random, tls…). */
  readonly cloud: readonly ResourceView[];
  /** Deployment facts from the stack's `socle` output, when the input carries them. */
  readonly context: AuditContext;
  /**
   * A tenant's platform, as rendered (its state beside the tenant's, out/<platform>/state.json): the objects
   * a tenant's objects refer to but the platform owns (its Gateway, ClusterIssuer, trust Bundle). `undefined`:
   * the input is no tenant's; `found: false`: a tenant whose platform's render was not found.
   */
  readonly platform?: { readonly stack: string; readonly found: boolean; readonly objects: readonly KubernetesObject[]; readonly charts?: readonly string[] };
}

export interface CheckRule {
  readonly id: string;
  /** One line: what the rule proves. */
  readonly description: string;
  run(model: CheckModel): readonly CheckFinding[];
}
