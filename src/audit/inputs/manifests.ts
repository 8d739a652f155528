import { readdirSync, realpathSync, statSync } from "node:fs";
import { READ_LIMITS, treeProblem } from "../../config/read-limits";
import { kubernetesShapeProblem } from "./shape";
import { extname, join, posix } from "node:path";
import { LineCounter, isMap, isNode, parseAllDocuments, type Document, type YAMLError } from "yaml";
import type { KubernetesObject, ResourceView } from "../../../policies/types";
import { InputError } from "../errors";
import { buildContext, type ContextOverrides } from "./context";
import { parseJson, readText } from "./read";
import { SECRET_MARKER } from "./redact";
import type { LoadedInput } from "./types";

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/**
 * Loads Kubernetes manifests from one file or a folder (recursive, files sorted by path, hidden
 * entries skipped). Each document, and each item of a `List` kind, becomes one view whose `file`
 * is `<path>#<document number from 1>` (plus `.items[<i>]` for list items).
 */
export function loadManifests(input: string, isFolder: boolean, overrides: ContextOverrides): LoadedInput {
  const shownRoot = displayPath(input);
  const files = isFolder ? listManifestFiles(input) : [""];
  if (isFolder && files.length === 0) {
    throw new InputError("contains no Kubernetes manifest (.yaml, .yml or .json files, searched recursively)", shownRoot);
  }
  const views: ResourceView[] = [];
  const lines = new Map<string, number>();
  for (const rel of files) {
    const shown = rel ? posix.join(shownRoot, rel) : shownRoot;
    const text = readText(rel ? join(input, rel) : input, shown);
    if (extname(shown).toLowerCase() === ".json") addJsonFile(text, shown, views);
    else addYamlFile(text, shown, views, lines);
  }
  if (views.length === 0) {
    throw new InputError("nothing to audit: no Kubernetes object in it (only empty documents)", shownRoot);
  }
  return { kind: "manifests", path: shownRoot, views, context: buildContext(undefined, overrides), stack: {}, lines };
}

function addYamlFile(text: string, shown: string, views: ResourceView[], lines: Map<string, number>): void {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length > READ_LIMITS.documents) throw new InputError(`holds ${list.length} YAML documents, more than the limit of ${READ_LIMITS.documents}`, shown);
  list.forEach((doc, d) => {
    const number = d + 1;
    const err = doc.errors[0];
    if (err) throw new InputError(`is not valid YAML (document ${number}): ${yamlErrorText(err.message)}`, shown, yamlErrorPosition(err, counter));
    const value: unknown = yamlToJs(doc, shown, `document ${number}`, counter);
    if (value === null || value === undefined || doc.contents === null) return;
    const start = counter.linePos(doc.contents.range[0]);
    const at = (node: unknown) => {
      const p = isNode(node) && node.range ? counter.linePos(node.range[0]) : start;
      return { line: p.line, column: p.col };
    };
    addObject(value, `${shown}#${number}`, shown, `document ${number}`, (path) => at(nodeAt(doc, path)), views, lines);
  });
}

/** A document's value with YAML aliases bounded and resolved, and no cycle; else an InputError at the document. */
export function yamlToJs(doc: Document, shown: string, label: string, counter: LineCounter): unknown {
  const where = () => {
    const p = counter.linePos(doc.contents?.range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: READ_LIMITS.yamlAliases });
  } catch (e) {
    const message = (e as Error).message;
    throw new InputError(
      /Excessive alias/.test(message) ? `${label} expands more than ${READ_LIMITS.yamlAliases} YAML aliases (the limit)` : `${label} has a YAML alias that cannot be resolved (an alias before its anchor, or an undefined one)`,
      shown,
      where(),
    );
  }
  const shape = treeProblem(value);
  if (shape) throw new InputError(`${label} ${shape}`, shown, where());
  return value;
}

function addJsonFile(text: string, shown: string, views: ResourceView[]): void {
  const value = parseJson(text, shown);
  addObject(value, `${shown}#1`, shown, "document 1", () => undefined, views, undefined);
}

type Locate = (path: readonly (string | number)[]) => { line: number; column: number } | undefined;

function addObject(
  value: unknown,
  ref: string,
  shown: string,
  label: string,
  locate: Locate,
  views: ResourceView[],
  lines: Map<string, number> | undefined,
  prefix: readonly (string | number)[] = [],
): void {
  const fail = (path: readonly (string | number)[], problem: string): never => {
    throw new InputError(`${label}${formatPath([...prefix, ...path])} ${problem}`, shown, locate([...prefix, ...path]));
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail([], "is not a Kubernetes object (expected a mapping with apiVersion and kind)");
  }
  const obj = value as Record<string, unknown>;
  for (const key of ["apiVersion", "kind"] as const) {
    if (obj[key] === undefined) fail([], `has no ${key} (every Kubernetes object needs apiVersion and kind)`);
    if (typeof obj[key] !== "string" || obj[key] === "") fail([key], "must be a non-empty string");
  }
  if (obj.metadata !== undefined && (typeof obj.metadata !== "object" || obj.metadata === null || Array.isArray(obj.metadata))) {
    fail(["metadata"], "must be a mapping");
  }
  const kind = obj.kind as string;
  if (kind.endsWith("List") && Array.isArray(obj.items)) {
    obj.items.forEach((item, i) =>
      addObject(item, `${ref}.items[${i}]`, shown, label, locate, views, lines, [...prefix, "items", i]),
    );
    return;
  }
  const bad = kubernetesShapeProblem(obj);
  if (bad) fail(bad[0].split("."), `${bad[1]}: this ${kind} is not what it claims to be, and nothing in it could be audited`);
  const k8s = redactSecretData({ ...obj, metadata: obj.metadata ?? {} }) as unknown as KubernetesObject;
  const line = locate(prefix)?.line;
  if (lines && line !== undefined) lines.set(ref, line);
  views.push({
    type: `k8s:${k8s.apiVersion}:${k8s.kind}`,
    name: k8s.metadata.name ?? `(unnamed ${kind})`,
    props: k8s,
    protect: false,
    k8s,
    file: ref,
  });
}

/** A `Secret` manifest holds its values in clear (base64 is no protection): keep the keys, drop the values. */
function redactSecretData(obj: Record<string, unknown>): Record<string, unknown> {
  if (obj.kind !== "Secret" || obj.apiVersion !== "v1") return obj;
  const out = { ...obj };
  for (const key of ["data", "stringData"]) {
    const v = out[key];
    if (v && typeof v === "object" && !Array.isArray(v)) {
      out[key] = Object.fromEntries(Object.keys(v).map((k) => [k, SECRET_MARKER]));
    }
  }
  return out;
}

function nodeAt(doc: Document, path: readonly (string | number)[]): unknown {
  let node: unknown = doc.contents;
  let best = node;
  for (const key of path) {
    if (isMap(node) || (isNode(node) && "get" in node)) {
      node = (node as { get(k: unknown, keep: true): unknown }).get(key, true);
      if (node === undefined) break;
      best = node;
    } else break;
  }
  return best;
}

function listManifestFiles(root: string): string[] {
  const out: string[] = [];
  const shownRoot = displayPath(root);
  // Iterative walk; folders reached through symbolic links are not followed (no loops), linked files are.
  const pending = [""];
  while (pending.length) {
    const rel = pending.pop()!;
    const entries = readdirSync(join(root, rel), { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) pending.push(child);
      else if (MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase()) && (e.isFile() || (e.isSymbolicLink() && linkedFile(root, child, shownRoot)))) {
        out.push(child);
        if (out.length > READ_LIMITS.files) throw new InputError(`holds more than ${READ_LIMITS.files} manifest files (the limit)`, shownRoot);
      }
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** True when a symbolic link in a manifest folder leads to a regular file; a dangling or looping link is an InputError. */
function linkedFile(root: string, child: string, shownRoot: string): boolean {
  let target: string;
  try {
    target = realpathSync(join(root, child));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === "ELOOP" ? "is a symbolic link that loops" : "is a symbolic link to nothing (dangling)", posix.join(shownRoot, child));
  }
  return statSync(target).isFile();
}

/** The path as given, with `/` separators and without a leading `./`. */
export function displayPath(p: string): string {
  const s = posix.normalize(p.replace(/\\/g, "/"));
  return s.length > 1 && s.endsWith("/") ? s.slice(0, -1) : s;
}

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "";
  return " " + path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** The parser's message without its appended source excerpt (which could show secret values). */
export function yamlErrorText(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return `nested too deeply (the limit is ${READ_LIMITS.depth} levels)`;
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

export function yamlErrorPosition(err: YAMLError, counter: LineCounter): { line: number; column: number } {
  const p = counter.linePos(err.pos[0]);
  return { line: p.line, column: p.col };
}
