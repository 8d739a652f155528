import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Control } from "../../policies/types";
import { CONTEXT_FILE_NAME } from "../render/context-file";
import { failureTable } from "../report/terminal";
import { DEFAULT_GATE, FAIL_ON_VALUES, SEVERITIES, gatingFailures, type Gate } from "./gate";
import { clusterObjectsOnly, findContextFile, withStackContext } from "./stack-context";
import { settingLines } from "./stack-settings";
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
  /** Receives the failure table (unless `quiet`) and the summary; default console.log. */
  readonly log?: (line: string) => void;
  /** Only the summary line, no failure table. */
  readonly quiet?: boolean;
  /** Colour the failure table (the CLI sets it only on a terminal without NO_COLOR). */
  readonly colour?: boolean;
  /** Which failures make the exit code 1 (`--fail-on`, `--severity`); default: mandatory ones. */
  readonly gate?: Gate;
  /** SARIF lists passing and not-applicable checks too (`--include-passes`). */
  readonly includePasses?: boolean;
  /**
   * The stack whose context (declared load balancers, regions, registries…) manifests are judged with:
   * its `out/<stack>/socle-context.json`, written by `socle render` (rendered first when missing).
   * Without it, a manifest input uses the `socle-context.json` found beside it, if any.
   */
  readonly stack?: string;
}

/**
 * `socle audit`: loads the input, runs the controls, applies waivers, writes the reports, prints the failures.
 * Returns 0 when no failure counts under the gate (by default: no unwaived mandatory failure), 1 otherwise.
 * Bad input throws InputError, which the CLI prints without a stack trace and turns into exit code 2 (see exitCodeFor).
 */
export async function runAuditCommand(opts: AuditCommandOptions): Promise<number> {
  const formats = parseFormats(opts.formats);
  const today = resolveToday(opts.today);
  if (opts.minLogRetentionDays !== undefined && !(Number.isInteger(opts.minLogRetentionDays) && opts.minLogRetentionDays > 0)) {
    throw new InputError(`--min-log-retention-days must be a positive whole number of days, got ${opts.minLogRetentionDays}`);
  }
  const gate = opts.gate ?? DEFAULT_GATE;
  if (!FAIL_ON_VALUES.includes(gate.failOn)) throw new InputError(`--fail-on must be one of ${FAIL_ON_VALUES.join(", ")}, got "${gate.failOn}"`);
  if (!SEVERITIES.includes(gate.minSeverity)) throw new InputError(`--severity must be one of ${SEVERITIES.join(", ")}, got "${gate.minSeverity}"`);
  if (opts.stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(opts.stack)) {
    throw new InputError(`--stack ${JSON.stringify(opts.stack)} is not a stack name: use letters, digits, '-', '_' and '.', as in stacks/Pulumi.<stack>.yaml`);
  }
  const controls = opts.controls ?? loadCatalog();
  if (opts.waiversFile) requireReadableFile(opts.waiversFile, "--waivers", "a waiver file (YAML), e.g. waivers/<stack>.yaml");
  const waivers: readonly Waiver[] = opts.waiversFile ? loadWaivers(opts.waiversFile) : [];
  if (opts.waiversFile) checkWaiverControls(waivers, new Set(controls.map((c) => c.id)), opts.waiversFile);

  const overrides = { today, ...(opts.minLogRetentionDays !== undefined ? { minLogRetentionDays: opts.minLogRetentionDays } : {}) };
  let renderedStack: string | undefined;
  const render = opts.renderStack;
  let input = await loadInput(opts.input, {
    ...overrides,
    ...(opts.projectDir !== undefined ? { projectDir: opts.projectDir } : {}),
    ...(render ? { renderStack: (stack: string) => ((renderedStack = stack), render(stack)) } : {}),
  });
  if (input.kind === "manifests") {
    input = clusterObjectsOnly(input);
    const contextFile = opts.stack !== undefined ? await stackContextFile(opts.stack, opts) : findContextFile(opts.input);
    if (contextFile !== undefined) input = withStackContext(input, contextFile, overrides);
  } else if (opts.stack !== undefined) {
    throw new InputError(`--stack applies to manifest inputs only: ${displayPath(opts.input)} is a ${input.kind} that carries its stack's context itself`);
  }
  const result = runAudit(controls, input.views, input.context, waivers);
  let stackSettings: AuditReport["stackSettings"];
  if (renderedStack !== undefined) {
    const file = join(opts.projectDir ?? ".", "stacks", `Pulumi.${renderedStack}.yaml`);
    const paths = new Set(result.findings.filter((f) => f.path?.startsWith("socle.") && f.resource.kind === "pulumi:pulumi:Stack").map((f) => f.path!));
    stackSettings = { file: displayPath(file), lines: settingLines(file, paths) };
  }
  const report: AuditReport = {
    ...result,
    tool: toolInfo(),
    input: { kind: input.kind, path: input.path },
    ...(opts.waiversFile ? { waiverFile: displayPath(opts.waiversFile) } : {}),
    stack: input.stack,
    today,
    context: input.context,
    lines: input.lines,
    gate,
    ...(stackSettings ? { stackSettings } : {}),
    ...(opts.includePasses ? { includePasses: true } : {}),
  };
  const inputs = [opts.input, ...(opts.waiversFile ? [opts.waiversFile] : [])];
  writeReports(report, formats, opts.outDir, { force: opts.force, protect: auditOutputGuards({ projectDir: opts.projectDir, inputs }) });

  const log = opts.log ?? console.log;
  if (!opts.quiet) log(failureTable(report, gate, opts.colour === true).replace(/\n$/, ""));
  const gating = gatingFailures(result, gate).length;
  const t = result.totals;
  const unused = result.waivers.filter((w) => w.matched === 0).length;
  const expired = result.waivers.filter((w) => w.expired && w.matched > 0).length;
  const notAssessed = result.controls.filter((c) => c.status === "notAssessed").length;
  log(
    `socle audit: ${t.resources} resources, ${result.controls.length} controls: ${t.pass} pass, ${t.fail} fail (${t.mandatoryFailures} mandatory), ` +
      `${t.waived} waived, ${t.notApplicable} not applicable; ${notAssessed} control(s) not assessed` +
      (expired ? `; ${expired} expired waiver(s)` : "") +
      (unused ? `; ${unused} unused waiver(s)` : "") +
      `. Reports: ${formats.map((f) => `${displayPath(opts.outDir)}/${REPORT_FILE_NAMES[f]}`).join(", ")}` +
      `. Result: ${gating > 0 ? `FAIL, ${gating} failure(s) count under --fail-on ${gate.failOn}${gate.minSeverity !== "low" ? ` --severity ${gate.minSeverity}` : ""}` : "PASS"}.`,
  );
  return gating > 0 ? 1 : 0;
}

/** A file option must name a regular file that can be read: said plainly, never as a raw ENOENT. */
function requireReadableFile(file: string, option: string, what: string): void {
  let problem: string | undefined;
  try {
    const st = statSync(file);
    if (st.isDirectory()) problem = "is a folder";
    else if (!st.isFile()) problem = "is not a regular file";
    else accessSync(file, constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problem = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied)" : `cannot be read (${code ?? (e as Error).message})`;
  }
  if (problem) throw new InputError(`${problem}: ${option} expects ${what}`, displayPath(file));
}

/** `out/<stack>/socle-context.json`, rendering the stack first when it is not there yet. */
async function stackContextFile(stack: string, opts: AuditCommandOptions): Promise<string> {
  const root = opts.projectDir ?? ".";
  const file = join(root, "out", stack, CONTEXT_FILE_NAME);
  if (existsSync(file)) return file;
  if (!existsSync(join(root, "stacks", `Pulumi.${stack}.yaml`))) {
    throw new InputError(`--stack ${stack}: no stacks/Pulumi.${stack}.yaml and no out/${stack}/${CONTEXT_FILE_NAME}: name a stack of this project, or render it first`);
  }
  if (!opts.renderStack) throw new InputError(`--stack ${stack}: out/${stack}/${CONTEXT_FILE_NAME} is missing: run \`socle render ${stack}\` first`);
  const state = await opts.renderStack(stack);
  const beside = join(dirname(state), CONTEXT_FILE_NAME);
  if (!existsSync(beside)) throw new InputError(`--stack ${stack}: the render wrote no ${CONTEXT_FILE_NAME} (the stack has no socle output)`);
  return beside;
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
