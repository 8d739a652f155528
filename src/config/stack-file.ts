import { existsSync } from "node:fs";
import { LineCounter, isMap, isScalar, parseDocument, type Document } from "yaml";
import { ConfigError, type ConfigIssue } from "./issues";
import { NAMESPACE } from "./parse";
import { duplicateKey, readRegularFile, READ_LIMITS, ReadProblem, treeProblem } from "./read-limits";
import { SECRET_SETTINGS } from "./schema";

/** A `Pulumi.<stack>.yaml` file, read for the offline render. */
export interface StackFile {
  readonly file: string;
  readonly stack: string;
  /** `socle:*` keys, without the prefix, as plain values. */
  readonly socle: Record<string, unknown>;
  /** Every key as Pulumi's runtime holds it (`ns:key` to a string; structured values as JSON). */
  readonly allConfig: Record<string, string>;
  /** Keys stored encrypted (`secure:`); offline they hold a placeholder, marked secret. */
  readonly secretKeys: readonly string[];
  /**
   * Whether the value at a `socle:` key path (`["identityFederation", "providers", 0, "clientSecret"]`) is
   * stored encrypted: the key itself is `secure:`, or the path is, or lies under, a nested `secure:` value
   * (Pulumi's structured configuration, `pulumi config set --secret --path`).
   */
  readonly isSecret: (path: readonly (string | number)[]) => boolean;
  /** Line of a `socle:` key path, for messages. */
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

export const SECURE_PLACEHOLDER = "[secret: stored encrypted in the stack file]";

export function stackFilePath(root: string, stack: string): string {
  return `${root}/stacks/Pulumi.${stack}.yaml`;
}

export function readStackFile(file: string, stack: string, project: string): StackFile {
  if (!existsSync(file)) {
    throw new ConfigError(file, [
      { path: "(file)", value: file, problem: "does not exist", fix: `create ${file}, or name an existing stack in stacks/` },
    ]);
  }
  const fileIssue = (problem: string, fix: string): ConfigError => new ConfigError(file, [{ path: "(file)", value: undefined, problem, fix }]);
  let text: string;
  try {
    text = readRegularFile(file, READ_LIMITS.configBytes, "stack file");
  } catch (e) {
    if (e instanceof ReadProblem) throw fileIssue(e.message, "give a regular YAML file, Pulumi.<stack>.yaml");
    throw e;
  }
  return parseStackFileText(text, file, stack, project);
}

/** The stack file's text, parsed and checked as readStackFile does once the file is read. */
export function parseStackFileText(text: string, file: string, stack: string, project: string): StackFile {
  const fileIssue = (problem: string, fix: string): ConfigError => new ConfigError(file, [{ path: "(file)", value: undefined, problem, fix }]);
  const counter = new LineCounter();
  // Duplicate keys are checked below in linear time: the library's uniqueKeys check is quadratic.
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: false });
  const dup = doc.errors.length === 0 ? duplicateKey(doc) : undefined;
  if (dup) {
    const pos = counter.linePos(dup.offset);
    throw new ConfigError(file, [
      { path: `(yaml, line ${pos.line} column ${pos.col})`, value: undefined, problem: `repeats the key ${JSON.stringify(dup.key.slice(0, 60))}`, fix: "keep one of the two entries" },
    ]);
  }
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return {
          path: `(yaml, line ${pos.line} column ${pos.col})`,
          value: undefined,
          problem: /Maximum call stack size exceeded/.test(e.message) ? `is nested too deeply (the limit is ${READ_LIMITS.depth} levels)` : e.message.split("\n")[0]!.slice(0, 200),
          fix: "correct the YAML syntax at that position",
        };
      }),
    );
  }
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: READ_LIMITS.yamlAliases });
  } catch (e) {
    // Unresolved alias, or more aliases than the limit (the "billion laughs").
    const message = (e as Error).message.split("\n")[0]!.replace(/: .*$/, "");
    throw fileIssue(
      /Excessive alias/.test(message) ? `expands more than ${READ_LIMITS.yamlAliases} YAML aliases (the limit)` : `has a YAML alias that cannot be resolved (${message.slice(0, 80)})`,
      "write the values out, or define each anchor (&name) before its aliases (*name)",
    );
  }
  const shape = treeProblem(root);
  if (shape) throw fileIssue(shape, "write the values out instead of nesting or aliasing them");
  const config = root && typeof root === "object" ? (root as { config?: unknown }).config : undefined;
  if (config === undefined || config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new ConfigError(file, [
      { path: "config", value: config, problem: "must be a map of settings", fix: "add a top-level `config:` map holding the socle:* keys" },
    ]);
  }
  const socle: Record<string, unknown> = {};
  const allConfig: Record<string, string> = {};
  const secretKeys: string[] = [];
  const securePaths = new Set<string>();
  const secureIssues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    const secure = isSecure(value);
    const nested: string[] = [];
    const plain = secure ? SECURE_PLACEHOLDER : withoutSecureLeaves(value, [fullKey], nested, 0);
    // Pulumi marks the whole key secret when any value inside it is (the runtime knows secret keys, not paths).
    if ((secure || nested.length > 0) && fullKey.startsWith(`${NAMESPACE}:`) && !SECRET_SETTINGS.has(fullKey.slice(NAMESPACE.length + 1))) {
      secureIssues.push({
        path: fullKey,
        value: undefined,
        problem: "is stored encrypted (secure:), but it is not a secret setting: socle would use it as a plain string",
        fix: `write ${fullKey} in clear (it is not a credential), or give the credential through the provider's environment variables or a secret store`,
      });
    }
    if (secure || nested.length > 0) secretKeys.push(fullKey);
    if (secure) securePaths.add(JSON.stringify([fullKey]));
    for (const p of nested) securePaths.add(p);
    allConfig[fullKey] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (fullKey.startsWith(`${NAMESPACE}:`)) socle[fullKey.slice(NAMESPACE.length + 1)] = plain;
  }
  const isSecret = (path: readonly (string | number)[]): boolean => {
    const full = [`${NAMESPACE}:${String(path[0])}`, ...path.slice(1)];
    for (let n = 1; n <= full.length; n++) if (securePaths.has(JSON.stringify(full.slice(0, n)))) return true;
    return false;
  };
  const lineOf = lineFinder(doc, counter);
  if (secureIssues.length) {
    throw new ConfigError(
      file,
      secureIssues.map((i) => {
        const line = lineOf([i.path.slice(NAMESPACE.length + 1)]);
        return line !== undefined ? { ...i, line } : i;
      }),
    );
  }
  return { file, stack, socle, allConfig, secretKeys, isSecret, lineOf };
}

/** Bounded: structured values nest a few levels at most. */
const MAX_DEPTH = 16;

/** The value with every nested `{secure: ...}` replaced by the placeholder; their paths (JSON arrays) go to `found`. */
function withoutSecureLeaves(value: unknown, path: (string | number)[], found: string[], depth: number): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (depth > 0 && isSecure(value)) {
    found.push(JSON.stringify(path));
    return SECURE_PLACEHOLDER;
  }
  if (Array.isArray(value)) return value.map((v, i) => withoutSecureLeaves(v, [...path, i], found, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withoutSecureLeaves(v, [...path, k], found, depth + 1)]));
}

function isSecure(value: unknown): boolean {
  return !!value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function lineFinder(doc: Document, counter: LineCounter) {
  // Indexed once: looking each key up in the list would make messages quadratic in the number of keys.
  const config = doc.get("config", true);
  const pairs = new Map<unknown, { key: unknown; value: unknown }>();
  if (isMap(config)) for (const p of config.items) if (isScalar(p.key) && !pairs.has(p.key.value)) pairs.set(p.key.value, p as { key: unknown; value: unknown });
  return (path: readonly (string | number)[]): number | undefined => {
    if (!isMap(config) || path.length === 0) return undefined;
    const [first, ...rest] = path;
    const pair = pairs.get(`${NAMESPACE}:${first}`);
    if (!pair) return undefined;
    let node: unknown = pair.value;
    let keyNode: unknown = pair.key;
    for (const seg of rest) {
      const container = node as { get?: (k: unknown, keep: boolean) => unknown; items?: unknown[] };
      if (!container || typeof container.get !== "function") break;
      const next = container.get(seg, true);
      if (next === undefined) break;
      keyNode = next;
      node = next;
    }
    const range = (keyNode as { range?: [number, number, number] }).range;
    return range ? counter.linePos(range[0]).line : undefined;
  };
}
