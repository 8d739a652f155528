/**
 * The URN line index of a state file (src/audit/state-lines.ts), which SARIF uses to point at a resource:
 * right for pretty-printed and single-line states, first occurrence wins, references are not entries.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { urnLines } from "../../src/audit/state-lines";

const state = (resources: object[]) => ({ version: 3, deployment: { resources } });
const resources = [
  { urn: "urn:pulumi:s::p::a::one", type: "a" },
  { urn: "urn:pulumi:s::p::a::two", type: "a", parent: "urn:pulumi:s::p::a::one", dependencies: ["urn:pulumi:s::p::a::one"] },
  { urn: "urn:pulumi:s::p::a::th\"ree", type: "a" },
];

describe("urnLines", () => {
  it("gives the line of each resource's urn member in a pretty-printed state", () => {
    const text = JSON.stringify(state(resources), null, 2);
    const expected = new Map<string, number>();
    text.split("\n").forEach((line, i) => {
      const m = /^\s*"urn": (".*"),?$/.exec(line);
      if (m && !expected.has(JSON.parse(m[1]!) as string)) expected.set(JSON.parse(m[1]!) as string, i + 1);
    });
    expect(expected.size).toBe(3);
    expect(urnLines(text)).toEqual(expected);
  });

  it("puts every resource of a single-line state on line 1, and counts newlines inside the member", () => {
    expect([...urnLines(JSON.stringify(state(resources))).values()]).toEqual([1, 1, 1]);
    expect(urnLines('{"resources": [\n{"urn"\n:\n"u1"}, {"urn": "u2"},\n\n{"urn": "u1"}, {"urn": "u3"}]}')).toEqual(
      new Map([
        ["u1", 2],
        ["u2", 4],
        ["u3", 6],
      ]),
    );
  });

  it("finds what a global search of the member pattern finds, on any text", () => {
    // The reference: every match of the pattern, left to right, decoded by JSON.parse (skipped when it refuses).
    const reference = (text: string): Map<string, number> => {
      const lines = new Map<string, number>();
      for (const m of text.matchAll(/"urn"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
        let urn: string;
        try {
          urn = JSON.parse(`"${m[1]}"`) as string;
        } catch {
          continue;
        }
        if (!lines.has(urn)) lines.set(urn, text.slice(0, m.index).split("\n").length);
      }
      return lines;
    };
    const piece = fc.constantFrom('"urn"', '"urn": "', ":", " ", "\n", '"', "\\", "\\\"", "\\n", "\\u0041", "a", "b", "\u0001", '"urn":"a"', ",");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        expect(urnLines(text)).toEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("indexes a 20,000-resource single-line state (one scan for newlines, not one per resource)", () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({ urn: `urn:pulumi:s::p::a::r${i}`, type: "a" }));
    const lines = urnLines(`${JSON.stringify(state(many))}\n`);
    expect(lines.size).toBe(20_000);
    expect(lines.get("urn:pulumi:s::p::a::r19999")).toBe(1);
  });
});
