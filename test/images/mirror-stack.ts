import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import { parse } from "yaml";
import { ALL_CHARTS, chartMirrorPath } from "../../charts/platform/releases";
import { RKE2_REGISTRIES_PATH } from "../../components/cloud/plan/cloud-init";
import { configChecks } from "../../src/checks";
import { parseConfig } from "../../src/config";
import { readStackFile } from "../../src/config/stack-file";
import { catalogRegistries } from "../../src/images/ref";
import { deploy } from "../../src/program";
import { projectName } from "../../src/render/render";
import { quiesce, recordRegistrations, settle, type Recorded } from "../cloud/mocks";

/**
 * Runs an example stack of stacks/ with `socle:registryMirror` set through the whole program, under the
 * value-returning mocks of test/cloud/mocks.ts (so node user data is computed), inside a root stack as
 * `pulumi up` runs it. One per test file: the Pulumi runtime is global.
 */

export const ROOT = resolve(__dirname, "..", "..");
export const MIRROR = "registry.ministere-exemple.gouv.fr/mirror";
export const MIRROR_HOST = "registry.ministere-exemple.gouv.fr";

export async function runWithMirror(stack: string): Promise<{ records: Recorded[]; outputs: Record<string, unknown> }> {
  const monitor = recordRegistrations();
  const file = join(ROOT, "stacks", `Pulumi.${stack}.yaml`);
  const stackFile = readStackFile(file, stack, projectName(ROOT));
  // Chat needs a generated signing key the cloud mocks do not compute; it has nothing to do with the mirror.
  const apps = (stackFile.socle.apps as string[]).filter((a) => a !== "chat");
  const config = parseConfig({ ...stackFile.socle, registryMirror: MIRROR, apps }, { project: projectName(ROOT), stack, file, lineOf: stackFile.lineOf }, configChecks);
  let outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    outputs = await deploy(config);
    return {};
  });
  await settle(outputs.apiEndpoint as pulumi.Output<string>);
  await quiesce(monitor);
  return { records: monitor.records, outputs };
}

/** Every `image` string of a value, recursively. */
export function imagesIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => imagesIn(x, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) (k === "image" && typeof x === "string" ? out.push(x) : imagesIn(x, out));
  return out;
}

/**
 * Images a chart's values name through its own keys: `image` strings, and `{registry?, repository, tag,
 * digest|sha}` objects (cert-manager, Velero, CloudNativePG, kube-prometheus-stack values.yaml), rebuilt.
 */
export function valueImages(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => valueImages(x, out));
  else if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.repository === "string" && typeof o.tag === "string") {
      const name = typeof o.registry === "string" ? `${o.registry}/${o.repository}` : o.repository;
      const digest = typeof o.digest === "string" ? o.digest : typeof o.sha === "string" ? `sha256:${o.sha}` : undefined;
      out.push(digest ? `${name}:${o.tag}@${digest}` : `${name}:${o.tag}`);
    }
    for (const [k, x] of Object.entries(o)) (k === "image" && typeof x === "string" ? out.push(x) : valueImages(x, out));
  }
  return out;
}

/** Every Helm chart from oci://<mirror>/…, no upstream chart repository, every Kubernetes image from the mirror. */
export function expectChartsAndImagesFromMirror(records: readonly Recorded[]): void {
  const releases = records.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
  expect(releases.length).toBeGreaterThanOrEqual(5);
  const allowed = new Set(Object.values(ALL_CHARTS).map((c) => `oci://${MIRROR}/${chartMirrorPath(c)}`));
  for (const r of releases) {
    expect(allowed.has(r.inputs.chart), `${r.name}: ${r.inputs.chart}`).toBe(true);
    expect(r.inputs.repositoryOpts, r.name).toBeUndefined();
  }
  const fromValues = releases.flatMap((r) => valueImages(r.inputs.values));
  // Every platform chart sets its images through its values (cert-manager alone sets five).
  expect(fromValues.length).toBeGreaterThanOrEqual(12);
  for (const image of fromValues) expect(image.startsWith(`${MIRROR}/`), image).toBe(true);
  const all = records.filter((r) => r.type.startsWith("kubernetes:")).flatMap((r) => imagesIn(r.inputs));
  expect(all.length).toBeGreaterThan(15);
  for (const image of all) expect(image.startsWith(`${MIRROR}/`), image).toBe(true);
}

/** RKE2's system-default-registry and containerd mirrors for every catalog registry in a node's cloud-init text. */
export function expectNodeMirrors(text: string, node: string): void {
  expect(text.startsWith("#cloud-config\n"), node).toBe(true);
  const files = parse(text).write_files as { path: string; content: string }[];
  const config = parse(files.find((f) => f.path === "/etc/rancher/rke2/config.yaml")!.content);
  expect(config["system-default-registry"], node).toBe(MIRROR);
  const registries = parse(files.find((f) => f.path === RKE2_REGISTRIES_PATH)!.content) as { mirrors: Record<string, { endpoint: string[]; rewrite: Record<string, string> }> };
  for (const upstream of catalogRegistries()) {
    expect(registries.mirrors[upstream], `${node} ${upstream}`).toEqual({ endpoint: [`https://${MIRROR_HOST}`], rewrite: { "^(.*)$": `mirror/${upstream}/$1` } });
  }
}

/** Markdown pages of docs/ (not the research notes). */
export function docFiles(dir = join(ROOT, "docs")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === "research" ? [] : docFiles(join(dir, e.name))) : e.name.endsWith(".md") ? [join(dir, e.name)] : []));
}

/** Output names the docs tell operators to use ("the `x` output", "stack output `x.y`"): first segments. */
export function documentedOutputs(): string[] {
  const names = new Set<string>();
  for (const page of docFiles()) {
    for (const m of readFileSync(page, "utf8").matchAll(/`([\w.]+)` (?:stack )?output|stack outputs? `([\w.]+)`/g)) names.add((m[1] ?? m[2]!).split(".")[0]!);
  }
  return [...names].sort();
}
