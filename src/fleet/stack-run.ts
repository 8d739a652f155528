/**
 * One stack of a fleet run, whole: its render, the isolation evidence the fleet keeps of it, and its audit or
 * check. Runs in a worker thread of `socle fleet` (src/fleet/worker.js, src/fleet/pool.ts): each thread has its
 * own module instances, hence its own Pulumi SDK mock state, so N threads render N stacks at once; a stack
 * rendered here is byte-identical to its render alone (test/fleet/run.test.ts).
 *
 * What crosses back to the main thread is small and plain (structured clone): the verdict and the evidence
 * (`isolationEvidence`: identities, policies, pod labels and ports, hostnames, grants), never the state.
 */
import { statSync } from "node:fs";
import { join, relative } from "node:path";
import { isolationEvidence } from "../../policies/controls/network/tenant-isolation";
import type { ResourceView } from "../../policies/types";
import { loadJsonText } from "../audit/inputs/load";
import { ConfigError } from "../config/issues";
import { InputError } from "../model/input-error";
import { readPlatformOutputs, renderStack } from "../render/render";
import { ROOT_STACK_TYPE } from "../../policies/controls/lib/stack";
import { stackJob } from "./job";
import type { TenantVerdict } from "./report";

export interface StackRun {
  readonly mode: "render" | "audit" | "check";
  readonly stack: string;
  readonly stackFile: string;
  readonly outDir: string;
  /** A tenant's platform state (`<out>/<platform>/state.json` of this run); undefined: the render's default. */
  readonly platformState?: string;
  /** A platform binding tenants: the folder of their renders (`<folder>/<tenant>/state.json`); undefined: the render's default. */
  readonly tenantStates?: string;
  /** A binding pass (src/fleet/binding-order.ts): rendered for its outputs only, neither judged nor kept as evidence. */
  readonly bindingPass?: boolean;
  readonly waiversFile?: string;
  readonly today: string;
  readonly root: string;
  readonly force?: boolean;
}

export type StackRunResult = Pick<TenantVerdict, "render" | "error" | "resources" | "organization" | "audit" | "check"> & {
  /** The resources the isolation control reads, reduced (src/fleet/run.ts keeps these for every stack). */
  readonly evidence: readonly ResourceView[];
};

const shown = (p: string): string => {
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith("..") ? rel : p;
};

/**
 * Platform outputs by state file, read once per thread: every tenant of a run reads the same platform state
 * (rendered before any tenant is sent out). Read again when the file changed (size or modification time), so a
 * thread never answers from a stale platform.
 */
const platformOutputs = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly outputs: Record<string, unknown> }>();

const readPlatformOnce: typeof readPlatformOutputs = (opts, platformStack) => {
  const file = opts.platformState;
  if (file === undefined) return readPlatformOutputs(opts, platformStack);
  let st: { mtimeMs: number; size: number };
  try {
    st = statSync(file);
  } catch {
    return readPlatformOutputs(opts, platformStack); // its own message: render the platform first
  }
  const hit = platformOutputs.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.outputs;
  const outputs = readPlatformOutputs(opts, platformStack);
  platformOutputs.set(file, { mtimeMs: st.mtimeMs, size: st.size, outputs });
  return outputs;
};

/** Renders a stack, keeps its isolation evidence, and audits or checks it. A stack that cannot render is `invalid` (exit 2), with why. */
export async function runStack(job: StackRun): Promise<StackRunResult> {
  const opts = {
    root: job.root,
    stack: job.stack,
    stackFile: job.stackFile,
    outDir: job.outDir,
    force: job.force,
    ...(job.platformState !== undefined ? { platformState: job.platformState } : {}),
    ...(job.tenantStates !== undefined ? { tenantStates: job.tenantStates } : {}),
    readPlatform: readPlatformOnce,
  };
  let statePath: string;
  let stateText: string;
  let resources: number;
  let organization: string | undefined;
  try {
    // The render engine captures no stack while the program runs, and renders a bug again with capture on (src/render/engine.ts).
    const result = await renderStack(opts);
    statePath = join(result.outDir, "state.json");
    stateText = result.stateText;
    resources = result.state.deployment.resources.length;
    for (const r of result.state.deployment.resources) {
      if (r.type === ROOT_STACK_TYPE) {
        const socle = (r.outputs as { socle?: { organization?: unknown } } | undefined)?.socle;
        if (typeof socle?.organization === "string") organization = socle.organization;
      }
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      return { render: "invalid", error: `${shown(err.file)}: ${err.issues.map((i) => `${i.path}: ${i.problem}`).slice(0, 3).join("; ")}`, evidence: [] };
    }
    if (err instanceof InputError) return { render: "invalid", error: err.message, evidence: [] };
    throw err;
  }
  if (job.bindingPass) return { render: "ok", resources, ...(organization !== undefined ? { organization } : {}), evidence: [] };
  // Loaded once, for the isolation evidence and the audit both, from the text the render has just written.
  const loaded = loadJsonText(statePath, stateText, { today: job.today });
  const evidence: ResourceView[] = [];
  for (const view of loaded.views) {
    const e = isolationEvidence(view);
    if (e) evidence.push(e);
  }
  const verdict = { render: "ok" as const, resources, ...(organization !== undefined ? { organization } : {}), evidence };
  if (job.mode === "render") return verdict;
  const judged = await stackJob({ mode: job.mode, stack: job.stack, statePath, outDir: job.outDir, waiversFile: job.waiversFile, today: job.today, root: job.root, force: job.force }, job.mode === "audit" ? loaded : undefined);
  return { ...verdict, ...judged };
}
