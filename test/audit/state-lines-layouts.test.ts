import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { urnLines } from "../../src/audit/state-lines";

/** The line of each resource's own `"urn"` member, found by splitting the text (the slow, obvious way). */
function expected(text: string): Map<string, number> {
  const out = new Map<string, number>();
  text.split("\n").forEach((lineText, i) => {
    for (const m of lineText.matchAll(/"urn"\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
      const urn = JSON.parse(`"${m[1]}"`) as string;
      if (!out.has(urn)) out.set(urn, i + 1);
    }
  });
  return out;
}

const state = (urns: readonly string[]) => ({
  version: 3,
  deployment: { resources: urns.map((urn, i) => ({ urn, type: "kubernetes:core/v1:ConfigMap", ...(i > 0 ? { parent: urns[0] } : {}) })) },
});

describe("urnLines", () => {
  it("puts every URN of a compact (one-line) state on line 1", () => {
    const urns = Array.from({ length: 2_000 }, (_, i) => `urn:pulumi:s::p::kubernetes:core/v1:ConfigMap::cm-${i}`);
    const lines = urnLines(JSON.stringify(state(urns)));
    expect(lines.size).toBe(urns.length);
    expect([...new Set(lines.values())]).toEqual([1]);
  });

  it("gives each URN of a pretty state, or of any layout, the line its own member is on", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 30 }), fc.constantFrom(undefined, 1, 2, "\t"), (names, indent) => {
        const text = JSON.stringify(state(names.map((n) => `urn:pulumi:s::p::t::${n}`)), null, indent);
        expect(urnLines(text)).toEqual(expected(text));
      }),
    );
  });
});
