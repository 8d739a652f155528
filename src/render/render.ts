import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { configChecks } from "../checks";
import { loadConfig, parseConfig } from "../config";
import { readStackFile, stackFilePath } from "../config/stack-file";
import { deploy } from "../program";
import { collectCloudInit, writeCloudInit } from "./cloud-init";
import { dnsRecordsFile } from "./dns";
import { collectManifests, writeManifestFile } from "./manifests";
import { RecordingMonitor } from "./monitor";
import { buildStateExport, type StateExport } from "./state";

export interface RenderOptions {
  /** Repository root (holds Pulumi.yaml and stacks/). */
  readonly root: string;
  readonly stack: string;
  /** Defaults to `<root>/out/<stack>`. */
  readonly outDir?: string;
  /** Defaults to `<root>/stacks/Pulumi.<stack>.yaml`. */
  readonly stackFile?: string;
}

export interface RenderResult {
  readonly outDir: string;
  readonly state: StateExport;
  /** Manifest file (relative to outDir) to object count. */
  readonly manifestFiles: ReadonlyMap<string, number>;
  /** Top-level component name to the number of resources under it. */
  readonly resourcesByComponent: ReadonlyMap<string, number>;
  readonly invokes: readonly string[];
}

/** Fixed deployment time written in state.json: renders of the same inputs are byte-identical. */
const SDK_VERSION = (require("@pulumi/pulumi/package.json") as { version: string }).version;

export const RENDER_TIME = "1970-01-01T00:00:00Z";

export function projectName(root: string): string {
  const project = parseYaml(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { name?: string };
  if (!project?.name) throw new Error(`${join(root, "Pulumi.yaml")} has no name`);
  return project.name;
}

/**
 * Runs the socle program in-process under a recording mock monitor (a preview: values only a cloud
 * knows stay unknown) and writes `state.json` and `manifests/`. Configuration is validated first:
 * a bad stack file registers nothing and writes nothing.
 */
export async function renderStack(opts: RenderOptions): Promise<RenderResult> {
  const project = projectName(opts.root);
  const file = opts.stackFile ?? stackFilePath(opts.root, opts.stack);
  const stackFile = readStackFile(file, opts.stack, project);
  parseConfig(stackFile.socle, { project, stack: opts.stack, file: relative(opts.root, file), lineOf: stackFile.lineOf, isSecret: stackFile.isSecret }, configChecks);

  const monitor = new RecordingMonitor(opts.stack);
  pulumi.runtime.setMockOptions(monitor, project, opts.stack, true);
  enableMockFeatures();
  pulumi.runtime.setAllConfig(stackFile.allConfig, [...stackFile.secretKeys]);

  // The SDK reports a program's exception as an unhandled rejection: catch it here and rethrow it to the caller.
  let programError: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      return deploy(loadConfig(configChecks));
    } catch (err) {
      programError = err;
      return {};
    }
  });
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  if (programError) throw programError;

  const { state, manifestInputs } = buildStateExport(monitor.registrations.values(), monitor.stackOutputs, monitor.secretValues, {
    project,
    stack: opts.stack,
    time: RENDER_TIME,
    engineVersion: `socle-render (@pulumi/pulumi ${SDK_VERSION})`,
  });
  const manifests = collectManifests(state, manifestInputs);
  const cloudInit = collectCloudInit(monitor.registrations.values(), monitor.stackOutputs, monitor.secretValues);
  const outDir = opts.outDir ?? join(opts.root, "out", opts.stack);
  writeAtomically(outDir, (dir) => {
    writeFileSync(join(dir, "state.json"), JSON.stringify(state, null, 2) + "\n");
    const dnsRecords = dnsRecordsFile(state);
    if (dnsRecords !== null) writeFileSync(join(dir, "dns-records.txt"), dnsRecords);
    mkdirSync(join(dir, "manifests"));
    for (const [component, objs] of manifests) writeManifestFile(join(dir, "manifests", `${component}.yaml`), objs, opts.stack);
    writeCloudInit(dir, cloudInit);
  });
  return {
    outDir,
    state,
    manifestFiles: new Map([...manifests].map(([c, objs]) => [`manifests/${c}.yaml`, objs.length])),
    resourcesByComponent: countByComponent(state),
    invokes: monitor.invokes,
  };
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

/** Writes into a sibling temporary folder, then swaps it in: a failed render leaves the previous output intact. */
function writeAtomically(outDir: string, write: (dir: string) => void): void {
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    write(tmp);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(dirname(outDir), { recursive: true });
    renameSync(tmp, outDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
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
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export function topComponent(urn: string, byUrn: ReadonlyMap<string, { urn: string; parent?: string; type: string; custom: boolean }>): string {
  let cur = byUrn.get(urn);
  if (!cur) return "stack";
  if (cur.type.startsWith("pulumi:providers:")) return "providers";
  while (cur.parent) {
    const parent = byUrn.get(cur.parent);
    if (!parent || parent.type === "pulumi:pulumi:Stack") break;
    cur = parent;
  }
  if (!cur.parent || byUrn.get(cur.parent)?.type !== "pulumi:pulumi:Stack") return "stack";
  return cur.custom ? "stack" : cur.urn.slice(cur.urn.lastIndexOf("::") + 2);
}
