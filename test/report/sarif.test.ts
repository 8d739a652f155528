import { spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv4 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { GITHUB_SARIF_LIMITS, renderSarif } from "../../src/report/sarif";
import { tempFiles } from "../audit/helpers";
import { manifestReport, stateReport } from "./fixture";

const SCHEMA = "/work/shared/schemas/sarif/sarif-schema-2.1.0.json";
const MULTITOOL = join(__dirname, "../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");

interface SarifLog {
  runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string } }[] } }; results: Record<string, any>[] }[];
}

let stateSarif: string;
let manifestSarif: string;
let stateWithPasses: string;
beforeAll(async () => {
  stateSarif = renderSarif(await stateReport());
  manifestSarif = renderSarif(await manifestReport());
  stateWithPasses = renderSarif({ ...(await stateReport()), includePasses: true });
});

/** Runs `Sarif.Multitool validate`; it exits 0 even on errors, so the verdict is read from its own SARIF log. */
function multitool(files: string[]): { ruleId: string; level?: string; message: { text: string } }[] {
  try {
    accessSync(MULTITOOL, constants.X_OK);
  } catch {
    chmodSync(MULTITOOL, 0o755); // npm does not run the package's install script here
  }
  const dir = tempFiles();
  const out = join(dir, "validation.sarif");
  const run = spawnSync(MULTITOOL, ["validate", ...files, "--output", out, "--quiet"], {
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status, run.stderr + run.stdout).toBe(0);
  const log = JSON.parse(readFileSync(out, "utf8")) as { runs: { results?: { ruleId: string; level?: string; message: { text: string } }[] }[] };
  return log.runs.flatMap((r) => r.results ?? []);
}

describe("report.sarif", () => {
  it("validates against the OASIS SARIF 2.1.0 schema (draft-04)", () => {
    const ajv = new Ajv4({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));
    for (const text of [stateSarif, manifestSarif, stateWithPasses]) {
      validate(JSON.parse(text));
      expect(validate.errors ?? []).toEqual([]);
    }
  });

  it("has no error under the Microsoft SARIF Multitool, which does catch a broken log", () => {
    const dir = tempFiles({ "state.sarif": stateSarif, "manifests.sarif": manifestSarif, "passes.sarif": stateWithPasses });
    const broken = JSON.parse(stateSarif);
    broken.runs[0].results[0].ruleIndex = 99;
    writeFileSync(join(dir, "broken.sarif"), JSON.stringify(broken));

    const good = multitool([join(dir, "state.sarif"), join(dir, "manifests.sarif"), join(dir, "passes.sarif")]);
    expect(good.filter((r) => r.level === "error")).toEqual([]);
    // The only remark left: the tool has no public informationUri to point to.
    expect([...new Set(good.map((r) => r.ruleId))]).toEqual(["SARIF2005"]);

    const bad = multitool([join(dir, "broken.sarif")]);
    expect(bad.filter((r) => r.level === "error").map((r) => r.ruleId)).toContain("SARIF1009");
  }, 60_000);

  it("lists passing and not-applicable checks only with --include-passes", () => {
    const kinds = (text: string) => (JSON.parse(text) as SarifLog).runs[0]!.results.map((r) => r.kind as string);
    expect(new Set(kinds(stateSarif))).toEqual(new Set(["fail"]));
    expect(kinds(stateWithPasses).filter((k) => k === "pass")).toHaveLength(2);
  });

  it("makes one rule per control, bilingual, and results by kind and level", () => {
    const log = JSON.parse(stateWithPasses) as SarifLog;
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["test-provider-region", "test-service-declared-lb", "test-workload-non-root"]);
    expect(run.tool.driver.rules[2]!.shortDescription.text).toBe("Containers do not run as root / Les conteneurs ne tournent pas en root");
    const byKind = (kind: string) => run.results.filter((r) => r.kind === kind);
    expect(byKind("pass")).toHaveLength(2);
    expect(byKind("pass").every((r) => r.level === "none")).toBe(true);
    expect(byKind("notApplicable")).toHaveLength(1);
    const region = run.results.find((r) => r.ruleId === "test-provider-region" && r.kind === "fail")!;
    expect(region.level).toBe("note"); // advisory, low severity
    const rogue = run.results.find((r) => r.ruleId === "test-service-declared-lb" && r.kind === "fail")!;
    expect(rogue.level).toBe("error");
    expect(rogue.suppressions).toBeUndefined();
    expect(rogue.message.text).toContain("expired on 2025-01-31");
    expect(rogue.locations[0].logicalLocations[0]).toEqual({ name: "rogue", fullyQualifiedName: "urn:pulumi:demo::socle::kubernetes:core/v1:Service::rogue", kind: "resource" });
  });

  it("marks waived findings as accepted external suppressions with the justification", () => {
    const run = (JSON.parse(stateSarif) as SarifLog).runs[0]!;
    const waived = run.results.filter((r) => r.suppressions);
    expect(waived).toHaveLength(2);
    expect(waived[0]!.suppressions[0]).toMatchObject({ kind: "external", status: "accepted" });
    expect(waived[0]!.suppressions[0].justification).toContain("Upstream image needs root <until 17.1> & tracked in TICKET-1");
    expect(run.results.filter((r) => r.kind === "fail" && !r.suppressions)).toHaveLength(2);
  });

  it("gives every result of a state input a physical location: the state file and the line of the resource's URN", async () => {
    const dir = tempFiles({ "state.json": (await import("../audit/fixtures/state")).stateExport() });
    const text = readFileSync(join(dir, "state.json"), "utf8").split("\n");
    const run = (JSON.parse(stateWithPasses) as SarifLog).runs[0]!;
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toBe("out/demo/state.json");
      const urn = r.locations[0].logicalLocations[0].fullyQualifiedName as string;
      expect(text[loc.region.startLine - 1]).toContain(JSON.stringify(urn));
    }
  });

  it("carries GitHub's fingerprints and security-severity, within its per-rule limits", () => {
    const run = (JSON.parse(stateWithPasses) as SarifLog).runs[0]!;
    const prints = run.results.map((r) => r.partialFingerprints["socleFinding/v1"] as string);
    expect(prints.every((p) => /^[0-9a-f]{32}$/.test(p))).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
    expect((JSON.parse(stateWithPasses) as SarifLog).runs[0]!.results.map((r) => r.partialFingerprints)).toEqual(run.results.map((r) => r.partialFingerprints));
    const band: Record<string, [number, number]> = { critical: [9.0, 10], high: [7.0, 8.9], medium: [4.0, 6.9], low: [0.1, 3.9] };
    for (const rule of run.tool.driver.rules as unknown as { properties: Record<string, any> }[]) {
      const score = Number(rule.properties["security-severity"]);
      const [lo, hi] = band[rule.properties.severity as string]!;
      expect(score).toBeGreaterThanOrEqual(lo);
      expect(score).toBeLessThanOrEqual(hi);
      expect(rule.properties.tags).toContain("security");
      expect(rule.properties.tags.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.tagsPerRule);
    }
  });

  it("reports a control that assessed nothing as a notification, never as a pass", async () => {
    const report = await stateReport();
    const target = report.controls[0]!;
    const changed = { ...report, controls: report.controls.map((c) => (c === target ? { ...c, status: "notAssessed" as const, notAssessedReason: "no resource" } : c)) };
    const run = JSON.parse(renderSarif(changed)).runs[0];
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      expect.objectContaining({ associatedRule: { id: target.meta.id, index: 0 }, message: { text: expect.stringContaining("not assessed: no resource") } }),
    ]);
    expect(run.properties.notAssessed).toEqual([target.meta.id]);
  });

  it("locates manifest findings in their file and line", () => {
    const run = (JSON.parse(manifestSarif) as SarifLog).runs[0]!;
    const svc = run.results.find((r) => r.ruleId === "test-service-declared-lb" && r.kind === "fail")!;
    const loc = svc.locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe("test/audit/fixtures/manifests/apps/wiki.yaml");
    expect(loc.region).toEqual({ startLine: 15 });
  });

  it("writes absolute manifest paths as file: URIs", async () => {
    const run = (JSON.parse(renderSarif(await manifestReport(true))) as SarifLog).runs[0]!;
    const uri = run.results.find((r) => r.locations[0].physicalLocation)!.locations[0].physicalLocation.artifactLocation.uri as string;
    expect(uri).toMatch(/^file:\/\/\/.*\/test\/audit\/fixtures\/manifests\/apps\/wiki\.yaml$/);
  });
});
