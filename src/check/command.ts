/**
 * `socle check`: loads the input as `socle audit` does (a stack name is rendered first), builds the check
 * model, runs the rules, prints a table or JSON. 0: no blocker; 1: a blocker; bad input throws InputError (2).
 */
import { InputError } from "../audit/errors";
import { loadInput } from "../audit/inputs/load";
import { buildCheckModel } from "./model";
import { ALL_RULES } from "./rules";
import { renderJson, renderTable, runCheck, type CheckResult } from "./run";
import type { CheckRule } from "./types";

export type CheckFormat = "table" | "json";

export interface CheckCommandOptions {
  readonly input: string;
  readonly format?: string;
  readonly projectDir?: string;
  readonly renderStack?: (stack: string) => Promise<string>;
  readonly rules?: readonly CheckRule[];
  readonly out: (s: string) => void;
}

export function parseFormat(format: string | undefined): CheckFormat {
  const f = format ?? "table";
  if (f !== "table" && f !== "json") throw new InputError(`--format must be "table" or "json", got "${f}"`);
  return f;
}

export async function runCheckCommand(opts: CheckCommandOptions): Promise<{ code: number; result: CheckResult }> {
  const format = parseFormat(opts.format);
  // The context's date matters to waivers and qualification expiry, never to a check: today's UTC date.
  const input = await loadInput(opts.input, {
    today: new Date().toISOString().slice(0, 10),
    ...(opts.projectDir !== undefined ? { projectDir: opts.projectDir } : {}),
    ...(opts.renderStack ? { renderStack: opts.renderStack } : {}),
  });
  const model = buildCheckModel(input);
  const result = runCheck(model, opts.rules ?? ALL_RULES);
  opts.out(format === "json" ? renderJson(result, input.path) : renderTable(result, input.path));
  return { code: result.blockers > 0 ? 1 : 0, result };
}
