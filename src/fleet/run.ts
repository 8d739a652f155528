/**
 * `socle fleet render|audit|check`: every tenant of a platform in one process (docs/hosters-isolation.md).
 * The stacks are rendered, and audited or checked, in `--concurrency` worker threads (src/fleet/pool.ts,
 * worker.js, stack-run.ts; default: the machine's available cores). Each thread loads the program once and
 * has its own Pulumi SDK mock state (`renderStack` resets it for each stack), so a stack rendered in a fleet
 * run is byte-identical to its render alone (test/fleet/run.test.ts). The platform is rendered first (its
 * tenants read its outputs, once per thread); then its tenants, as threads free up. Each thread writes its
 * stack's own folder `<out>/<stack>` through the owned-output writer. This thread only schedules, shows
 * progress, keeps each stack's verdict and isolation evidence (reduced: `isolationEvidence`), runs the
 * isolation control once over the whole fleet and writes the fleet report, whose bytes do not depend on the
 * order in which stacks finish.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { control as isolationControl } from "../../policies/controls/network/tenant-isolation";
import type { CheckResult as ControlResult, ResourceView } from "../../policies/types";
import { InputError } from "../audit/errors";
import { stackNameProblem } from "../config/stack-name";
import { writeOwnedFiles } from "../render/output-dir";
import { fleetOf } from "./members";
import { boundTenants, fleetSteps } from "./binding-order";
import { WorkerPool, WorkerJobError } from "./pool";
import type { Progress } from "./progress";
import { fleetMarkdown, summaryTable, type FleetReport, type TenantVerdict } from "./report";
import type { StackRun, StackRunResult } from "./stack-run";

export type FleetMode = "render" | "audit" | "check";
export const FLEET_MODES: readonly FleetMode[] = ["render", "audit", "check"];
export const MAX_CONCURRENCY = 64;

/**
 * Young generation of each worker thread's V8 heap. A render keeps many short-lived SDK promises and outputs
 * alive across a scavenge: with Node's default (16 MiB semi-spaces) garbage collection is about a third of a
 * worker's CPU. Measured on 20 tenants, one worker: 11.8 to 13.3 s CPU by default, 11.1 to 11.3 s with 128 or
 * 256 MiB. With two workers on two cores (`socle fleet audit` of 100 generated tenants, wall): 16.3 and 16.5 s
 * at 128 MiB, 14.8, 14.9 and 15.6 s at 256 MiB, 15.2 s at 384 MiB; peak memory about 1.0 GiB at 256 MiB
 * against 0.87 GiB at 128 MiB (docs/hosters-isolation.md, "Speed").
 */
const WORKER_YOUNG_GENERATION_MB = 256;

export interface FleetOptions {
  /** Repository root (Pulumi.yaml, waivers/). */
  readonly root: string;
  readonly platform: string;
  readonly mode: FleetMode;
  /** Stacks rendered (and audited or checked) at a time, each in its worker thread; default: the available cores. */
  readonly concurrency?: number;
  /** Where the stack files are; default `<root>/stacks`. */
  readonly stacksDir?: string;
  /** Where each stack's render and reports go (`<outRoot>/<stack>`) and the fleet report (`<outRoot>/fleet/<platform>`); default `<root>/out`. */
  readonly outRoot?: string;
  /** Audit evaluation date, YYYY-MM-DD; default today (UTC). */
  readonly today?: string;
  readonly force?: boolean;
  readonly progress: Progress;
  readonly out: (s: string) => void;
  /** Where the stack trace of a stack's internal error goes (default: standard error). */
  readonly err?: (s: string) => void;
  /** The worker threads' script (tests: a worker that fails); default src/fleet/worker.js. */
  readonly workerScript?: string;
}

export interface FleetOutcome {
  readonly code: number;
  readonly report: FleetReport;
  readonly reportFiles: readonly string[];
  /** Worker threads started (replacements of stopped ones included). */
  readonly workers: number;
}

const shown = (p: string): string => {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
};

/** `--concurrency` when not given: one thread per available core, within the bounds. */
export function defaultConcurrency(): number {
  return Math.max(1, Math.min(MAX_CONCURRENCY, availableParallelism()));
}

export async function runFleet(opts: FleetOptions): Promise<FleetOutcome> {
  const problem = stackNameProblem(opts.platform);
  if (problem) throw new InputError(`--platform: ${problem}`);
  if (!FLEET_MODES.includes(opts.mode)) throw new InputError(`unknown fleet command "${opts.mode}": use one of ${FLEET_MODES.join(", ")}`);
  const concurrency = opts.concurrency ?? defaultConcurrency();
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new InputError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${String(opts.concurrency)}`);
  }
  const stacksDir = opts.stacksDir ?? join(opts.root, "stacks");
  if (!existsSync(stacksDir)) throw new InputError(`the stacks folder ${shown(stacksDir)} does not exist`);
  const outRoot = opts.outRoot ?? join(opts.root, "out");
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new InputError(`--today must be a date YYYY-MM-DD, got "${today}"`);
  const members = fleetOf(opts.root, opts.platform, stacksDir);
  if (members.length === 0) {
    throw new InputError(
      `platform ${opts.platform} has no tenant: no stack file in ${shown(stacksDir)} has socle:platformStack ending with /${opts.platform} (add one with socle tenant add)`,
    );
  }
  const reportDir = join(outRoot, "fleet", opts.platform);
  const platformFile = join(stacksDir, `Pulumi.${opts.platform}.yaml`);
  const hasPlatform = existsSync(platformFile);
  // Tenants read their platform's outputs from the platform's render of this same run (docs/render.md, "Tenant stacks");
  // without a platform stack file, from its last render in out/<platform>/ (as `socle render <tenant>` does).
  const platformState = hasPlatform ? join(outRoot, opts.platform, "state.json") : join(opts.root, "out", opts.platform, "state.json");

  const notes: string[] = [];
  // A platform that binds tenants (socle:tenants) is rendered before and after them (src/fleet/binding-order.ts):
  // the binding passes are rendered for their outputs only; the last render of each stack is the one judged.
  const steps = fleetSteps(hasPlatform ? opts.platform : undefined, members, hasPlatform ? boundTenants(platformFile) : []);
  const bindingPasses = steps.filter((s) => !s.final);
  const order = steps.filter((s) => s.final).map((s) => s.stack);
  if (!hasPlatform) notes.push(`platform stack file ${shown(platformFile)} not found: the isolation analysis covers the tenants' own resources only`);
  const verdicts: TenantVerdict[] = order.map((stack) => ({ stack, role: hasPlatform && stack === opts.platform ? "platform" : "tenant", render: "ok" }));
  /** Each stack's isolation evidence, by its place in `order`: the control sees the fleet in the same order whatever finishes first. */
  const evidence: (readonly ResourceView[])[] = order.map(() => []);
  const pool = new WorkerPool<StackRun, StackRunResult>(Math.min(concurrency, order.length), {
    ...(opts.workerScript ? { script: opts.workerScript } : {}),
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const err = opts.err ?? ((s: string) => process.stderr.write(s));

  const jobOf = (stack: string, role: TenantVerdict["role"]): StackRun => {
    const waiversFile = join(opts.root, "waivers", `${stack}.yaml`);
    return {
      mode: opts.mode,
      stack,
      stackFile: join(stacksDir, `Pulumi.${stack}.yaml`),
      outDir: join(outRoot, stack),
      // A tenant reads its platform's state; a platform reads its bound tenants' states beside its own.
      ...(role === "tenant" ? { platformState } : { tenantStates: outRoot }),
      ...(opts.mode === "audit" && existsSync(waiversFile) ? { waiversFile } : {}),
      today,
      root: opts.root,
      ...(opts.force ? { force: true } : {}),
    };
  };

  const runOne = async (i: number): Promise<void> => {
    const stack = order[i]!;
    const v = verdicts[i]!;
    try {
      const { evidence: e, ...result } = await pool.run(jobOf(stack, v.role), stack);
      Object.assign(v, result);
      evidence[i] = e;
    } catch (e) {
      // A bug, or a worker thread that stopped: this stack fails, the others go on.
      v.render = "error";
      v.error = e instanceof Error ? e.message.split("\n")[0]!.slice(0, 500) : String(e).slice(0, 500);
      err(`socle fleet ${opts.mode}: internal error on ${stack}: ${e instanceof WorkerJobError && e.detail ? e.detail : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    opts.progress.tick(stack, lineOf(v));
  };

  /** A binding pass: rendered for its outputs only; a failure is reported by the stack's last render. */
  const bindOne = async (stack: string, role: TenantVerdict["role"]): Promise<void> => {
    let line = "rendered (binding pass)";
    try {
      const r = await pool.run({ ...jobOf(stack, role), mode: "render", bindingPass: true }, stack);
      if (r.render !== "ok") line = "binding pass: not rendered (its last render reports why)";
    } catch (e) {
      line = "binding pass: not rendered (its last render reports why)";
      err(`socle fleet ${opts.mode}: internal error on ${stack} (binding pass): ${e instanceof WorkerJobError && e.detail ? e.detail : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    opts.progress.tick(stack, line);
  };

  opts.progress.start(steps.length, opts.mode, order.length);
  try {
    if (bindingPasses.length > 0) {
      // The platform, then the tenants it binds (their outputs now exist), each pass rendered whole before the next.
      const [platformPass, ...tenantPasses] = bindingPasses;
      await bindOne(platformPass!.stack, "platform");
      await Promise.all(tenantPasses.map((s) => bindOne(s.stack, "tenant")));
    }
    if (hasPlatform) await runOne(0);
    const first = hasPlatform ? 1 : 0;
    await Promise.all(order.slice(first).map((_, k) => runOne(first + k)));
  } finally {
    opts.progress.stop();
    await pool.close();
  }

  const missing = verdicts.filter((v) => v.render !== "ok").map((v) => v.stack);
  if (missing.length) notes.push(`the isolation analysis does not cover ${missing.length} stack(s) that did not render: ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", …" : ""}`);
  const isolation = isolationOver(evidence.flat(), verdicts, today);
  const report: FleetReport = { platform: opts.platform, mode: opts.mode, today, tenants: verdicts, isolation, notes };
  const code = exitCode(report);
  const json = JSON.stringify({ ...report, exitCode: code }, null, 2) + "\n";
  const reportFiles = writeOwnedFiles(reportDir, "fleet", [
    ["fleet-report.json", json],
    ["fleet-report.md", fleetMarkdown(report)],
  ], { force: opts.force });
  opts.out(summaryTable(report) + `Reports: ${reportFiles.map(shown).join(", ")}\n`);
  return { code, report, reportFiles, workers: pool.started };
}

function lineOf(v: TenantVerdict): string {
  if (v.render === "invalid") return `render: invalid (${v.error ?? ""})`;
  if (v.render === "error") return `internal error (${v.error ?? ""})`;
  const parts = [`rendered ${v.resources ?? 0} resources`];
  if (v.audit) parts.push(`audit ${v.audit.verdict} (${v.audit.fail} fail, ${v.audit.mandatoryFailures} mandatory)`);
  if (v.check) parts.push(`check ${v.check.blockers} blocker(s)`);
  return parts.join(", ");
}

/** The isolation control over the whole fleet; each tenant's verdict gets its own result. */
function isolationOver(views: readonly ResourceView[], verdicts: TenantVerdict[], today: string): FleetReport["isolation"] {
  const ctx = { allowedRegions: [], allowedRegistries: [], minLogRetentionDays: 0, declaredLoadBalancers: [], hasStackMetadata: true, today };
  const results: readonly ControlResult[] = isolationControl.check(views, ctx);
  const byOrg = new Map<string, ControlResult>();
  for (const r of results) {
    const org = (r.resource.props.socle as { organization?: string } | undefined)?.organization;
    if (org !== undefined) byOrg.set(org, r);
  }
  for (const v of verdicts) {
    const r = v.organization !== undefined ? byOrg.get(v.organization) : undefined;
    if (v.role === "tenant" && r) v.isolation = r.status === "fail" ? "fail" : r.status === "pass" ? "pass" : "notAssessed";
  }
  const status = results.some((r) => r.status === "fail") ? "fail" : results.length > 0 && results.every((r) => r.status === "pass") ? "pass" : "notAssessed";
  return {
    controlId: isolationControl.id,
    status,
    tenants: byOrg.size,
    ...(status === "notAssessed" ? { note: results[0]?.note ?? "nothing to assess" } : {}),
    violations: results.flatMap((r) =>
      r.violations.map((x) => ({ tenant: (r.resource.props.socle as { organization?: string } | undefined)?.organization ?? r.resource.name, message: x.message, ...(x.path ? { path: x.path } : {}) })),
    ),
  };
}

/** 3: a stack stopped on an internal error; 2: a tenant's stack is invalid; 1: an audit fails under the default gate, a check finds a blocker, or isolation fails; else 0. */
export function exitCode(report: FleetReport): number {
  if (report.tenants.some((t) => t.render === "error")) return 3;
  if (report.tenants.some((t) => t.render === "invalid")) return 2;
  if (report.isolation.status === "fail") return 1;
  if (report.tenants.some((t) => t.audit?.verdict === "FAIL" || (t.check?.blockers ?? 0) > 0)) return 1;
  return 0;
}

