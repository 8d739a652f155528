import { spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv4 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { renderSarif } from "../../src/report/sarif";
import { tempFiles } from "../audit/helpers";
import { manifestReport, stateReport } from "./fixture";

const SCHEMA = "/work/shared/schemas/sarif/sarif-schema-2.1.0.json";
const MULTITOOL = join(__dirname, "../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");

interface SarifLog {
  runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string }; fullDescription: { text: string } }[] } }; results: Record<string, any>[] }[];
}

let stateSarif: string;
let manifestSarif: string;
beforeAll(async () => {
  stateSarif = renderSarif(await stateReport());
  manifestSarif = renderSarif(await manifestReport());
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
    for (const text of [stateSarif, manifestSarif]) {
      validate(JSON.parse(text));
      expect(validate.errors ?? []).toEqual([]);
    }
  });

  it("has no error under the Microsoft SARIF Multitool, which does catch a broken log", () => {
    const dir = tempFiles({ "state.sarif": stateSarif, "manifests.sarif": manifestSarif });
    const broken = JSON.parse(stateSarif);
    broken.runs[0].results[0].ruleIndex = 99;
    writeFileSync(join(dir, "broken.sarif"), JSON.stringify(broken));

    const good = multitool([join(dir, "state.sarif"), join(dir, "manifests.sarif")]);
    expect(good.filter((r) => r.level === "error")).toEqual([]);
    // The only remark left: the tool has no public informationUri to point to.
    expect([...new Set(good.map((r) => r.ruleId))]).toEqual(["SARIF2005"]);

    const bad = multitool([join(dir, "broken.sarif")]);
    expect(bad.filter((r) => r.level === "error").map((r) => r.ruleId)).toContain("SARIF1009");
  }, 60_000);

  it("makes one rule per control, bilingual, and results by kind and level", () => {
    const log = JSON.parse(stateSarif) as SarifLog;
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
