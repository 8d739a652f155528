import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { InputError } from "../model/input-error";
import * as pulumi from "@pulumi/pulumi";
import { projectName } from "../config/project";
import { configChecks } from "../checks";
import { loadConfig, parseConfig } from "../config";
import { readStackFile, stackFilePath } from "../config/stack-file";
import { deploy } from "../program";
import { cloudInitFiles, collectCloudInit } from "./cloud-init";
import { dnsRecordsFile } from "./dns";
import { underRenderEngine } from "./engine";
import { CONTEXT_FILE_NAME, collectManifests, contextFileText, kustomizationText, manifestFileText, topComponent } from "./manifests";
import { RecordingMonitor } from "./monitor";
import { replacementProblems } from "./replacement";
import { ConfigError } from "../config/issues";
import { ownedFile, checkOutputDir, OutputError, writeOwnedFiles, type Guard, type OutputFile } from "./output-dir";
import { stackNameProblem } from "../config/stack-name";
import { compareText } from "../compare";
import { buildStateExport, type StateExport } from "./state";
import { isSecretEnvelope, SECRET, SECRET_SIG, SIG_KEY } from "./markers";

export interface RenderOptions {
  /** Repository root (holds Pulumi.yaml and stacks/). */
  readonly root: string;
  readonly stack: string;
  /** Defaults to `<root>/out/<stack>`. */
  readonly outDir?: string;
  /** Defaults to `<root>/stacks/Pulumi.<stack>.yaml`. */
  readonly stackFile?: string;
  /** Write into an existing output folder socle did not create (keeping every file it did not write). */
  readonly force?: boolean;
  /** Render even when protected resources of the previous render would be deleted or replaced (after a migration). */
  readonly allowReplacement?: boolean;
  /**
   * A tenant's platform, as rendered: its `state.json`, whose stack outputs answer the tenant's StackReference.
   * Defaults to `<root>/out/<platform stack>/state.json` (docs/render.md, "Tenant stacks").
   */
  readonly platformState?: string;
  /** Reads the platform's outputs instead of `readPlatformOutputs` (a fleet run reads them once per thread, src/fleet/stack-run.ts). */
  readonly readPlatform?: typeof readPlatformOutputs;
  /** A platform binding tenants (socle:tenants): the folder of their renders, `<folder>/<tenant>/state.json`; default the folder holding `outDir` (`<root>/out`). */
  readonly tenantStates?: string;
}

export interface RenderResult {
  readonly outDir: string;
  readonly state: StateExport;
  /** The text written to `state.json` (an audit in the same process reads it from here, not back from the file). */
  readonly stateText: string;
  /** Manifest file (relative to outDir) to object count. */
  readonly manifestFiles: ReadonlyMap<string, number>;
  /** Top-level component name to the number of resources under it. */
  readonly resourcesByComponent: ReadonlyMap<string, number>;
  readonly invokes: readonly string[];
  /** A platform's tenants whose state does not exist: their StackReference was unknown, nothing is bound for them. */
  readonly unboundTenants?: readonly { readonly stack: string; readonly state: string }[];
}

/** Fixed deployment time written in state.json: renders of the same inputs are byte-identical. */
const SDK_VERSION = (require("@pulumi/pulumi/package.json") as { version: string }).version;

export const RENDER_TIME = "1970-01-01T00:00:00Z";

export { projectName };

/**
 * Runs the socle program in-process under a recording mock monitor (a preview: values only a cloud
 * knows stay unknown) and writes `state.json` and `manifests/`. Configuration is validated first:
 * a bad stack file registers nothing and writes nothing.
 */
export async function renderStack(opts: RenderOptions): Promise<RenderResult> {
  try {
    return await renderOnce(opts, false);
  } catch (err) {
    if (!(err instanceof StacklessBug)) throw err;
  }
  // The program failed with a bug while V8 captured no stack frame (src/render/engine.ts): it runs again
  // with stack capture on, so that the error is reported with its stack trace. Nothing was written.
  return renderOnce(opts, true);
}

/** A program error other than a configuration or input error, thrown while stack capture was off. */
class StacklessBug extends Error {}

/** An error of the user's input, reported without a stack trace: the same whether stacks were captured or not. */
const isInputError = (err: unknown) => err instanceof ConfigError || err instanceof InputError;

async function renderOnce(opts: RenderOptions, captureStacks: boolean): Promise<RenderResult> {
  const nameProblem = stackNameProblem(opts.stack);
  if (nameProblem) throw new OutputError(nameProblem, "socle render");
  const project = projectName(opts.root);
  const file = opts.stackFile ?? stackFilePath(opts.root, opts.stack);
  const outDir = opts.outDir ?? join(opts.root, "out", opts.stack);
  // Before any work: an output folder that is not socle's is refused, not discovered after a render.
  const protect = outputGuards(opts.root, file);
  preflightOutput(outDir, protect, opts.force);
  const stackFile = readStackFile(file, opts.stack, project);
  const config = parseConfig(stackFile.socle, { project, stack: opts.stack, file: relative(opts.root, file), lineOf: stackFile.lineOf, isSecret: stackFile.isSecret }, configChecks);

  const platformOutputs = config.kind === "tenant" && config.platformStack ? (opts.readPlatform ?? readPlatformOutputs)(opts, config.platformStack) : undefined;
  const tenants = config.kind === "platform" && (config.tenants ?? []).length > 0 ? readTenantOutputs(opts.tenantStates ?? dirname(outDir), config.organization.id, project, config.tenants!) : undefined;
  const monitor = new RecordingMonitor(opts.stack, platformOutputs, tenants?.outputs);
  pulumi.runtime.setMockOptions(monitor, project, opts.stack, true);
  enableMockFeatures();
  pulumi.runtime.setAllConfig(stackFile.allConfig, [...stackFile.secretKeys]);

  // The SDK reports a program's exception as an unhandled rejection: catch it here and rethrow it to the caller.
  let programError: unknown;
  try {
    await underRenderEngine(async () => {
      await pulumi.runtime.runInPulumiStack(async () => {
        try {
          return await deploy(loadConfig(configChecks));
        } catch (err) {
          programError = err;
          return {};
        }
      });
      await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    }, captureStacks);
  } catch (err) {
    programError ??= err;
  }
  if (programError) throw captureStacks || isInputError(programError) ? programError : new StacklessBug();
  cpuMark("socle:render:program-run");

  const { state, manifestInputs } = buildStateExport(monitor.registrations.values(), monitor.stackOutputs, monitor.secretValues, {
    project,
    stack: opts.stack,
    time: RENDER_TIME,
    engineVersion: `socle-render (@pulumi/pulumi ${SDK_VERSION})`,
  });
  const manifests = collectManifests(state, manifestInputs);
  const cloudInit = collectCloudInit(monitor.registrations.values(), monitor.stackOutputs, monitor.secretValues);
  const previous = previousState(outDir);
  if (previous) {
    const shownFile = relative(opts.root, file) || file;
    const previousOrg = organizationOf(previous);
    const renamed = previousOrg !== undefined && previousOrg !== config.organization.id;
    if (renamed && config.organization.previousId !== previousOrg) {
      throw new ConfigError(shownFile, [
        {
          path: "socle:organization",
          value: config.organization.id,
          problem: `changes the organization of a stack that has state (it was ${previousOrg} in ${outDir}): every stateful resource would be replaced`,
          fix: `keep socle:organization: ${previousOrg}, or follow the rename migration of docs/migrations.md#renaming-the-organization and then set socle:previousOrganization: ${previousOrg}`,
        },
      ]);
    }
    const problems = renamed ? [] : replacementProblems(previous, state.deployment.resources);
    if (problems.length && !opts.allowReplacement) {
      throw new ConfigError(
        relative(opts.root, file) || file,
        problems.slice(0, 50).map((p) => ({
          path: p.urn,
          value: undefined,
          problem: `${p.problem}, compared with the stack's previous render in ${outDir}`,
          fix: `keep the previous setting, or follow the migration in ${p.migration}`,
        })),
      );
    }
  }
  const stateText = JSON.stringify(state, null, 2) + "\n";
  const files: OutputFile[] = [["state.json", stateText]];
  const dnsRecords = dnsRecordsFile(state);
  if (dnsRecords !== null) files.push(["dns-records.txt", dnsRecords]);
  for (const [component, objs] of manifests) files.push([`manifests/${component}.yaml`, manifestFileText(objs, opts.stack)]);
  const context = contextFileText(state, manifestInputs);
  if (context !== null) files.push([CONTEXT_FILE_NAME, context]);
  files.push(["manifests/kustomization.yaml", kustomizationText(opts.stack, [...manifests.keys()].map((c) => `${c}.yaml`), state, manifests)]);
  files.push(...cloudInitFiles(cloudInit));
  writeOwnedFiles(outDir, "render", files, { force: opts.force, protect });
  cpuMark("socle:render:written");
  return {
    outDir,
    state,
    stateText,
    manifestFiles: new Map([...manifests].map(([c, objs]) => [`manifests/${c}.yaml`, objs.length])),
    resourcesByComponent: countByComponent(state),
    invokes: monitor.invokes,
    ...(tenants && tenants.missing.length > 0 ? { unboundTenants: tenants.missing } : {}),
  };
}

/**
 * A mark on Node's performance timeline with the process's CPU time so far, for `npm run bench`
 * (bin/socle.js writes the marks to SOCLE_USAGE_FILE): the CPU of writing the render's files, apart
 * from the program's run, which is what the floor program compares with.
 */
function cpuMark(name: string): void {
  const { user, system } = process.cpuUsage();
  performance.mark(name, { detail: { cpuMicros: user + system } });
}

/** The same features `setMocks` turns on, for a monitor passed through `setMockOptions`. */
function enableMockFeatures(): void {
  const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): Record<string, boolean> };
  const store = getStore();
  store.supportsSecrets = true;
  store.supportsResourceReferences = true;
  store.supportsOutputValues = false;
  store.supportsDeletedWith = true;
  store.supportsAliasSpecs = true;
  store.supportsTransforms = false;
}

/** The state.json a previous `socle render` wrote in this folder, when there is one. */
function previousState(outDir: string): StateExport["deployment"]["resources"] | undefined {
  const text = ownedFile(outDir, "render", "state.json");
  if (text === undefined) return undefined;
  try {
    const resources = (JSON.parse(text) as StateExport).deployment?.resources;
    return Array.isArray(resources) ? resources : undefined;
  } catch {
    return undefined;
  }
}

/** The organization recorded in the `socle` output of the previous render's stack resource. */
function organizationOf(resources: StateExport["deployment"]["resources"]): string | undefined {
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const socle = (stack?.outputs as { socle?: { organization?: unknown } } | undefined)?.socle;
  return typeof socle?.organization === "string" ? socle.organization : undefined;
}

/** What a render's output folder must never contain: the repository, the stack file, the working directory. */
function outputGuards(root: string, stackFile: string): Guard[] {
  return [
    { path: resolve(root), what: "the socle repository" },
    { path: resolve(stackFile), what: "the stack file" },
    { path: process.cwd(), what: "the working directory" },
  ];
}

/** The output checks of writeOwnedFiles, made before rendering (they are made again when writing). */
function preflightOutput(outDir: string, protect: readonly Guard[], force?: boolean): void {
  checkOutputDir(outDir, protect, force);
}

/** Top-level component (direct child of the stack) of every resource, counted. */
export function countByComponent(state: StateExport): Map<string, number> {
  const byUrn = new Map(state.deployment.resources.map((r) => [r.urn, r]));
  const counts = new Map<string, number>();
  for (const r of state.deployment.resources) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    const top = topComponent(r.urn, byUrn);
    counts.set(top, (counts.get(top) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => compareText(a, b)));
}

/** Largest platform state a tenant render reads. */
const PLATFORM_STATE_MAX_BYTES = 256 * 2 ** 20;

/**
 * A platform's tenants' stack outputs, by the StackReference name the platform gives them
 * (src/program/tenants-binding.ts `tenantReference`), from their rendered states; a tenant not rendered yet maps
 * to undefined (its reference is unknown) and is listed in `missing`.
 */
function readTenantOutputs(folder: string, org: string, project: string, tenants: readonly string[]) {
  const outputs = new Map<string, Record<string, unknown> | undefined>();
  const missing: { stack: string; state: string }[] = [];
  for (const stack of tenants) {
    const file = join(folder, stack, "state.json");
    const exists = existsSync(file);
    if (!exists) missing.push({ stack, state: file });
    outputs.set(`${org}/${project}/${stack}`, exists ? readStackOutputs(file, `render the tenant (socle render ${stack}), then the platform again`) : undefined);
  }
  return { outputs, missing };
}

/**
 * The stack outputs of a tenant's platform, from the platform's rendered state (`pulumi stack export` format):
 * what a StackReference reads at deployment time. Missing or unreadable: exit 2, with the command that makes it.
 */
export function readPlatformOutputs(opts: Pick<RenderOptions, "root" | "platformState">, platformStack: string): Record<string, unknown> {
  const platformName = platformStack.split("/").pop()!;
  const file = opts.platformState ?? join(opts.root, "out", platformName, "state.json");
  const fix = `render the platform first (socle render ${platformName}) or name its state.json with --platform-state`;
  return readStackOutputs(file, fix);
}

/** The root stack outputs of a rendered state.json (bounded, JSON): missing or unreadable is an InputError with `fix`. */
function readStackOutputs(file: string, fix: string): Record<string, unknown> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new InputError(`a tenant renders against its platform's outputs, and ${file} does not exist: ${fix}`, file);
  }
  if (size > PLATFORM_STATE_MAX_BYTES) throw new InputError(`is ${size} bytes, more than the ${PLATFORM_STATE_MAX_BYTES} a platform state may have`, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new InputError(`is not JSON (${(err as Error).message.slice(0, 200)}): ${fix}`, file);
  }
  const resources = (parsed as { deployment?: { resources?: unknown } })?.deployment?.resources;
  const root = Array.isArray(resources) ? resources.find((r) => (r as { type?: unknown })?.type === "pulumi:pulumi:Stack") : undefined;
  const outputs = (root as { outputs?: unknown } | undefined)?.outputs;
  if (!outputs || typeof outputs !== "object") throw new InputError(`has no root stack outputs: ${fix}`, file);
  return withMarkedSecrets(outputs) as Record<string, unknown>;
}

/**
 * A rendered state holds each secret as an envelope without its value (the fixed marker as ciphertext): read
 * back, it is a secret whose value is that marker, never a made-up value. (Not an unknown: one unknown value
 * makes the SDK treat a StackReference's whole `outputs` map as unknown.)
 */
function withMarkedSecrets(value: unknown): unknown {
  // An envelope with its plaintext (`pulumi stack export --show-secrets`) stays as it is: a secret with a value.
  if (isSecretEnvelope(value)) return "value" in value ? value : { [SIG_KEY]: SECRET_SIG, value: SECRET };
  if (Array.isArray(value)) return value.map(withMarkedSecrets);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withMarkedSecrets(v)]));
  return value;
}
