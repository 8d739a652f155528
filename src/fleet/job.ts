/** One stack's audit or check in a fleet run, after its render (src/fleet/stack-run.ts), in a worker thread (src/fleet/worker.js). Loads no render engine. */
import { relative } from "node:path";
import { CONTROLS } from "../../policies/catalog";
import { loadInput } from "../audit/inputs/load";
import type { LoadedInput } from "../audit/inputs/types";
import { runAudit } from "../audit/run";
import { gatingFailures, DEFAULT_GATE } from "../audit/gate";
import type { AuditReport } from "../audit/model";
import { toolInfo } from "../audit/tool";
import { checkWaiverControls, loadWaivers } from "../audit/waivers";
import { runCheckCommand } from "../check/command";
import { auditOutputGuards, writeReports } from "../report/write";
import type { TenantVerdict } from "./report";

const shown = (p: string): string => {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
};


export interface StackJob {
  readonly mode: "audit" | "check";
  readonly stack: string;
  readonly statePath: string;
  readonly outDir: string;
  readonly waiversFile?: string;
  readonly today: string;
  readonly root: string;
  readonly force?: boolean;
}

export type StackJobResult = Pick<TenantVerdict, "audit" | "check">;

/** `loaded`: the stack's state already loaded from `job.statePath` (a fleet run loads it once for the isolation evidence and the audit). */
export async function stackJob(job: StackJob, loaded?: LoadedInput): Promise<StackJobResult> {
  if (job.mode === "check") {
    const { result } = await runCheckCommand({ input: job.statePath, format: "json", projectDir: job.root, out: () => undefined });
    return { check: { blockers: result.blockers, warnings: result.warnings } };
  }
  const input = loaded ?? (await loadInput(job.statePath, { today: job.today }));
  const waivers = job.waiversFile ? loadWaivers(job.waiversFile) : [];
  if (job.waiversFile) checkWaiverControls(waivers, new Set(CONTROLS.map((c) => c.id)), job.waiversFile);
  const result = runAudit(CONTROLS, input.views, input.context, waivers);
  const report: AuditReport = {
    ...result,
    tool: toolInfo(),
    input: { kind: input.kind, path: shown(job.statePath) },
    ...(job.waiversFile ? { waiverFile: shown(job.waiversFile) } : {}),
    stack: input.stack,
    today: job.today,
    context: input.context,
    lines: input.lines,
    gate: DEFAULT_GATE,
  };
  writeReports(report, ["md", "json"], job.outDir, { force: job.force, protect: auditOutputGuards({ projectDir: job.root, inputs: [job.statePath, ...(job.waiversFile ? [job.waiversFile] : [])] }) });
  const t = result.totals;
  const gating = gatingFailures(result, DEFAULT_GATE).length;
  return {
    audit: {
      verdict: gating > 0 ? "FAIL" : "PASS",
      pass: t.pass,
      fail: t.fail,
      mandatoryFailures: t.mandatoryFailures,
      waived: t.waived,
      notAssessed: result.controls.filter((c) => c.status === "notAssessed").length,
    },
  };
}
