import { parse } from "yaml";
import { readRegularFile, READ_LIMITS } from "../config/read-limits";
import type { FleetEngine } from "./engine";
import type { Operation } from "./journal";

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

/** One run of the platform's stack around its tenants' (`socle fleet up`): its outcome and everything the CLI printed. */
export interface PlatformPass {
  readonly ok: boolean;
  readonly summary: string;
  readonly log: string;
}

/**
 * `socle fleet up` when the platform binds tenants of the fleet: the bound tenants' stacks are made to exist
 * (a StackReference to a missing stack fails the platform's update; one without outputs leaves the tenant
 * pending), then the platform is updated before the tenants (its `tenancy` current) and again after them (it
 * binds them). `runTenants` runs the tenants; a first platform pass that fails stops the run before them.
 */
export async function aroundPlatform<T>(
  engine: FleetEngine,
  op: Operation,
  platform: string,
  bound: readonly string[],
  runTenants: () => Promise<T>,
  onPass: (pass: 1 | 2, outcome: PlatformPass) => void,
  signal?: AbortSignal,
): Promise<{ tenants?: T; platformOk: boolean }> {
  const orders = op === "up" && bound.length > 0;
  const pass = async (n: 1 | 2): Promise<boolean> => {
    const lines: string[] = [];
    try {
      if (n === 1) for (const t of bound) await engine.ensureStack?.(t);
      const r = await engine[op](platform, { onOutput: (text) => lines.push(text), ...(signal ? { signal } : {}) });
      onPass(n, { ok: true, summary: r.summary, log: lines.join("") });
      return true;
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).split("\n").find((l) => l.trim() !== "")?.trim().slice(0, 300) ?? "failed";
      onPass(n, { ok: false, summary: message, log: `${lines.join("")}\nsocle: ${op} of ${platform} failed: ${message}\n` });
      return false;
    }
  };
  if (orders && !(await pass(1))) return { platformOk: false };
  const tenants = await runTenants();
  if (!orders || signal?.aborted) return { tenants, platformOk: true };
  return { tenants, platformOk: await pass(2) };
}
