import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { streamed, writePrettyObject } from "../../src/report/json-stream";

// writePrettyObject must write exactly JSON.stringify(object, null, 2), whatever the values.

const json = fc.jsonValue({ maxDepth: 4 });

describe("streamed JSON", () => {
  it("writes the bytes of JSON.stringify(object, null, 2), streamed arrays included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.oneof(json, fc.constant(undefined)), fc.boolean()), { maxLength: 8 }),
        (entries) => {
          // Later duplicates of a key are dropped, as an object literal would keep only one; integer-like keys
          // are left out (an object lists them first, whatever their order; report keys are words).
          const seen = new Set<string>();
          const unique = entries.filter(([k]) => !seen.has(k) && (seen.add(k), true) && k !== "__proto__" && !/^(0|[1-9]\d*)$/.test(k));
          const expected: Record<string, unknown> = {};
          for (const [k, v] of unique) expected[k] = v;
          const chunks: string[] = [];
          writePrettyObject(
            unique.map(([k, v, stream]) => [k, stream && Array.isArray(v) ? streamed(v) : v] as const),
            (c) => chunks.push(c),
          );
          expect(chunks.join("")).toBe(JSON.stringify(expected, null, 2));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("writes an empty streamed array and an empty object as JSON.stringify does", () => {
    const out: string[] = [];
    writePrettyObject([["a", streamed([])]], (c) => out.push(c));
    expect(out.join("")).toBe(JSON.stringify({ a: [] }, null, 2));
    const none: string[] = [];
    writePrettyObject([], (c) => none.push(c));
    expect(none.join("")).toBe("{}");
  });
});
