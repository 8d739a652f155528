import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byteSink } from "../../src/report/sink";

describe("byteSink", () => {
  it("hands over the UTF-8 bytes of the chunks, in order, whatever their sizes against the buffer's", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 40 }), { maxLength: 60 }), fc.integer({ min: 1, max: 64 }), (chunks, size) => {
        const out: Buffer[] = [];
        const sink = byteSink((bytes) => out.push(Buffer.from(bytes)), size);
        for (const c of chunks) sink.write(c);
        sink.end();
        expect(Buffer.concat(out).equals(Buffer.from(chunks.join(""), "utf8"))).toBe(true);
        for (const b of out) expect(b.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
