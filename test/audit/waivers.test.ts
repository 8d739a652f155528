import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/audit/errors";
import { WaiverMatcher, checkWaiverControls, isExpired, loadWaivers } from "../../src/audit/waivers";
import { tempFiles } from "./helpers";

function waiverError(text: string): InputError {
  const dir = tempFiles({ "waivers.yaml": text });
  try {
    loadWaivers(join(dir, "waivers.yaml"));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error("expected an InputError");
}

const GOOD = `# Waivers of the demo stack.
- control: test-workload-non-root
  resource:
    kind: Deployment
    namespace: wiki
    name: xwiki
  justification: Upstream image needs root until 17.1; tracked in TICKET-1.
  approver: RSSI
  expires: 2025-12-31
- control: test-service-declared-lb
  resource: { urn: "urn:pulumi:demo::socle::*::rogue" }
  justification: Temporary public endpoint for the migration.
  approver: RSSI
  expires: "2025-01-31"
`;

describe("waiver file", () => {
  it("loads waivers with their source line; dates stay strings", () => {
    const dir = tempFiles({ "waivers.yaml": GOOD });
    const waivers = loadWaivers(join(dir, "waivers.yaml"));
    expect(waivers).toHaveLength(2);
    expect(waivers[0]).toMatchObject({ control: "test-workload-non-root", resource: { kind: "Deployment", namespace: "wiki", name: "xwiki" }, expires: "2025-12-31", line: 2 });
    expect(waivers[0]!.source).toMatch(/waivers\.yaml:2$/);
    expect(waivers[1]!.line).toBe(10);
  });

  it("reads the demo stack's waiver file: every waiver justified, approved and dated", () => {
    const waivers = loadWaivers(join(__dirname, "..", "..", "waivers", "demo.yaml"));
    expect(waivers.length).toBeGreaterThan(0);
    for (const w of waivers) {
      expect(w.justification.length, w.control).toBeGreaterThan(40);
      expect(w.approver, w.control).toBeTruthy();
      expect(w.expires, w.control).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("accepts an empty list and an empty file", () => {
    const dir = tempFiles({ "a.yaml": "[]\n", "b.yaml": "# nothing yet\n" });
    expect(loadWaivers(join(dir, "a.yaml"))).toEqual([]);
    expect(loadWaivers(join(dir, "b.yaml"))).toEqual([]);
  });

  it("names the missing field and its position", () => {
    const e = waiverError(GOOD.replace("  approver: RSSI\n  expires: 2025-12-31\n", "  expires: 2025-12-31\n"));
    expect(e.message).toMatch(/waivers\.yaml:2:3: \[0\]\.approver is missing$/);
  });

  it("rejects an impossible date at the date's position", () => {
    const e = waiverError(GOOD.replace("2025-12-31", "2025-02-30"));
    expect(e.message).toMatch(/waivers\.yaml:9:12: \[0\]\.expires is not a calendar date$/);
  });

  it("rejects a date in another format", () => {
    expect(waiverError(GOOD.replace("2025-12-31", "31/12/2025")).message).toMatch(/:9:12: \[0\]\.expires must be a date written YYYY-MM-DD$/);
  });

  it("rejects unknown keys, listing the allowed ones", () => {
    const e = waiverError(GOOD.replace("    name: xwiki\n", "    name: xwiki\n    label: x\n"));
    expect(e.message).toMatch(/waivers\.yaml:4:5: \[0\]\.resource has unknown key\(s\) label: allowed are/);
  });

  it("rejects an empty selector", () => {
    const e = waiverError("- control: c\n  resource: {}\n  justification: j\n  approver: a\n  expires: 2025-01-01\n");
    expect(e.message).toMatch(/:2:13: \[0\]\.resource must name at least one of urn, kind, namespace, name, file/);
  });

  it("rejects a file that is not a list", () => {
    expect(waiverError("control: c\n").message).toMatch(/waivers\.yaml:1:1: must be a YAML list of waivers/);
  });

  it("reports YAML syntax errors with line and column", () => {
    expect(waiverError("- control: [c\n  approver: a\n").message).toMatch(/waivers\.yaml:\d+:\d+: is not valid YAML: /);
  });

  it("rejects a waiver naming a control that does not exist", () => {
    const dir = tempFiles({ "waivers.yaml": GOOD });
    const waivers = loadWaivers(join(dir, "waivers.yaml"));
    expect(() => checkWaiverControls(waivers, new Set(["test-workload-non-root"]), join(dir, "waivers.yaml"))).toThrow(
      /waivers\.yaml:10: control "test-service-declared-lb" is not in the catalog; known controls: test-workload-non-root/,
    );
  });
});

describe("waiver matching", () => {
  const dir = tempFiles({ "waivers.yaml": GOOD });
  const matcher = new WaiverMatcher(loadWaivers(join(dir, "waivers.yaml")));

  it("matches every given selector field, globs on URNs", () => {
    expect(matcher.match("test-workload-non-root", { kind: "Deployment", namespace: "wiki", name: "xwiki" })).toHaveLength(1);
    expect(matcher.match("test-workload-non-root", { kind: "Deployment", namespace: "other", name: "xwiki" })).toHaveLength(0);
    expect(matcher.match("test-workload-non-root", { kind: "Deployment", name: "xwiki" })).toHaveLength(0);
    expect(matcher.match("test-service-declared-lb", { urn: "urn:pulumi:demo::socle::kubernetes:core/v1:Service::rogue" })).toHaveLength(1);
    expect(matcher.match("test-service-declared-lb", { urn: "urn:pulumi:prod::socle::kubernetes:core/v1:Service::rogue" })).toHaveLength(0);
    expect(matcher.match("other-control", { kind: "Deployment", namespace: "wiki", name: "xwiki" })).toHaveLength(0);
  });

  it("matches a file selector with or without the document number", () => {
    const m = new WaiverMatcher([{ control: "c", resource: { file: "out/*/wiki.yaml" }, justification: "j", approver: "a", expires: "2030-01-01", source: "w:1", line: 1 }]);
    expect(m.match("c", { file: "out/demo/wiki.yaml#2" })).toHaveLength(1);
    const n = new WaiverMatcher([{ control: "c", resource: { file: "wiki.yaml#1" }, justification: "j", approver: "a", expires: "2030-01-01", source: "w:1", line: 1 }]);
    expect(n.match("c", { file: "wiki.yaml#1" })).toHaveLength(1);
    expect(n.match("c", { file: "wiki.yaml#2" })).toHaveLength(0);
  });

  it("treats a waiver as valid through its expiry day", () => {
    expect(isExpired({ expires: "2025-06-01" }, "2025-06-01")).toBe(false);
    expect(isExpired({ expires: "2025-06-01" }, "2025-06-02")).toBe(true);
  });
});
