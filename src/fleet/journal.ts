/**
 * The run journal of `socle fleet preview|up`: one entry per tenant, pending → running → done | failed.
 * Written after every change (out/fleet/<platform>/journal.json, through the owned-output writer), so
 * that an interrupted run can be resumed with `--resume`: tenants marked done are skipped, every
 * other one (pending, running when the run stopped, failed) runs again.
 */

export type Operation = "preview" | "up";
export type TenantStatus = "pending" | "running" | "done" | "failed";

export interface TenantEntry {
  readonly status: TenantStatus;
  /** First lines of the failure, bounded; never the whole log (that is in logs/<tenant>.log). */
  readonly error?: string;
}

export interface Journal {
  readonly socle: 1;
  readonly platform: string;
  readonly operation: Operation;
  readonly tenants: Readonly<Record<string, TenantEntry>>;
}

const MAX_ERROR_CHARS = 500;
const MAX_TENANTS = 100_000;
const STATUSES: readonly TenantStatus[] = ["pending", "running", "done", "failed"];

/** A journal that cannot be used for `--resume`: exit 2, with what to do. */
export class JournalError extends Error {}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A fresh journal: every tenant pending. */
export function newJournal(platform: string, operation: Operation, tenants: readonly string[]): Journal {
  return { socle: 1, platform, operation, tenants: Object.fromEntries([...tenants].sort(byCodeUnit).map((t) => [t, { status: "pending" as const }])) };
}

/**
 * The journal a resumed run starts from: tenants done in `previous` stay done, every other tenant of
 * the current fleet is pending; tenants no longer in the fleet are dropped. Refuses a journal of
 * another platform or operation (resuming an `up` with a `preview` would skip tenants never updated).
 */
export function resumeJournal(previous: Journal, platform: string, operation: Operation, tenants: readonly string[]): Journal {
  if (previous.platform !== platform) throw new JournalError(`the journal is of platform ${previous.platform}, not ${platform}: run without --resume`);
  if (previous.operation !== operation) {
    throw new JournalError(`the journal is of a \`socle fleet ${previous.operation}\` run, not ${operation}: run \`socle fleet ${previous.operation} --resume\` or start afresh without --resume`);
  }
  const fresh = newJournal(platform, operation, tenants);
  const merged: Record<string, TenantEntry> = {};
  for (const t of Object.keys(fresh.tenants)) merged[t] = previous.tenants[t]?.status === "done" ? { status: "done" } : { status: "pending" };
  return { ...fresh, tenants: merged };
}

/** The journal with one tenant's entry replaced. */
export function withStatus(j: Journal, tenant: string, status: TenantStatus, error?: string): Journal {
  const entry: TenantEntry = error === undefined ? { status } : { status, error: boundError(error) };
  return { ...j, tenants: { ...j.tenants, [tenant]: entry } };
}

function boundError(message: string): string {
  const oneLine = message.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_ERROR_CHARS ? oneLine.slice(0, MAX_ERROR_CHARS) + "…" : oneLine;
}

/** Deterministic text: tenants in code-unit order, two-space indentation, final newline. */
export function serializeJournal(j: Journal): string {
  const tenants = Object.fromEntries(Object.keys(j.tenants).sort(byCodeUnit).map((t) => [t, j.tenants[t]]));
  return JSON.stringify({ socle: 1, platform: j.platform, operation: j.operation, tenants }, null, 2) + "\n";
}

/** Reads a journal written by serializeJournal; JournalError when it is not one. */
export function parseJournal(text: string): Journal {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new JournalError("the journal is not valid JSON: run without --resume to start afresh");
  }
  const o = v as Partial<Journal> | null;
  if (!o || o.socle !== 1 || typeof o.platform !== "string" || (o.operation !== "preview" && o.operation !== "up") || typeof o.tenants !== "object" || o.tenants === null) {
    throw new JournalError("the journal is not a socle fleet journal (version 1): run without --resume to start afresh");
  }
  const entries = Object.entries(o.tenants as Record<string, unknown>);
  if (entries.length > MAX_TENANTS) throw new JournalError(`the journal lists more than ${MAX_TENANTS} tenants: run without --resume to start afresh`);
  const tenants: Record<string, TenantEntry> = {};
  for (const [t, e] of entries) {
    const status = (e as { status?: unknown } | null)?.status;
    if (!STATUSES.includes(status as TenantStatus)) throw new JournalError(`the journal's entry for ${t} has no valid status (${STATUSES.join(", ")}): run without --resume`);
    tenants[t] = { status: status as TenantStatus };
  }
  return { socle: 1, platform: o.platform, operation: o.operation, tenants };
}
