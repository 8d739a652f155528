/**
 * The audit context of a deployment, read from the root stack's `socle` output: shared by the CrossGuard pack
 * (crossguard-view.ts) and `socle audit` (src/audit/inputs/context.ts imports it from here, never the reverse).
 */
import { z } from "zod";
import type { AuditContext } from "./types";

/** Regions allowed when the input says nothing: Outscale's SecNumCloud-qualified region (src/config/schema.ts). */
export const DEFAULT_ALLOWED_REGIONS: readonly string[] = ["cloudgouv-eu-west-1"];
/**
 * Minimum log retention when neither the stack nor the command line sets one: socle's own default
 * (`logs.retentionDays` in src/config/schema.ts). A project choice, not a figure quoted from SecNumCloud.
 */
export const DEFAULT_MIN_LOG_RETENTION_DAYS = 365;

/** The `socle` output of the root `pulumi:pulumi:Stack` resource, as `socle render` and `pulumi up` write it. */
/**
 * A Velero Schedule covering a tenant, as its platform reports it: read from a state as is here;
 * src/program/tenants-binding.ts validates the platform's output with the same shape, stricter.
 */
export const backupScheduleSchema = z.object({
  namespace: z.string().min(1).max(253),
  name: z.string().min(1).max(253),
  includedNamespaces: z.array(z.string().min(1).max(253)).max(64),
  excludedNamespaces: z.array(z.string().min(1).max(253)).max(64).optional(),
  storageLocation: z.string().min(1).max(253),
  ttl: z.string().min(1).max(64),
  paused: z.boolean().optional(),
});

const stackMetadataSchema = z.object({
  kind: z.string().min(1),
  target: z.string().min(1),
  region: z.string().min(1),
  allowedRegions: z.array(z.string().min(1)),
  allowedRegistries: z.array(z.string().min(1)),
  declaredLoadBalancers: z.array(z.string().min(1)),
  minLogRetentionDays: z.number().int().positive().optional(),
  adminMinPrefix: z.number().int().min(0).max(32).optional(),
  provider: z
    .object({
      name: z.string().min(1),
      qualificationReference: z.string().min(1),
      qualificationExpires: z.string().min(1),
      euJurisdiction: z.boolean(),
    })
    .optional(),
  /** A tenant: its platform's Velero Schedules covering it (src/program/tenants-binding.ts `tenantBackupEvidence`). */
  platformBackups: z
    .object({
      platformStack: z.string().min(1).max(400),
      storageLocation: z.string().min(1).max(253),
      schedules: z
        .array(
          backupScheduleSchema,
        )
        .max(64),
    })
    .optional(),
});

export type StackMetadata = z.infer<typeof stackMetadataSchema>;

export interface ContextOverrides {
  readonly today: string;
  readonly minLogRetentionDays?: number;
}

/** Invalid stack metadata: `path` is the JSON path of the offending value, `problem` what is wrong with it. */
export class StackMetadataError extends Error {
  constructor(
    readonly problem: string,
    readonly path: string,
  ) {
    super(`${path} ${problem}`);
    this.name = "StackMetadataError";
  }
}

/** A zod issue as a user reads it: "is missing" rather than "expected string, received undefined". */
export function issueText(issue: z.core.$ZodIssue): string {
  const generic = issue.message.startsWith("Invalid input");
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return "is missing";
  if (issue.code === "invalid_type" && generic) return `must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
  return issue.message;
}

/** Validates the stack's `socle` output; `where` is the JSON path of that output, for error messages. */
export function parseStackMetadata(value: unknown, where: string): StackMetadata {
  const parsed = stackMetadataSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = [where, ...issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))].join("").replace(/\.\[/g, "[");
  throw new StackMetadataError(`is invalid stack metadata: ${issueText(issue)}`, path);
}

/** The command line wins over the stack's metadata, which wins over the defaults. */
export function buildContext(meta: StackMetadata | undefined, overrides: ContextOverrides): AuditContext {
  return {
    allowedRegions: meta?.allowedRegions ?? DEFAULT_ALLOWED_REGIONS,
    allowedRegistries: meta?.allowedRegistries ?? [],
    minLogRetentionDays: overrides.minLogRetentionDays ?? meta?.minLogRetentionDays ?? DEFAULT_MIN_LOG_RETENTION_DAYS,
    ...(meta?.adminMinPrefix !== undefined ? { adminMinPrefix: meta.adminMinPrefix } : {}),
    declaredLoadBalancers: meta?.declaredLoadBalancers ?? [],
    ...(meta?.provider ? { provider: meta.provider } : {}),
    ...(meta?.platformBackups ? { platformBackupSchedules: meta.platformBackups.schedules.map((sch) => ({ platformStack: meta.platformBackups!.platformStack, ...sch })) } : {}),
    ...(meta?.kind !== undefined ? { stackKind: meta.kind } : {}),
    hasStackMetadata: meta !== undefined,
    today: overrides.today,
  };
}
