/**
 * The YAML text of one manifest, written in one walk of the plain object: the same bytes as the `yaml`
 * library's `Document` (YAML 1.1 schema, insertion order, `lineWidth: 0`) would write, without building
 * its node tree (which was most of a render's output time: docs/render.md, "Start-up and speed").
 *
 * Layout is the library's block layout (yaml 2.x, `dist/stringify/stringifyCollection.js`,
 * `stringifyPair.js`; `YAMLMap`/`YAMLSeq` `toString`): two-space steps, sequences indented under their key
 * (`indentSeq`), empty collections written `{}` and `[]`. Each string is written as is when the library
 * would write it plain and unchanged (the test below mirrors `plainString` in
 * `dist/stringify/stringifyString.js`), and otherwise by the library's own `stringifyString` (exported by
 * `yaml/util`) in the context the library would give it (its indentation, key or value), so that quoting,
 * escaping and block scalars are the library's. Anything else than plain JSON data (undefined, a
 * non-integer number, an object that is not plain, the merge key `<<`) is left to the library whole.
 *
 * test/render/manifest-yaml.test.ts compares the two on generated documents (fast-check) and tricky strings;
 * test/render/yaml-1.1.test.ts on every manifest of the demo's render.
 */
import { Document, isScalar, visit, type ToStringOptions } from "yaml";
import type { StringifyContext, stringifyString as StringifyString } from "yaml/dist/util";

// `yaml/util` is the package's exported entry (package.json "exports"); its types are read from their file,
// which this project's module resolution finds only by path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { stringifyString } = require("yaml/util") as { stringifyString: typeof StringifyString };

const LIBRARY_OPTIONS = { version: "1.1", sortMapEntries: false } as const;
const TO_STRING: ToStringOptions = { lineWidth: 0 };

/** What the library writes, through its node tree: the reference, and the path for what the walk leaves to it. */
export function manifestYamlByLibrary(obj: unknown): string {
  const doc = new Document(obj, LIBRARY_OPTIONS);
  // `<<` is YAML 1.1's merge key and the library writes it plain whatever its node type: tag it a string.
  // (Only a document holding the string `<<`, as a key or a value, has such a node to visit.)
  if (holdsMergeKey(obj)) {
    visit(doc, {
      Scalar: (_, node) => {
        if (isScalar(node) && node.value === "<<") Object.assign(node, { type: "QUOTE_DOUBLE", tag: "tag:yaml.org,2002:str" });
      },
    });
  }
  return doc.toString(TO_STRING);
}

/** Whether `value` holds the string `<<` anywhere, as a map key or as a value. */
function holdsMergeKey(value: unknown): boolean {
  if (value === "<<") return true;
  if (Array.isArray(value)) return value.some(holdsMergeKey);
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (k === "<<" || holdsMergeKey(v)) return true;
  }
  return false;
}

/** A value the walk does not write itself: the whole document is left to the library. */
class LeftToLibrary extends Error {}

// The context the library builds for `toString` (dist/stringify/stringify.js, createStringifyContext):
// its defaults, the schema's own options, then ours.
const SCHEMA_DOC = new Document(null, LIBRARY_OPTIONS);
const OPTIONS = {
  blockQuote: true,
  defaultKeyType: null,
  defaultStringType: "PLAIN",
  directives: null,
  doubleQuotedAsJSON: false,
  doubleQuotedMinMultiLineLength: 40,
  falseStr: "false",
  flowCollectionPadding: true,
  indentSeq: true,
  lineWidth: 80,
  minContentWidth: 20,
  nullStr: "null",
  simpleKeys: false,
  singleQuote: null,
  trailingComma: false,
  trueStr: "true",
  verifyAliasOrder: true,
  ...(SCHEMA_DOC.schema as unknown as { toStringOptions?: object }).toStringOptions,
  ...TO_STRING,
};
const BASE_CONTEXT = {
  anchors: new Set(),
  doc: SCHEMA_DOC,
  flowCollectionPadding: " ",
  indentStep: "  ",
  inFlow: null,
  options: OPTIONS,
  forceBlockIndent: false,
  allNullValues: false,
  actualString: true,
};

/** Tests of the schema's tags other than strings: a plain string one of them matches would read back as another type. */
const OTHER_TYPES: readonly RegExp[] = (() => {
  const schema = SCHEMA_DOC.schema as unknown as { tags: { default?: unknown; tag: string; test?: RegExp }[]; compat?: { default?: unknown; tag: string; test?: RegExp }[] };
  return [...schema.tags, ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== "tag:yaml.org,2002:str" && t.test).map((t) => t.test!);
})();

/**
 * Strings the library writes plain and unchanged, in a key or a value (`plainString`): not empty, one line,
 * no control character or surrogate, no indicator first (nor `.`, which may start a document marker), no `#`,
 * no `: `, not ending with a space or `:`, and read back as a string (no other tag's test matches). Longer
 * than 1024 characters, a key would be written explicit: left to the library's function.
 */
const NOT_PLAIN = /^[\t ,[\]{}#&*!|>'"%@`?:.-]|[\x00-\x1f\x7f-\x9f\ud800-\udfff#]|: |[ :]$/;
function writtenAsIs(s: string): boolean {
  if (s.length === 0 || s.length > 1024 || NOT_PLAIN.test(s)) return false;
  for (const t of OTHER_TYPES) if (t.test(s)) return false;
  return true;
}

function scalarText(value: unknown, indent: string, implicitKey: boolean): string {
  if (typeof value === "string") {
    if (writtenAsIs(value)) return value;
    if (value === "<<") throw new LeftToLibrary();
    const ctx = { ...BASE_CONTEXT, indent, implicitKey } as unknown as StringifyContext;
    return stringifyString({ value } as Parameters<typeof stringifyString>[0], ctx);
  }
  if (typeof value === "number") {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
    throw new LeftToLibrary();
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null) return "null";
  throw new LeftToLibrary();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** An empty collection (written `{}` or `[]`), or undefined for anything else. */
function emptyText(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? "[]" : undefined;
  if (isPlainObject(v)) {
    for (const _ in v) return undefined;
    return "{}";
  }
  return undefined;
}

/** A block map whose context indentation is `indent` (its entries start there); lines after the first carry it. */
function mapText(obj: Record<string, unknown>, indent: string): string {
  const inner = indent + "  ";
  let out = "";
  let first = true;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === undefined || typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") throw new LeftToLibrary();
    const keyText = scalarText(key, inner, true);
    if (keyText.length > 1024) throw new LeftToLibrary();
    let entry: string;
    if (typeof value === "object" && value !== null) {
      const empty = emptyText(value);
      if (empty !== undefined) entry = `${keyText}: ${empty}`;
      else if (Array.isArray(value)) entry = `${keyText}:\n${inner}${seqText(value, inner)}`;
      else if (isPlainObject(value)) entry = `${keyText}:\n${inner}${mapText(value, inner)}`;
      else throw new LeftToLibrary();
    } else {
      const valueText = scalarText(value, inner, false);
      entry = valueText === "" || valueText[0] === "\n" ? `${keyText}:${valueText}` : `${keyText}: ${valueText}`;
    }
    out += first ? entry : `\n${indent}${entry}`;
    first = false;
  }
  return out;
}

/** A block sequence whose context indentation is `indent`: `- ` items, their content at two more spaces. */
function seqText(items: readonly unknown[], indent: string): string {
  const inner = indent + "  ";
  let out = "";
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) throw new LeftToLibrary();
    const item = items[i];
    let text: string;
    if (typeof item === "object" && item !== null) {
      const empty = emptyText(item);
      if (empty !== undefined) text = empty;
      else if (Array.isArray(item)) text = seqText(item, inner);
      else if (isPlainObject(item)) text = mapText(item, inner);
      else throw new LeftToLibrary();
    } else {
      text = scalarText(item, inner, false);
    }
    out += i === 0 ? `- ${text}` : `\n${indent}- ${text}`;
  }
  return out;
}

/**
 * The YAML text of a manifest (a document ending with a newline), as `manifestYamlByLibrary` writes it.
 * Manifests are read by `kubectl` and the API server with go-yaml (YAML 1.1 rules: `on`, `off`, `yes`,
 * `no`, `y`, `n`, sexagesimal `1:30`, `0777` are not strings), so a string such as CloudNativePG's
 * `log_connections: "on"` written plain would arrive as a boolean and be rejected. Written under the 1.1
 * schema, every string 1.1 would read as something else is quoted; the text is also valid YAML 1.2 with
 * the same meaning (test/render/yaml-1.1.test.ts).
 */
export function manifestYaml(obj: unknown): string {
  if (isPlainObject(obj) && emptyText(obj) === undefined) {
    try {
      return `${mapText(obj, "")}\n`;
    } catch (err) {
      if (!(err instanceof LeftToLibrary)) throw err;
    }
  }
  return manifestYamlByLibrary(obj);
}
