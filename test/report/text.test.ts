import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml, escapeXml } from "../../src/report/text";

describe("escaping", () => {
  it("escapeXml drops what XML 1.0 cannot carry and escapes markup, with or without its fast path", () => {
    const reference = (s: string) => escapeHtml(s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ""));
    const odd = fc.constantFrom("\u0000", "\u0008", "\u000B", "\u001F", "\uD800", "\uDFFF", "\uD83D\uDE00", "\uFFFE", "\uFFFF", "\t", "\n", "\r", "&", "<", '"', "'", "é");
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) }), odd), { maxLength: 8 }), (parts) => {
        const s = parts.join("");
        expect(escapeXml(s)).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
  });

  it("escapeHtml escapes the five markup characters and leaves other text as it is", () => {
    expect(escapeHtml(`a<b>&"c'`)).toBe("a&lt;b&gt;&amp;&quot;c&#39;");
    expect(escapeHtml("plain é text")).toBe("plain é text");
  });
});
