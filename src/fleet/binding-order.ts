import { parse } from "yaml";
import { readRegularFile, READ_LIMITS } from "../config/read-limits";

/**
 * The order a fleet is rendered (or deployed) in when its platform binds tenants (`socle:tenants`,
 * src/program/tenants-binding.ts). A platform reads its bound tenants' outputs (their buckets, key, namespaces)
 * and each tenant reads back what the platform bound for it (its audit's backup evidence), so one pass is not
 * enough the first time: the platform, then the tenants it binds (their outputs now exist), then the platform
 * again (it binds them), then every tenant (each records the platform's Schedule covering it). Only the last
 * render of each stack is audited, checked and reported. Without bound tenants: the platform, then the tenants.
 */
export interface FleetStep {
  readonly stack: string;
  readonly role: "platform" | "tenant";
  /** The stack's last render in the run: the one audited, checked and reported. */
  readonly final: boolean;
}

/** The steps of a fleet run (pure): `bound` are the platform's `socle:tenants`; only members among them get a first pass. */
export function fleetSteps(platform: string | undefined, members: readonly string[], bound: readonly string[]): FleetStep[] {
  const finals: FleetStep[] = [...(platform !== undefined ? [{ stack: platform, role: "platform" as const, final: true }] : []), ...members.map((stack) => ({ stack, role: "tenant" as const, final: true }))];
  const listed = new Set(bound);
  const first = members.filter((m) => listed.has(m));
  if (platform === undefined || first.length === 0) return finals;
  return [{ stack: platform, role: "platform", final: false }, ...first.map((stack) => ({ stack, role: "tenant" as const, final: false })), ...finals];
}

/**
 * The tenant stacks a platform stack file binds (`socle:tenants`), read through the bounded stack-file reader;
 * a file that cannot be read or whose list is malformed binds none here (its render then reports why).
 */
export function boundTenants(platformFile: string): string[] {
  try {
    const doc = parse(readRegularFile(platformFile, READ_LIMITS.configBytes, "stack file"), { maxAliasCount: READ_LIMITS.yamlAliases }) as { config?: Record<string, unknown> } | null;
    const list = doc?.config?.["socle:tenants"];
    return Array.isArray(list) ? list.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}
