/**
 * Writes `JSON.stringify(object, null, 2)` of an object piece by piece, so that a report with hundreds of
 * thousands of findings is never one string in memory. The bytes are those of `JSON.stringify` (checked
 * by test/report/json-stream.test.ts): values are stringified by it, only the top level and the
 * streamed arrays are laid out here.
 */
export type Chunked = { readonly stream: Iterable<unknown> };

const isChunked = (v: unknown): v is Chunked => typeof v === "object" && v !== null && "stream" in v && Object.getPrototypeOf(v) === null;

/** Writes the pretty-printed object whose entries are `entries` (a `streamed` value is an array written element by element). */
export function writePrettyObject(entries: readonly (readonly [string, unknown])[], write: (chunk: string) => void): void {
  let first = true;
  for (const [key, value] of entries) {
    const head = `${first ? "{\n" : ",\n"}  ${JSON.stringify(key)}: `;
    if (isChunked(value)) {
      write(head);
      first = false;
      let empty = true;
      for (const item of value.stream) {
        const text = JSON.stringify(item === undefined || typeof item === "function" ? null : item, null, 2) ?? "null";
        write(`${empty ? "[\n" : ",\n"}    ${indent(text, "    ")}`);
        empty = false;
      }
      write(empty ? "[]" : "\n  ]");
      continue;
    }
    const text = JSON.stringify(value, null, 2);
    if (text === undefined) continue; // JSON.stringify leaves out undefined values and functions
    write(head + indent(text, "  "));
    first = false;
  }
  write(first ? "{}" : "\n}");
}

const indent = (text: string, pad: string): string => (text.includes("\n") ? text.replace(/\n/g, `\n${pad}`) : text);

/**
 * Marks an array whose elements are produced (and stringified) one at a time. The marker has no
 * prototype, so no report value can be mistaken for one.
 */
export function streamed(items: Iterable<unknown>): Chunked {
  const c = Object.create(null) as { stream: Iterable<unknown> };
  c.stream = items;
  return c;
}
