import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { backupScheduleSchema } from "../../policies/context";
import { GARAGE_NAMESPACE, renderTenantBucketsJob, tenantKeySecret } from "../../charts/platform/garage";
import { renderTenantBackup, tenantBackupLocation, tenantCredentialsSecret, VELERO_NAMESPACE } from "../../charts/platform/velero";
import { manifestGroup } from "../../components/lib/manifests";
import { KeyedSecret } from "../../components/lib/secret";
import type { SocleConfig } from "../config/schema";
import { InputError } from "../model/input-error";

/**
 * A platform binds its tenants (docs/components/platform.md, "Tenants' buckets and keys"): for each stack of
 * `socle:tenants` it reads, through a StackReference, what the tenant exports (never recomputing a name), then
 * creates the tenant's buckets and imports its key in the platform's Garage (one hash-named Job per tenant)
 * and backs the tenant's namespaces up with Velero (a BackupStorageLocation on the tenant's bucket with the
 * tenant's key, a Schedule of exactly its namespaces). What it bound, it exports as `tenantBackups`; each tenant
 * reads its entry back and records it as audit evidence (its `socle.platformBackups`).
 */

/** A tenant's plain (not secret) output for its platform: what to create and back up. */
export const TENANT_BINDING_OUTPUT = "tenantBinding";
/** A tenant's secret output holding its generated key (and its buckets): src/program/index.ts. */
export const OBJECT_STORAGE_OUTPUT = "objectStorage";
/** The platform's output: per tenant stack, what it bound (or that it could not yet). */
export const TENANT_BACKUPS_OUTPUT = "tenantBackups";
/** Velero writes under this prefix of the tenant's backup bucket (its databases write under `<app>/`). */
export const TENANT_VELERO_PREFIX = "velero";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const name = z.string().min(1).max(63).regex(DNS_LABEL, "must be a DNS label");

export const tenantBindingSchema = z
  .object({
    version: z.literal(1),
    organization: name,
    namespaces: z.array(name).min(1).max(64),
    buckets: z.array(name).min(1).max(64),
    backupBucket: name,
    retentionDays: z.number().int().min(1).max(3650),
  })
  .strict();

export type TenantBinding = z.infer<typeof tenantBindingSchema>;

/** The tenant's `tenantBinding` output (pure): its namespaces and buckets, sorted, and its backup retention. */
export function tenantBindingOutput(config: SocleConfig, namespaces: readonly string[], backupBucket: string, buckets: readonly string[]): TenantBinding {
  const sorted = (xs: readonly string[]) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { version: 1, organization: config.organization.id, namespaces: sorted(namespaces), buckets: sorted([backupBucket, ...buckets]), backupBucket, retentionDays: config.backups.retentionDays };
}

/** How a platform names a tenant's stack in a StackReference: the tenant's own way of naming its platform, reversed. */
export function tenantReference(platform: Pick<SocleConfig, "organization" | "project">, tenantStack: string): string {
  return `${platform.organization.id}/${platform.project}/${tenantStack}`;
}

/**
 * Validates what a tenant stack exports for its platform. A value that is not a binding, or that names a
 * namespace or bucket outside the tenant's own prefix (`<organization>-`), is refused: the platform would
 * otherwise back up, or hand the tenant's key, someone else's data.
 */
export function parseTenantBinding(value: unknown, tenantStack: string): TenantBinding {
  const parsed = tenantBindingSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(
      `tenant stack ${tenantStack}: output \`${TENANT_BINDING_OUTPUT}\` at ${issue.path.join(".") || "(root)"} ${issue.message}: render (or deploy) the tenant with this version of socle, then the platform again`,
      "socle:tenants",
    );
  }
  const b = parsed.data;
  const prefix = `${b.organization}-`;
  const foreign = [...b.namespaces, ...b.buckets].filter((n) => !n.startsWith(prefix));
  if (foreign.length > 0) {
    throw new InputError(`tenant stack ${tenantStack} (organization ${b.organization}) exports ${foreign.slice(0, 3).join(", ")}, outside its prefix ${prefix}: the platform binds a tenant's own namespaces and buckets only`, "socle:tenants");
  }
  if (!b.buckets.includes(b.backupBucket)) throw new InputError(`tenant stack ${tenantStack}: its backup bucket ${b.backupBucket} is not among its buckets`, "socle:tenants");
  return b;
}

/** One bound tenant, planned: the objects the platform renders for it. */
export interface TenantBindingPlan {
  readonly stack: string;
  readonly binding: TenantBinding;
  /** The bucket Job (Garage's namespace). */
  readonly garage: Record<string, unknown>[];
  /** BackupStorageLocation and Schedule (Velero's namespace). */
  readonly velero: Record<string, unknown>[];
}

/**
 * Plans the bound tenants (pure). Refuses two tenants with one organization, and a bucket that two tenants (or
 * a tenant and the platform) would share: each tenant's key is allowed on its own buckets only.
 */
export function planTenantBindings(
  tenants: readonly { stack: string; binding: TenantBinding }[],
  platform: { buckets: readonly string[]; image: string; region: string; s3Url: string },
): TenantBindingPlan[] {
  const bucketOwner = new Map<string, string>(platform.buckets.map((b) => [b, "the platform"]));
  const orgOwner = new Map<string, string>();
  const plans: TenantBindingPlan[] = [];
  for (const { stack, binding } of [...tenants].sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0))) {
    const org = orgOwner.get(binding.organization);
    if (org !== undefined) throw new InputError(`tenant stacks ${org} and ${stack} have the same organization ${binding.organization}: each tenant needs its own`, "socle:tenants");
    orgOwner.set(binding.organization, stack);
    for (const bucket of binding.buckets) {
      const owner = bucketOwner.get(bucket);
      if (owner !== undefined) throw new InputError(`bucket ${bucket} of tenant stack ${stack} is also ${owner === "the platform" ? "the platform's" : `tenant stack ${owner}'s`}: a tenant's key is allowed on its own buckets only`, "socle:tenants");
      bucketOwner.set(bucket, stack);
    }
    plans.push({
      stack,
      binding,
      garage: renderTenantBucketsJob({ organization: binding.organization, buckets: binding.buckets, image: platform.image }),
      velero: renderTenantBackup({
        organization: binding.organization,
        bucket: binding.backupBucket,
        prefix: TENANT_VELERO_PREFIX,
        region: platform.region,
        s3Url: platform.s3Url,
        namespaces: binding.namespaces,
        retentionDays: binding.retentionDays,
      }),
    });
  }
  return plans;
}

/** A Velero Schedule as the platform reports it to the tenant it covers (and the tenant to its audit). */
export const backupScheduleEvidenceSchema = backupScheduleSchema.extend({ namespace: name }).strict();
export type BackupScheduleEvidence = z.infer<typeof backupScheduleEvidenceSchema>;

const tenantBackupsEntrySchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("bound"), organization: name, storageLocation: z.string().min(1).max(253), schedules: z.array(backupScheduleEvidenceSchema).max(64) }).strict(),
  z.object({ status: z.literal("pending"), reason: z.string().max(1000) }).strict(),
]);

/** The Schedules among rendered objects, as evidence: read from the very objects the platform renders. */
export function scheduleEvidence(objs: readonly Record<string, unknown>[]): BackupScheduleEvidence[] {
  return objs
    .filter((o) => o.apiVersion === "velero.io/v1" && o.kind === "Schedule")
    .map((o) => {
      const meta = o.metadata as { name: string; namespace: string };
      const spec = o.spec as { paused?: boolean; template: { includedNamespaces?: string[]; excludedNamespaces?: string[]; storageLocation: string; ttl: string } };
      return {
        namespace: meta.namespace,
        name: meta.name,
        includedNamespaces: [...(spec.template.includedNamespaces ?? [])],
        ...(spec.template.excludedNamespaces ? { excludedNamespaces: [...spec.template.excludedNamespaces] } : {}),
        storageLocation: spec.template.storageLocation,
        ttl: spec.template.ttl,
        ...(spec.paused !== undefined ? { paused: spec.paused } : {}),
      };
    });
}

/** The platform's `tenantBackups` output (pure): per tenant stack, what is bound, or why not yet. */
export function tenantBackupsOutput(plans: readonly TenantBindingPlan[], pending: readonly { stack: string; reason: string }[]): Record<string, z.infer<typeof tenantBackupsEntrySchema>> {
  const out: Record<string, z.infer<typeof tenantBackupsEntrySchema>> = {};
  const entries: [string, z.infer<typeof tenantBackupsEntrySchema>][] = [
    ...plans.map((p): [string, z.infer<typeof tenantBackupsEntrySchema>] => [p.stack, { status: "bound", organization: p.binding.organization, storageLocation: tenantBackupLocation(p.binding.organization), schedules: scheduleEvidence(p.velero) }]),
    ...pending.map((p): [string, z.infer<typeof tenantBackupsEntrySchema>] => [p.stack, { status: "pending", reason: p.reason }]),
  ];
  for (const [k, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

/** What a tenant records of its platform's backups (its `socle.platformBackups`): the platform's Schedules covering it. */
export interface PlatformBackupsEvidence {
  readonly platformStack: string;
  readonly storageLocation: string;
  readonly schedules: readonly BackupScheduleEvidence[];
}

/**
 * A tenant's entry in its platform's `tenantBackups` output, when the platform binds it under its organization;
 * undefined when the platform does not (yet) bind it: the tenant then records no evidence, and its audit's
 * backup control says its namespaces are not covered. A malformed output is refused.
 */
export function tenantBackupEvidence(value: unknown, tenant: Pick<SocleConfig, "stack" | "organization">, platformStack: string): PlatformBackupsEvidence | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw new InputError(`platform stack ${platformStack}: output \`${TENANT_BACKUPS_OUTPUT}\` is not a map of tenant stacks`, "socle:platformStack");
  const raw = (value as Record<string, unknown>)[tenant.stack];
  if (raw === undefined) return undefined;
  const parsed = tenantBackupsEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`platform stack ${platformStack}: output \`${TENANT_BACKUPS_OUTPUT}.${tenant.stack}\` at ${issue.path.join(".") || "(root)"} ${issue.message}; upgrade the platform stack to this version of socle`, "socle:platformStack");
  }
  const entry = parsed.data;
  if (entry.status !== "bound" || entry.organization !== tenant.organization.id) return undefined;
  return { platformStack, storageLocation: entry.storageLocation, schedules: entry.schedules };
}

export interface BindTenantsArgs {
  /** The curl image the bucket Jobs run (the catalog's, through the mirror). */
  readonly image: string;
  readonly region: string;
  /** The platform's Garage S3 endpoint (its `tenancy` output's), which Velero writes tenants' backups to. */
  readonly s3Url: string;
  /** The platform's own buckets: no tenant may claim one. */
  readonly platformBuckets: readonly string[];
  /** Garage (its namespace, admin Secret and bootstrap) and Velero (its CRDs): created first. */
  readonly garage?: pulumi.Resource;
  readonly velero?: pulumi.Resource;
}

/**
 * Binds every tenant of `socle:tenants`, in stack-name order. A tenant with no `socle` output (its state does
 * not exist yet, so its StackReference is unknown; or a stack created but never deployed) is pending: nothing
 * is rendered for it, the `tenantBackups` output says so, and `socle render` prints it. Returns the platform's
 * `tenantBackups` output.
 */
export async function bindTenants(config: SocleConfig, args: BindTenantsArgs): Promise<Record<string, unknown>> {
  const found: { stack: string; binding: TenantBinding; ref: pulumi.StackReference }[] = [];
  const pending: { stack: string; reason: string }[] = [];
  for (const stack of config.tenants ?? []) {
    const reference = tenantReference(config, stack);
    const ref = new pulumi.StackReference(reference);
    const socle = (await ref.getOutputDetails("socle")).value as { kind?: unknown } | undefined;
    if (socle === undefined) {
      pending.push({ stack, reason: `tenant stack ${reference} has no outputs yet (not rendered or deployed): render (or deploy) it, then the platform again` });
      continue;
    }
    if (socle.kind !== "tenant") throw new InputError(`socle:tenants lists ${stack}, but stack ${reference} is a ${String(socle.kind)} stack, not a tenant`, "socle:tenants");
    const details = await ref.getOutputDetails(TENANT_BINDING_OUTPUT);
    found.push({ stack, binding: parseTenantBinding(details.value ?? details.secretValue, stack), ref });
  }
  const plans = planTenantBindings(found, { buckets: args.platformBuckets, image: args.image, region: args.region, s3Url: args.s3Url });
  for (const plan of plans) {
    const { ref } = found.find((f) => f.stack === plan.stack)!;
    const org = plan.binding.organization;
    // The tenant's key, a secret output of its stack: it stays a secret here, and in the two Secrets made of it.
    const key = ref.requireOutput(OBJECT_STORAGE_OUTPUT) as pulumi.Output<{ accessKeyId?: string; secretAccessKey?: string } | undefined>;
    const keyId = pulumi.secret(key.apply((k) => k?.accessKeyId ?? ""));
    const keySecret = pulumi.secret(key.apply((k) => k?.secretAccessKey ?? ""));
    const garageKey = tenantKeySecret(org);
    const garageSecret = new KeyedSecret(
      `${plan.stack}-garage-key`,
      { metadata: { name: garageKey.name, namespace: GARAGE_NAMESPACE }, type: "Opaque", stringData: garageKey.data({ "access-key-id": keyId, "secret-access-key": keySecret }) },
      args.garage ? { dependsOn: [args.garage] } : {},
    );
    manifestGroup(`${plan.stack}-buckets`, plan.garage, { dependsOn: [garageSecret, ...(args.garage ? [args.garage] : [])] });
    const veleroKey = tenantCredentialsSecret(org);
    const cloud = pulumi.secret(pulumi.interpolate`[default]\naws_access_key_id=${keyId}\naws_secret_access_key=${keySecret}\n`);
    const veleroSecret = new KeyedSecret(
      `${plan.stack}-velero-credentials`,
      { metadata: { name: veleroKey.name, namespace: VELERO_NAMESPACE }, type: "Opaque", stringData: veleroKey.data({ cloud }) },
      args.velero ? { dependsOn: [args.velero] } : {},
    );
    manifestGroup(`${plan.stack}-backups`, plan.velero, { dependsOn: [veleroSecret, ...(args.velero ? [args.velero] : [])] });
  }
  return tenantBackupsOutput(plans, pending);
}
