import { existsSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { InputError } from "../errors";
import type { ContextOverrides } from "./context";
import { displayPath, loadManifests } from "./manifests";
import { loadDeployment, typeName } from "./pulumi-state";
import { parseJson, readText } from "./read";
import type { LoadedInput } from "./types";
import { urnLines } from "../state-lines";

const STACK_NAME = /^[a-z0-9-]+$/;

export interface LoadOptions extends ContextOverrides {
  /** Folder holding `stacks/Pulumi.<name>.yaml`; default: the working directory. */
  readonly projectDir?: string;
  /** Renders a stack offline and returns the path of its state.json (the CLI passes `socle render`). */
  readonly renderStack?: (stack: string) => Promise<string>;
}

/**
 * Detects what `input` is and loads it: a folder of manifests, a YAML manifest file, a JSON file
 * (stack export, backend checkpoint or Kubernetes object), or the name of a stack to render first.
 */
export async function loadInput(input: string, opts: LoadOptions): Promise<LoadedInput> {
  if (!existsSync(input)) {
    const stackFile = join(opts.projectDir ?? ".", "stacks", `Pulumi.${input}.yaml`);
    if (STACK_NAME.test(input) && existsSync(stackFile)) {
      if (!opts.renderStack) throw new InputError(`is a stack name, but this command cannot render stacks: run \`socle render ${input}\` and audit out/${input}/state.json`, input);
      const statePath = await opts.renderStack(input);
      return loadFile(statePath, opts);
    }
    throw new InputError(
      "does not exist: give a state file (`pulumi stack export` or backend checkpoint .json), a manifest file or folder (.yaml, .yml, .json), or the name of a stack in stacks/Pulumi.<name>.yaml",
      displayPath(input),
    );
  }
  let isDir = false;
  try {
    isDir = statSync(input).isDirectory();
  } catch (e) {
    throw new InputError(`cannot be read (${(e as NodeJS.ErrnoException).code === "ELOOP" ? "a symbolic link that loops" : (e as NodeJS.ErrnoException).code ?? "error"})`, displayPath(input));
  }
  if (isDir) return loadManifests(input, true, opts);
  return loadFile(input, opts);
}

function loadFile(file: string, overrides: ContextOverrides): LoadedInput {
  const shown = displayPath(file);
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return loadManifests(file, false, overrides);
  if (ext !== ".json") {
    throw new InputError(`has an unsupported extension "${ext || "(none)"}": expected .json (state export, checkpoint or manifest), .yaml or .yml (manifests)`, shown);
  }
  return loadJsonText(file, readText(file, shown), overrides);
}

/**
 * A JSON input whose text is already in memory: what `loadInput` does with the file's text. A fleet run
 * audits the state its render has just written (src/fleet/stack-run.ts) from the text it wrote, instead of
 * reading it back.
 */
export function loadJsonText(file: string, text: string, overrides: ContextOverrides): LoadedInput {
  const shown = displayPath(file);
  const doc = parseJson(text, shown);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new InputError(`must hold a JSON object (stack export, checkpoint or Kubernetes object), found ${typeName(doc)}`, shown);
  }
  const obj = doc as Record<string, unknown>;
  if ("deployment" in obj) {
    requireVersion(obj, shown);
    return withUrnLines(loadDeployment(obj.deployment, shown, "deployment", "state", overrides), text);
  }
  if ("checkpoint" in obj) {
    requireVersion(obj, shown);
    const cp = obj.checkpoint;
    if (cp === null || cp === undefined) throw new InputError("is null: nothing to audit (the stack has no deployment)", shown, { path: "checkpoint" });
    if (typeof cp !== "object" || Array.isArray(cp)) throw new InputError(`must be an object, found ${typeName(cp)}`, shown, { path: "checkpoint" });
    const { stack, latest } = cp as Record<string, unknown>;
    if (stack !== undefined && typeof stack !== "string") throw new InputError(`must be a string, found ${typeName(stack)}`, shown, { path: "checkpoint.stack" });
    return withUrnLines(loadDeployment(latest ?? {}, shown, "checkpoint.latest", "checkpoint", overrides, stack), text);
  }
  if ("apiVersion" in obj || "kind" in obj) return loadManifests(file, false, overrides);
  throw new InputError(
    "is not a recognised input: expected a `pulumi stack export` ({version: 3, deployment}), a backend checkpoint ({version: 3, checkpoint}) or a Kubernetes object (apiVersion, kind)",
    shown,
  );
}

/** State inputs locate resources by the line of their URN in the file (keys are URNs, never manifest references). */
function withUrnLines(input: LoadedInput, text: string): LoadedInput {
  const urns = urnLines(text);
  if (input.lines.size === 0) return { ...input, lines: urns };
  return { ...input, lines: new Map([...input.lines, ...urns]) };
}

function requireVersion(obj: Record<string, unknown>, shown: string): void {
  if (obj.version === undefined) throw new InputError("is missing (expected 3)", shown, { path: "version" });
  if (obj.version !== 3) throw new InputError(`is ${JSON.stringify(obj.version)}: only version 3 (Pulumi 3.x) is supported`, shown, { path: "version" });
}
