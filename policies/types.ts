/**
 * The audit contract: what a control is, what it reads, and what it says.
 * Shared by the control catalog, the CrossGuard pack, `socle audit` and every report format.
 */

export type Severity = "low" | "medium" | "high" | "critical";
export type Enforcement = "mandatory" | "advisory";
export type FindingStatus = "pass" | "fail" | "waived" | "notApplicable";

/** SecNumCloud 3.2 chapters used by the catalog (the referential follows ISO/IEC 27002's order). */
export type SncChapter = "9" | "10" | "12" | "13" | "17" | "19";

export const SNC_CHAPTER_TITLES: Record<SncChapter, { fr: string; en: string }> = {
  "9": { fr: "Contrôle d'accès", en: "Access control" },
  "10": { fr: "Cryptologie", en: "Cryptology" },
  "12": { fr: "Sécurité liée à l'exploitation", en: "Operations security" },
  "13": { fr: "Sécurité des communications", en: "Communications security" },
  "17": { fr: "Continuité d'activité", en: "Business continuity" },
  "19": { fr: "Exigences supplémentaires", en: "Additional requirements" },
};

export interface SncReference {
  readonly chapter: SncChapter;
  /** A section number such as "19.6"; only where public material confirms it. */
  readonly section?: string;
  /** False: the section is our reading, not confirmed by a public source; reports show `unverified`. */
  readonly verified: boolean;
  /** Where the section number was confirmed (document, page), when verified. */
  readonly source?: string;
}

/** One resource as every check sees it, whatever the input (state export, checkpoint, manifests). */
export interface ResourceView {
  readonly urn?: string;
  /** Pulumi type token (`kubernetes:apps/v1:Deployment`, `openstack:compute/instance:Instance`), or `k8s:<apiVersion>:<kind>` for plain manifests. */
  readonly type: string;
  readonly name: string;
  /** Inputs merged with outputs (outputs win); secret values replaced by a marker. */
  readonly props: Readonly<Record<string, unknown>>;
  readonly parent?: string;
  readonly provider?: string;
  readonly protect: boolean;
  /** The Kubernetes object, where the resource is one. */
  readonly k8s?: KubernetesObject;
  /** Source file for manifest inputs. */
  readonly file?: string;
  /** URNs this resource depends on (a state's `dependencies`): how references resolve when ids are unknown, as in a render. */
  readonly dependencies?: readonly string[];
}

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [key: string]: unknown;
}

/** A velero.io/v1 Schedule of another stack (a tenant's platform), as recorded in the audited stack's metadata. */
export interface PlatformBackupSchedule {
  readonly platformStack: string;
  readonly namespace: string;
  readonly name: string;
  readonly includedNamespaces: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly storageLocation: string;
  readonly ttl: string;
  readonly paused?: boolean;
}

/** Facts about the deployment that are not resources: read from the stack's `socle` output or given on the command line. */
export interface AuditContext {
  /** Regions allowed for compute and storage (default: Outscale cloudgouv-eu-west-1 plus declared qualified OpenStack regions). */
  readonly allowedRegions: readonly string[];
  /** Registries images may come from (the mirror when one is set). */
  readonly allowedRegistries: readonly string[];
  /** Minimum log retention, days. */
  readonly minLogRetentionDays: number;
  /** Services allowed to be of type LoadBalancer, as `namespace/name`. */
  readonly declaredLoadBalancers: readonly string[];
  /** The stack's declared hosting provider attestation, when the input carries stack metadata. */
  readonly provider?: {
    readonly name: string;
    readonly qualificationReference: string;
    readonly qualificationExpires: string;
    readonly euJurisdiction: boolean;
  };
  /** The smallest IPv4 prefix length (largest range) allowed to reach administration ports; default 16. */
  readonly adminMinPrefix?: number;
  /**
   * A tenant's platform's Velero Schedules that cover the tenant, as the platform reported them and the tenant's
   * render recorded them (its `socle.platformBackups`): they live in the platform's state, not the tenant's.
   */
  readonly platformBackupSchedules?: readonly PlatformBackupSchedule[];
  /** The stack's `socle:kind` (dedicated, platform, tenant), when the input carries stack metadata. */
  readonly stackKind?: string;
  /** True when the input carries stack metadata (a state export or checkpoint made by socle). */
  readonly hasStackMetadata: boolean;
  /** Evaluation date, YYYY-MM-DD: fixed for reproducible reports. */
  readonly today: string;
}

export interface Violation {
  readonly message: string;
  /** Property path inside the resource, e.g. `spec.template.spec.containers[0].securityContext.runAsNonRoot`. */
  readonly path?: string;
}

export interface ResourceRef {
  readonly urn?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly file?: string;
}

export interface Finding {
  readonly controlId: string;
  readonly status: FindingStatus;
  readonly resource: ResourceRef;
  readonly message: string;
  readonly path?: string;
  readonly waiver?: { readonly justification: string; readonly approver: string; readonly expires: string };
}

/** Catalog metadata of one control: declared once, in the control's own file. */
export interface ControlMeta {
  /** Stable id, `snc-<area>-<topic>`, e.g. `snc-workload-pss-restricted`. Never reused. */
  readonly id: string;
  readonly title: { readonly fr: string; readonly en: string };
  readonly snc: SncReference;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  readonly rationale: string;
  readonly remediation: string;
  /** What the control reads, e.g. `kubernetes:core/v1:Service spec.type`. */
  readonly evidence: readonly string[];
}

/** The outcome of a control on one resource (or on the deployment as a whole, when `resource` is the stack). */
export interface CheckResult {
  readonly resource: ResourceView;
  readonly status: "pass" | "fail" | "notApplicable";
  /** Non-empty exactly when status is `fail`. */
  readonly violations: readonly Violation[];
  /** Why the control passed or did not apply; shown as evidence in reports. */
  readonly note?: string;
}

export interface Control extends ControlMeta {
  /** Pure: same resources and context, same results. Returns results only for resources the control concerns. */
  check(resources: readonly ResourceView[], ctx: AuditContext): readonly CheckResult[];
}
