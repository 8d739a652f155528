import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manifestYaml, manifestYamlByLibrary } from "../../src/render/manifest-yaml";

/**
 * The one-walk writer must give the library's bytes, document for document: what the speed work promised
 * (render output unchanged). Strings are drawn from an alphabet of YAML's indicators, quotes, spaces,
 * newlines, control and non-ASCII characters, and from values YAML 1.1 reads as other types.
 */
const TRICKY = ["on", "off", "On", "yes", "no", "y", "n", "Y", "N", "true", "False", "~", "null", "Null", "", "0777", "0x1F", "0b101", "1:30", "190:20:30", "1e3", "1_000", "2001-12-14", ".inf", "-.Inf", ".NaN", "12.5", "=", "<<", "-", "?", ":", "---", "...", "%x", "a: b", "a #b", "a#b", "a:", "a ", " a", "a\nb", "a\n", "a\n\n", "\na", " a\nb", "a\n  b\n", "a\t", "é", "\u0085", "\ud83d\ude00", "\ud800", "x".repeat(1100), "k8s.io/name", "registry.example/a/b:1.2@sha256:00", "https://h.example/p?q=1&r=2", "a, b", "[a]", "{a}", "a]", "'a'", '"a"', "a'b", "@a", "`a", "|", ">", "!a", "&a", "*a"];
const CHARS = ["a", "b", "Z", "0", "9", " ", " ", ":", "#", "-", "?", ".", ",", "'", '"', "\n", "\t", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "\\", "/", "=", "é", "\u0007", "\u00a0", "\u2028", "\ud83d\ude00"];

const str = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((cs) => cs.join("")),
  fc.string({ maxLength: 20 }),
);
const scalar = fc.oneof(str, fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: false }), fc.constant(-0));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(str, tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("manifest YAML written in one walk", () => {
  it("gives the library's bytes for arbitrary documents (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(str, json, { maxKeys: 6 }), (obj) => {
        expect(manifestYaml(obj)).toBe(manifestYamlByLibrary(obj));
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the library's bytes for every tricky string as a key and as a value, at several depths", () => {
    for (const s of TRICKY) {
      const docs = [
        { [s]: s },
        { a: { [s]: s, b: [s, { [s]: [s] }] } },
        { list: [s, [s, [s]], { k: s }] },
        { a: { b: { c: { d: s } } }, e: [[[[s]]]] },
      ];
      for (const doc of docs) expect(manifestYaml(doc), JSON.stringify(doc)).toBe(manifestYamlByLibrary(doc));
    }
  });

  it("leaves what is not plain JSON data to the library", () => {
    const cases: unknown[] = [{ a: undefined }, { a: [1, undefined] }, { a: 1.5 }, { a: -0 }, { a: new Date(0) }, { a: 2 ** 60 }, {}, [], "text"];
    for (const c of cases) expect(manifestYaml(c)).toBe(manifestYamlByLibrary(c));
  });

  it("writes a typical manifest's layout: nested maps, sequences under their key, empty collections, block scalars", () => {
    const obj = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "app", labels: { "app.kubernetes.io/name": "app" }, annotations: {} },
      spec: { template: { spec: { containers: [{ name: "app", args: ["--port", "8080"], env: [{ name: "ON", value: "on" }], ports: [] }], volumes: [] } } },
      data: { "config.yaml": "a: 1\nb: 2\n" },
    };
    expect(manifestYaml(obj)).toBe(
      [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: app",
        "  labels:",
        "    app.kubernetes.io/name: app",
        "  annotations: {}",
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        "        - name: app",
        "          args:",
        "            - --port",
        '            - "8080"',
        "          env:",
        "            - name: \"ON\"",
        '              value: "on"',
        "          ports: []",
        "      volumes: []",
        "data:",
        "  config.yaml: |",
        "    a: 1",
        "    b: 2",
        "",
      ].join("\n"),
    );
    expect(manifestYaml(obj)).toBe(manifestYamlByLibrary(obj));
  });
});
