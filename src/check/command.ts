/**
 * `socle check`: loads the input as `socle audit` does (a stack name is rendered first), builds the check
 * model, runs the rules, prints a table or JSON. 0: no blocker; 1: a blocker; bad input throws InputError (2).
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "../audit/errors";
import { loadInput } from "../audit/inputs/load";
import { displayPath, loadManifests } from "../audit/inputs/manifests";
import type { LoadedInput } from "../audit/inputs/types";
import { RELEASE_CONTRACTS, releasesOf } from "./releases";
import { buildCheckModel, type SecretKeys } from "./model";
import { ALL_RULES } from "./rules";
import { renderJson, renderTable, runCheck, type CheckResult } from "./run";
import type { CheckModel, CheckRule } from "./types";

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

/**
 * A state file written by `socle render` has its manifests beside it (`manifests/`), where Secret keys are
 * kept: read them so key references are checked rather than reported "not checked". Any problem reading
 * that folder leaves the keys unknown (the state file is the input, not the folder).
 */
function secretKeysBeside(input: LoadedInput): SecretKeys | undefined {
  if (input.kind === "manifests") return undefined;
  const folder = join(dirname(input.path), "manifests");
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return undefined;
  let views: LoadedInput["views"];
  try {
    views = loadManifests(folder, true, { today: input.context.today }).views;
  } catch (e) {
    if (e instanceof InputError) return undefined;
    throw e;
  }
  const keys = new Map<string, string[]>();
  for (const v of views) {
    const o = v.k8s;
    if (!o || o.kind !== "Secret") continue;
    const names = new Set<string>();
    for (const f of ["data", "stringData"]) {
      const d = o[f];
      if (typeof d === "object" && d !== null && !Array.isArray(d)) for (const k of Object.keys(d)) names.add(k);
    }
    keys.set(`${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`, [...names]);
  }
  return { from: displayPath(folder), keys };
}

/**
 * A tenant's state names its platform by its StackReference (id `org/project/stack`): the platform's render,
 * beside the tenant's (`<out>/<platform stack>/state.json`), supplies the objects the tenant relies on.
 */
async function platformOf(input: LoadedInput, today: string): Promise<CheckModel["platform"]> {
  const ref = input.views.find((v) => v.type === "pulumi:pulumi:StackReference");
  if (!ref || input.kind === "manifests") return undefined;
  const stack = ref.name.split("/").pop() ?? "";
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(stack)) return { stack, found: false, objects: [] };
  const file = join(dirname(dirname(input.path)), stack, "state.json");
  if (!existsSync(file)) return { stack, found: false, objects: [] };
  const platform = await loadInput(file, { today });
  return { stack, found: true, objects: platform.views.flatMap((v) => (v.k8s ? [v.k8s] : [])), charts: releasesOf(platform.views).map((r) => r.chart) };
}

export async function runCheckCommand(opts: CheckCommandOptions): Promise<{ code: number; result: CheckResult }> {
  const format = parseFormat(opts.format);
  // The context's date matters to waivers and qualification expiry, never to a check: today's UTC date.
  const input = await loadInput(opts.input, {
    today: new Date().toISOString().slice(0, 10),
    ...(opts.projectDir !== undefined ? { projectDir: opts.projectDir } : {}),
    ...(opts.renderStack ? { renderStack: opts.renderStack } : {}),
  });
  const model = buildCheckModel(input, RELEASE_CONTRACTS, secretKeysBeside(input), await platformOf(input, input.context.today));
  const result = runCheck(model, opts.rules ?? ALL_RULES);
  opts.out(format === "json" ? renderJson(result, input.path) : renderTable(result, input.path));
  return { code: result.blockers > 0 ? 1 : 0, result };
}
