import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parseAllDocuments, parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { manifestYaml } from "../../src/render/manifests";
import { manifestYamlByLibrary } from "../../src/render/manifest-yaml";
import { renderToTemp } from "../helpers/render";

/** Strings YAML 1.1 resolves to something else when written plain (booleans, null, numbers, sexagesimals, timestamps, merge). */
const TRICKY = ["on", "off", "On", "OFF", "yes", "no", "Yes", "NO", "y", "n", "Y", "N", "true", "false", "~", "null", "", "0777", "0x1F", "0b101", "1:30", "190:20:30", "1e3", "1_000", "2001-12-14", ".inf", "-.Inf", ".NaN", "12.5", "=", "<<"];

const read11 = (text: string) => parse(text, { version: "1.1" });
const read12 = (text: string) => parse(text, { version: "1.2" });

describe("manifest YAML: the same object under YAML 1.1 and 1.2", () => {
  it("keeps CloudNativePG's log_connections: \"on\" a string for go-yaml style (YAML 1.1) parsers", () => {
    const obj = { spec: { postgresql: { parameters: { log_connections: "on", log_disconnections: "on", ssl_min_protocol_version: "TLSv1.2" } } } };
    const text = manifestYaml(obj);
    expect(text).toContain('log_connections: "on"');
    expect(read11(text)).toEqual(obj);
    expect(read12(text)).toEqual(obj);
  });

  it("round-trips every tricky scalar as a key and a value, alone and in lists", () => {
    for (const s of TRICKY) {
      const obj = { [s || "empty"]: s, list: [s, 1, true, null] };
      const text = manifestYaml(obj);
      expect(read11(text), `${JSON.stringify(s)} under 1.1:\n${text}`).toEqual(obj);
      expect(read12(text), `${JSON.stringify(s)} under 1.2:\n${text}`).toEqual(obj);
    }
  });

  it("round-trips arbitrary JSON objects under both versions (property)", () => {
    const scalar = fc.oneof(fc.constantFrom(...TRICKY), fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.constantFrom(...TRICKY.filter(Boolean)), fc.string({ minLength: 1 })), tie("value"), { maxKeys: 4 })),
    })).value;
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), json, { maxKeys: 5 }), (obj) => {
        const text = manifestYaml(obj);
        expect(read11(text)).toEqual(obj);
        expect(read12(text)).toEqual(obj);
      }),
      { numRuns: 300 },
    );
  });
});

describe("socle render demo: every manifest reads the same under YAML 1.1 and 1.2", () => {
  let files: string[] = [];
  beforeAll(async () => {
    const result = await renderToTemp("demo");
    const dir = join(result.outDir, "manifests");
    files = readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8"));
  });

  it("has no document whose YAML 1.1 reading differs from its YAML 1.2 reading", () => {
    let docs = 0;
    for (const text of files) {
      const v11 = parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJS());
      const v12 = parseAllDocuments(text, { version: "1.2" }).map((d) => d.toJS());
      expect(v11).toEqual(v12);
      docs += v12.length;
    }
    expect(docs).toBeGreaterThan(100);
    expect(files.join("\n")).toContain('log_connections: "on"');
  });

  it("has every document as the yaml library's own writer gives it (the one-walk writer changes no byte)", () => {
    let docs = 0;
    for (const text of files) {
      // The file: a comment line, then `---` before each document.
      const parts = text.slice(text.indexOf("\n") + 1).split(/^---\n/m).slice(1);
      for (const part of parts) {
        expect(manifestYamlByLibrary(parse(part, { version: "1.1" }))).toBe(part);
        docs++;
      }
    }
    expect(docs).toBeGreaterThan(100);
  });
});
