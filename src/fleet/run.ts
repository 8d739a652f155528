/**
 * `socle fleet render|audit|check`: every tenant of a platform in one process (docs/hosters-isolation.md).
 * Modules are loaded once; renders run one after the other (the Pulumi SDK's mock state is global to the
 * process: `renderStack` resets it with `setMockOptions` for each stack, and a render of a stack in a
 * fleet run is byte-identical to its render alone, see test/fleet/run.test.ts); audits and checks of
 * rendered tenants run `--concurrency` at a time in worker threads when asked, else in this thread.
 * Then the isolation control runs once over the whole fleet, and the fleet report is written.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { control as isolationControl, isolationEvidence } from "../../policies/controls/network/tenant-isolation";
import type { CheckResult as ControlResult, ResourceView } from "../../policies/types";
import { InputError } from "../audit/errors";
import { loadInput } from "../audit/inputs/load";
import { ConfigError } from "../config/issues";
import { stackNameProblem } from "../config/stack-name";
import { renderStack } from "../render/render";
import { OutputError, writeOwnedFiles } from "../render/output-dir";
import { fleetOf } from "./members";
import { boundTenants, fleetSteps } from "./binding-order";
import { stackJob, type StackJob, type StackJobResult } from "./job";
import { WorkerPool } from "./pool";
import type { Progress } from "./progress";
import { fleetMarkdown, summaryTable, type FleetReport, type TenantVerdict } from "./report";

export type FleetMode = "render" | "audit" | "check";
export const FLEET_MODES: readonly FleetMode[] = ["render", "audit", "check"];
export const MAX_CONCURRENCY = 64;

export interface FleetOptions {
  /** Repository root (Pulumi.yaml, waivers/). */
  readonly root: string;
  readonly platform: string;
  readonly mode: FleetMode;
  /** Audits and checks at a time (worker threads when above 1). */
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
}

export interface FleetOutcome {
  readonly code: number;
  readonly report: FleetReport;
  readonly reportFiles: readonly string[];
}

const shown = (p: string): string => {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
};

export async function runFleet(opts: FleetOptions): Promise<FleetOutcome> {
  const problem = stackNameProblem(opts.platform);
  if (problem) throw new InputError(`--platform: ${problem}`);
  if (!FLEET_MODES.includes(opts.mode)) throw new InputError(`unknown fleet command "${opts.mode}": use one of ${FLEET_MODES.join(", ")}`);
  const concurrency = opts.concurrency ?? 1;
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

  const fleetViews: ResourceView[] = [];
  const verdicts: TenantVerdict[] = [];
  const notes: string[] = [];
  const pool = opts.mode !== "render" && concurrency > 1 ? new WorkerPool(concurrency) : undefined;
  const pending: Promise<void>[] = [];

  // A platform that binds tenants is rendered before and after them (src/fleet/binding-order.ts).
  const order = fleetSteps(hasPlatform ? opts.platform : undefined, members, hasPlatform ? boundTenants(platformFile) : []);
  if (!hasPlatform) notes.push(`platform stack file ${shown(platformFile)} not found: the isolation analysis covers the tenants' own resources only`);
  opts.progress.start(order.length, opts.mode);
  try {
    for (const { stack, role, final } of order) {
      const isPlatform = role === "platform";
      if (!final) {
        // A binding pass: rendered for its outputs only; its last render is the one judged below.
        try {
          await renderQuickly({ root: opts.root, stack, stackFile: join(stacksDir, `Pulumi.${stack}.yaml`), outDir: join(outRoot, stack), force: opts.force, ...(isPlatform ? { tenantStates: outRoot } : { platformState: join(outRoot, opts.platform, "state.json") }) });
          opts.progress.tick(stack, "rendered (binding pass)");
        } catch (err) {
          if (!(err instanceof ConfigError) && !(err instanceof OutputError) && !(err instanceof InputError)) throw err;
          opts.progress.tick(stack, "binding pass: not rendered (its last render reports why)");
        }
        continue;
      }
      const v: TenantVerdict = { stack, role: isPlatform ? "platform" : "tenant", render: "ok" };
      verdicts.push(v);
      const stackFile = join(stacksDir, `Pulumi.${stack}.yaml`);
      const outDir = join(outRoot, stack);
      let statePath: string;
      try {
        // Tenants read their platform's outputs from the platform's render of this same run (docs/render.md, "Tenant stacks").
        const platformState = !isPlatform && hasPlatform ? { platformState: join(outRoot, opts.platform, "state.json") } : isPlatform ? { tenantStates: outRoot } : {};
        const result = await renderQuickly({ root: opts.root, stack, stackFile, outDir, force: opts.force, ...platformState });
        statePath = join(result.outDir, "state.json");
        v.resources = result.state.deployment.resources.length;
        for (const r of result.state.deployment.resources) {
          if (r.type === "pulumi:pulumi:Stack") {
            const socle = (r.outputs as { socle?: { organization?: unknown } } | undefined)?.socle;
            if (typeof socle?.organization === "string") v.organization = socle.organization;
          }
        }
      } catch (err) {
        if (!(err instanceof ConfigError) && !(err instanceof OutputError)) throw err;
        v.render = "invalid";
        v.error = err instanceof ConfigError ? `${shown(err.file)}: ${err.issues.map((i) => `${i.path}: ${i.problem}`).slice(0, 3).join("; ")}` : err.message;
        opts.progress.tick(stack, `render: invalid (${v.error})`);
        continue;
      }
      const loaded = await loadInput(statePath, { today });
      for (const view of loaded.views) {
        const s = isolationEvidence(view);
        if (s) fleetViews.push(s);
      }
      if (opts.mode === "render") {
        opts.progress.tick(stack, `rendered ${v.resources} resources`);
        continue;
      }
      const waiversFile = join(opts.root, "waivers", `${stack}.yaml`);
      const job: StackJob = { mode: opts.mode, stack, statePath, outDir, waiversFile: existsSync(waiversFile) ? waiversFile : undefined, today, root: opts.root, force: opts.force };
      const finish = (r: StackJobResult) => {
        Object.assign(v, r);
        opts.progress.tick(stack, lineOf(v));
      };
      if (pool) pending.push(pool.run(job).then(finish));
      else finish(await stackJob(job));
    }
    await Promise.all(pending);
  } finally {
    opts.progress.stop();
    await pool?.close();
  }

  const isolation = isolationOver(fleetViews, verdicts, today);
  const report: FleetReport = { platform: opts.platform, mode: opts.mode, today, tenants: verdicts, isolation, notes };
  const code = exitCode(report);
  const json = JSON.stringify({ ...report, exitCode: code }, null, 2) + "\n";
  const reportFiles = writeOwnedFiles(reportDir, "fleet", [
    ["fleet-report.json", json],
    ["fleet-report.md", fleetMarkdown(report)],
  ], { force: opts.force });
  opts.out(summaryTable(report) + `Reports: ${reportFiles.map(shown).join(", ")}\n`);
  return { code, report, reportFiles };
}

/**
 * A render with V8's stack capture off (`Error.stackTraceLimit = 0`): the Pulumi SDK's `debuggablePromise`
 * (runtime/debuggable.js) reads `new Error().stack` for every promise it tracks, a string read only with
 * PULUMI_DEBUG_PROMISE_LEAKS; capturing no frame saves about a quarter of a render's CPU (measured: 0.65 s
 * to 0.47 s per tenant in one process). A configuration or output error needs no stack; any other error is
 * a bug: the stack is rendered again with stack capture on, so that it is reported with its stack trace.
 */
async function renderQuickly(opts: Parameters<typeof renderStack>[0]): ReturnType<typeof renderStack> {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return renderStack(opts);
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await renderStack(opts);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof OutputError) throw err;
  } finally {
    Error.stackTraceLimit = previous;
  }
  return renderStack(opts);
}

function lineOf(v: TenantVerdict): string {
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

/** 2: a tenant's stack is invalid; 1: an audit fails under the default gate, a check finds a blocker, or isolation fails; else 0. */
export function exitCode(report: FleetReport): number {
  if (report.tenants.some((t) => t.render === "invalid")) return 2;
  if (report.isolation.status === "fail") return 1;
  if (report.tenants.some((t) => t.audit?.verdict === "FAIL" || (t.check?.blockers ?? 0) > 0)) return 1;
  return 0;
}

