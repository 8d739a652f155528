/**
 * Writes `JSON.stringify(value, null, 2)` (or the compact `JSON.stringify(value)`) piece by piece, so
 * that a report with hundreds of thousands of findings is never one string in memory. The bytes are
 * those of `JSON.stringify` (checked by test/report/json-stream.test.ts): every value is stringified by
 * it, except the arrays and objects marked `streamed` / `streamedObject`, which are laid out here with
 * the same separators and indentation, element by element.
 */
const ARRAY = Symbol("streamed array");
const OBJECT = Symbol("streamed object");

export interface StreamedArray {
  readonly [ARRAY]: Iterable<unknown>;
}
export interface StreamedObject {
  readonly [OBJECT]: Iterable<readonly [string, unknown]>;
}

/** An array whose elements are produced, and written, one at a time. */
export function streamed(items: Iterable<unknown>): StreamedArray {
  return { [ARRAY]: items };
}

/** An object whose entries are produced, and written, one at a time (entries whose value is undefined are left out, as JSON.stringify does). */
export function streamedObject(entries: Iterable<readonly [string, unknown]>): StreamedObject {
  return { [OBJECT]: entries };
}

const isArray = (v: unknown): v is StreamedArray => typeof v === "object" && v !== null && ARRAY in v;
const isObject = (v: unknown): v is StreamedObject => typeof v === "object" && v !== null && OBJECT in v;

/**
 * Writes `value` as `JSON.stringify(value, null, pretty ? 2 : undefined)` would, `streamed` parts
 * included. Returns false (writing nothing) when JSON.stringify would give undefined.
 */
export function writeJsonValue(value: unknown, write: (chunk: string) => void, pretty = true, pad = ""): boolean {
  const nl = pretty ? "\n" : "";
  const inner = pretty ? `${pad}  ` : "";
  if (isArray(value)) {
    let empty = true;
    for (const item of value[ARRAY]) {
      write(empty ? `[${nl}${inner}` : `,${nl}${inner}`);
      empty = false;
      // Inside an array, values JSON.stringify leaves out become null.
      if (!writeJsonValue(item, write, pretty, inner)) write("null");
    }
    write(empty ? "[]" : `${nl}${pad}]`);
    return true;
  }
  if (isObject(value)) {
    let empty = true;
    for (const [key, item] of value[OBJECT]) {
      if (!isArray(item) && !isObject(item) && !stringifiable(item)) continue;
      write(`${empty ? "{" : ","}${nl}${inner}${JSON.stringify(key)}:${pretty ? " " : ""}`);
      empty = false;
      writeJsonValue(item, write, pretty, inner);
    }
    write(empty ? "{}" : `${nl}${pad}}`);
    return true;
  }
  if (!pretty || pad === "") {
    const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
    if (text === undefined) return false;
    write(text);
    return true;
  }
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return false;
  // Indented by JSON.stringify itself: the value wrapped in as many arrays as `pad` has levels, the
  // wrapping cut off (cheaper than re-indenting every line).
  const depth = pad.length / 2;
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  const [head, tail] = wrapping(depth);
  const inside = text.slice(head, text.length - tail);
  if (inside === "null" && JSON.stringify(value) === undefined) return false;
  write(inside);
  return true;
}

/**
 * Writes `value` twice in one walk: compact to `compact` (as `JSON.stringify(value)`) and pretty to `pretty`
 * (as `JSON.stringify(value, null, 2)`, laid out at indentation `pad`). Each streamed element is produced
 * once and written in both forms before the next, so a document that must be hashed in one form and
 * written in the other is never held in memory. Returns false (writing nothing) when JSON.stringify would
 * give undefined.
 */
export function writeJsonValueTwice(value: unknown, compact: (chunk: string) => void, pretty: (chunk: string) => void, pad = ""): boolean {
  const inner = `${pad}  `;
  if (isArray(value)) {
    let empty = true;
    for (const item of value[ARRAY]) {
      compact(empty ? "[" : ",");
      pretty(empty ? `[\n${inner}` : `,\n${inner}`);
      empty = false;
      if (!writeJsonValueTwice(item, compact, pretty, inner)) {
        compact("null");
        pretty("null");
      }
    }
    compact(empty ? "[]" : "]");
    pretty(empty ? "[]" : `\n${pad}]`);
    return true;
  }
  if (isObject(value)) {
    let empty = true;
    for (const [key, item] of value[OBJECT]) {
      if (!isArray(item) && !isObject(item) && !stringifiable(item)) continue;
      const name = JSON.stringify(key);
      compact(`${empty ? "{" : ","}${name}:`);
      pretty(`${empty ? "{" : ","}\n${inner}${name}: `);
      empty = false;
      writeJsonValueTwice(item, compact, pretty, inner);
    }
    compact(empty ? "{}" : "}");
    pretty(empty ? "{}" : `\n${pad}}`);
    return true;
  }
  const text = JSON.stringify(value);
  if (text === undefined) return false;
  compact(text);
  // A value without arrays or objects is written the same in both forms.
  if (typeof value !== "object" || value === null) pretty(text);
  else writeJsonValue(value, pretty, true, pad);
  return true;
}

/** Lengths of the text `JSON.stringify` puts before and after a value wrapped in `depth` arrays. */
const wrappings: [number, number][] = [];
function wrapping(depth: number): [number, number] {
  let w = wrappings[depth];
  if (!w) {
    let head = 0;
    let tail = 0;
    for (let k = 1; k <= depth; k++) {
      head += 2 + 2 * k; // "[\n" and the indentation of level k
      tail += 2 + 2 * (k - 1); // "\n", the indentation of level k - 1 and "]"
    }
    wrappings[depth] = w = [head, tail];
  }
  return w;
}

/** Whether JSON.stringify writes a value for this property (it leaves out undefined, functions and symbols). */
function stringifiable(v: unknown): boolean {
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return false;
  if (typeof v === "object" && v !== null && typeof (v as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(v) !== undefined;
  return true;
}

/** Writes the pretty-printed object whose entries are `entries`. */
export function writePrettyObject(entries: readonly (readonly [string, unknown])[], write: (chunk: string) => void): void {
  writeJsonValue(streamedObject(entries), write);
}
