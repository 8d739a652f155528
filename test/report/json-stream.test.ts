import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { streamed, streamedObject, writeJsonValue, writeJsonValueTwice, writePrettyObject } from "../../src/report/json-stream";

// The streamed writer must write exactly what JSON.stringify writes, pretty (indent 2) and compact,
// whichever arrays and objects of the value are streamed.

/** The value with some of its arrays and objects (chosen by `pick`) streamed; a container holding a streamed part is streamed too. */
function streamify(value: unknown, pick: () => boolean, once = false): { value: unknown; streams: boolean } {
  // `once`: streamed parts are generators, which can be read only once.
  const seq = <T,>(items: T[]): Iterable<T> => (once ? (function* () { yield* items; })() : items);
  if (Array.isArray(value)) {
    const items = value.map((v) => streamify(v, pick, once));
    return items.some((x) => x.streams) || pick() ? { value: streamed(seq(items.map((x) => x.value))), streams: true } : { value, streams: false };
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, streamify(v, pick, once)] as const);
    return entries.some(([, x]) => x.streams) || pick()
      ? { value: streamedObject(seq(entries.map(([k, x]) => [k, x.value] as const))), streams: true }
      : { value, streams: false };
  }
  return { value, streams: false };
}

function written(value: unknown, pretty: boolean): string {
  const chunks: string[] = [];
  writeJsonValue(value, (c) => chunks.push(c), pretty);
  return chunks.join("");
}

const withUndefined = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constant(undefined),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("streamed JSON", () => {
  it("writes the bytes of JSON.stringify, pretty and compact, whatever is streamed", () => {
    fc.assert(
      fc.property(withUndefined, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), (value, choices) => {
        fc.pre(value !== undefined);
        let i = 0;
        const pick = () => choices[i++ % choices.length]!;
        const top = streamify(value, pick).value;
        expect(written(top, true)).toBe(JSON.stringify(value, null, 2));
        expect(written(top, false)).toBe(JSON.stringify(value));
        // Both forms in one walk: each streamed element produced once (a generator can be read once only).
        const [compact, pretty] = [[] as string[], [] as string[]];
        writeJsonValueTwice(streamify(value, pick, true).value, (c) => compact.push(c), (c) => pretty.push(c));
        expect(compact.join("")).toBe(JSON.stringify(value));
        expect(pretty.join("")).toBe(JSON.stringify(value, null, 2));
        // At an indentation, as inside a document written around it.
        const nested: string[] = [];
        writeJsonValueTwice(streamify(value, pick, true).value, () => {}, (c) => nested.push(c), "    ");
        expect(`[[${nested.join("")}]]`).toBe(JSON.stringify([[value]], null, 2).replace(/^\[\n  \[\n    /, "[[").replace(/\n  \]\n\]$/, "]]"));
      }),
      { numRuns: 1000 },
    );
  });

  it("writes an empty streamed array and an empty object as JSON.stringify does", () => {
    const out: string[] = [];
    writePrettyObject([["a", streamed([])], ["b", undefined]], (c) => out.push(c));
    expect(out.join("")).toBe(JSON.stringify({ a: [], b: undefined }, null, 2));
    expect(written(streamedObject([]), true)).toBe("{}");
    expect(written(streamed([undefined, () => 1]), false)).toBe("[null,null]");
  });
});
