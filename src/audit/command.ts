import type { Control } from "../../policies/types";
import { REPORT_FILE_NAMES, parseFormats } from "../report/formats";
import { auditOutputGuards, writeReports } from "../report/write";
import { InputError } from "./errors";
import { loadInput } from "./inputs/load";
import { displayPath } from "./inputs/manifests";
import type { AuditReport } from "./model";
import { runAudit } from "./run";
import { toolInfo } from "./tool";
import { checkWaiverControls, isCalendarDate, loadWaivers, type Waiver } from "./waivers";

export interface AuditCommandOptions {
  /** State export, backend checkpoint, manifest file or folder, or a stack name. */
  readonly input: string;
  /** Report formats, each entry possibly a comma list; empty means every format. */
  readonly formats: readonly string[];
  readonly outDir: string;
  readonly waiversFile?: string;
  /** Evaluation date YYYY-MM-DD; default SOURCE_DATE_EPOCH's date, else today's UTC date. */
  readonly today?: string;
  readonly minLogRetentionDays?: number;
  readonly renderStack?: (stack: string) => Promise<string>;
  /** Default: the catalog, `CONTROLS` of policies/catalog.ts. */
  readonly controls?: readonly Control[];
  /** Where `stacks/` lives; default the working directory. */
  readonly projectDir?: string;
  /** Write into an existing folder socle did not create (it still deletes nothing it did not write). */
  readonly force?: boolean;
  /** Receives the one-line summary; default console.log. */
  readonly log?: (line: string) => void;
}

/**
 * `socle audit`: loads the input, runs the controls, applies waivers, writes the reports.
 * Returns 0 when no mandatory control fails, 1 otherwise. Bad input throws InputError, which
 * the CLI prints without a stack trace and turns into exit code 2 (see exitCodeFor).
 */
export async function runAuditCommand(opts: AuditCommandOptions): Promise<number> {
  const formats = parseFormats(opts.formats);
  const today = resolveToday(opts.today);
  if (opts.minLogRetentionDays !== undefined && !(Number.isInteger(opts.minLogRetentionDays) && opts.minLogRetentionDays > 0)) {
    throw new InputError(`--min-log-retention-days must be a positive whole number of days, got ${opts.minLogRetentionDays}`);
  }
  const controls = opts.controls ?? loadCatalog();
  const waivers: readonly Waiver[] = opts.waiversFile ? loadWaivers(opts.waiversFile) : [];
  if (opts.waiversFile) checkWaiverControls(waivers, new Set(controls.map((c) => c.id)), opts.waiversFile);

  const input = await loadInput(opts.input, {
    today,
    ...(opts.minLogRetentionDays !== undefined ? { minLogRetentionDays: opts.minLogRetentionDays } : {}),
    ...(opts.projectDir !== undefined ? { projectDir: opts.projectDir } : {}),
    ...(opts.renderStack ? { renderStack: opts.renderStack } : {}),
  });
  const result = runAudit(controls, input.views, input.context, waivers);
  const report: AuditReport = {
    ...result,
    tool: toolInfo(),
    input: { kind: input.kind, path: input.path },
    ...(opts.waiversFile ? { waiverFile: displayPath(opts.waiversFile) } : {}),
    stack: input.stack,
    today,
    context: input.context,
    lines: input.lines,
  };
  const inputs = [opts.input, ...(opts.waiversFile ? [opts.waiversFile] : [])];
  writeReports(report, formats, opts.outDir, { force: opts.force, protect: auditOutputGuards({ projectDir: opts.projectDir, inputs }) });

  const t = result.totals;
  const unused = result.waivers.filter((w) => w.matched === 0).length;
  const expired = result.waivers.filter((w) => w.expired && w.matched > 0).length;
  (opts.log ?? console.log)(
    `socle audit: ${t.resources} resources, ${result.controls.length} controls: ${t.pass} pass, ${t.fail} fail (${t.mandatoryFailures} mandatory), ` +
      `${t.waived} waived, ${t.notApplicable} not applicable` +
      (expired ? `; ${expired} expired waiver(s)` : "") +
      (unused ? `; ${unused} unused waiver(s)` : "") +
      `. Reports: ${formats.map((f) => `${displayPath(opts.outDir)}/${REPORT_FILE_NAMES[f]}`).join(", ")}`,
  );
  return result.passed ? 0 : 1;
}

/** Exit code for an error escaping runAuditCommand: 2 for bad input; anything else is a bug. */
export function exitCodeFor(error: unknown): number {
  return error instanceof InputError ? 2 : 3;
}

function resolveToday(today: string | undefined): string {
  if (today !== undefined) {
    if (!isCalendarDate(today)) throw new InputError(`--today must be a date written YYYY-MM-DD, got "${today}"`);
    return today;
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString().slice(0, 10);
  return new Date().toISOString().slice(0, 10);
}

/** Required lazily: the catalog is written separately and the command must load without it. */
function loadCatalog(): readonly Control[] {
  try {
    const mod = require("../../policies/catalog") as { CONTROLS?: readonly Control[] };
    if (!Array.isArray(mod.CONTROLS)) throw new Error("policies/catalog.ts does not export CONTROLS");
    return mod.CONTROLS;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String((e as Error).message).includes("policies/catalog")) {
      throw new Error("the control catalog (policies/catalog.ts, export CONTROLS) is not available");
    }
    throw e;
  }
}
