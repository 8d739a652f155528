import { existsSync, readFileSync } from "node:fs";
import { LineCounter, isMap, isScalar, parseDocument, type Document } from "yaml";
import { ConfigError } from "./issues";
import { NAMESPACE } from "./parse";

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
  const text = readFileSync(file, "utf8");
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return {
          path: `(yaml, line ${pos.line} column ${pos.col})`,
          value: undefined,
          problem: e.message.split("\n")[0],
          fix: "correct the YAML syntax at that position",
        };
      }),
    );
  }
  const root = doc.toJS() as unknown;
  const config = root && typeof root === "object" ? (root as { config?: unknown }).config : undefined;
  if (config === undefined || config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new ConfigError(file, [
      { path: "config", value: config, problem: "must be a map of settings", fix: "add a top-level `config:` map holding the socle:* keys" },
    ]);
  }
  const socle: Record<string, unknown> = {};
  const allConfig: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    const secure = isSecure(value);
    if (secure) secretKeys.push(fullKey);
    const plain = secure ? SECURE_PLACEHOLDER : value;
    allConfig[fullKey] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (fullKey.startsWith(`${NAMESPACE}:`)) socle[fullKey.slice(NAMESPACE.length + 1)] = plain;
  }
  return { file, stack, socle, allConfig, secretKeys, lineOf: lineFinder(doc, counter) };
}

function isSecure(value: unknown): boolean {
  return !!value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function lineFinder(doc: Document, counter: LineCounter) {
  // Indexed once: looking each key up in the list would make messages quadratic in the number of keys.
  const config = doc.get("config", true);
  const pairs = new Map<unknown, (typeof config extends unknown ? { key: unknown; value: unknown } : never)>();
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
