import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mostSevere } from "../../src/report/sarif";

describe("SARIF result cut", () => {
  it("keeps what a stable sort by rank, cut at the limit and put back in order, keeps", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }), fc.integer({ min: 0, max: 220 }), (ranks, limit) => {
        const items = ranks.map((r, i) => ({ r, i }));
        const expected = items
          .slice()
          .sort((a, b) => a.r - b.r || a.i - b.i)
          .slice(0, limit)
          .sort((a, b) => a.i - b.i);
        expect(mostSevere(items, (x) => x.r, limit)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
