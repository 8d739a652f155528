import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { exitCodeFor, runAuditCommand, type AuditCommandOptions } from "../../src/audit/command";
import { InputError } from "../../src/audit/errors";
import { REPORT_FILE_NAMES } from "../../src/report/formats";
import { writeReports } from "../../src/report/write";
import { stateReport as fixtureReport } from "../report/fixture";
import { TEST_CONTROLS, nonRootControl } from "./fixtures/controls";
import { CIPHER_CANARY, SECRET_CANARY, stateExport } from "./fixtures/state";
import { FIXTURES, tempFiles } from "./helpers";

const ALL = ["md,html,json,sarif,junit,oscal"];

/** A report whose finding names a control the report does not list: the SARIF renderer throws on it. */
async function reportWithUnknownControl() {
  const report = await fixtureReport();
  return { ...report, findings: [...report.findings, { ...report.findings[0]!, controlId: "zz-unknown" }] };
}

function options(dir: string, extra: Partial<AuditCommandOptions> = {}): AuditCommandOptions {
  return { input: join(dir, "state.json"), formats: ALL, outDir: join(dir, "out"), today: "2025-06-01", controls: TEST_CONTROLS, log: () => {}, ...extra };
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  expect(exitCodeFor(e)).toBe(2);
  return e as InputError;
}

describe("runAuditCommand", () => {
  it("writes the six reports and returns 1 on a mandatory failure", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    const lines: string[] = [];
    const code = await runAuditCommand(options(dir, { log: (l) => lines.push(l) }));
    expect(code).toBe(1);
    expect(readdirSync(join(dir, "out")).filter((f) => f !== ".socle-output.json").sort()).toEqual(Object.values(REPORT_FILE_NAMES).sort());
    // The failure table, then the summary.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^CONTROL\s+SEVERITY\s+RESOURCE\s+PATH\s+FIX\n/);
    expect(lines[1]).toMatch(/^socle audit: 9 resources, 3 controls: 2 pass, 4 fail \(3 mandatory\), 0 waived, 1 not applicable; 0 control\(s\) not assessed\. Reports: .*\. Result: FAIL, 3 failure\(s\) count under --fail-on mandatory\.$/);
  });

  it("returns 0 when no mandatory control fails, waivers included", async () => {
    const dir = tempFiles({
      "state.json": stateExport(),
      "waivers.yaml": "- control: test-workload-non-root\n  resource: { name: xwiki }\n  justification: j\n  approver: a\n  expires: 2025-06-01\n",
    });
    expect(await runAuditCommand(options(dir, { controls: [nonRootControl], waiversFile: join(dir, "waivers.yaml") }))).toBe(0);
    // The day after the expiry, the waiver no longer waives: exit 1.
    expect(await runAuditCommand(options(dir, { controls: [nonRootControl], waiversFile: join(dir, "waivers.yaml"), today: "2025-06-02" }))).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8"));
    expect(report.expiredWaivers).toHaveLength(1);
    expect(report.findings.filter((f: { expiredWaiver?: unknown }) => f.expiredWaiver)).toHaveLength(2);
  });

  it("is deterministic: two runs write the same bytes", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    const waiversFile = join(FIXTURES, "waivers.yaml");
    await runAuditCommand(options(dir, { outDir: join(dir, "a"), waiversFile }));
    await runAuditCommand(options(dir, { outDir: join(dir, "b"), waiversFile }));
    for (const name of Object.values(REPORT_FILE_NAMES)) {
      expect(readFileSync(join(dir, "b", name)).equals(readFileSync(join(dir, "a", name))), name).toBe(true);
    }
  });

  it("never writes a secret value into any report", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    await runAuditCommand(options(dir));
    for (const name of Object.values(REPORT_FILE_NAMES)) {
      const text = readFileSync(join(dir, "out", name), "utf8");
      expect(text).not.toContain(SECRET_CANARY);
      expect(text).not.toContain(CIPHER_CANARY);
    }
  });

  it("writes only the formats asked for, given as repeated or comma-separated values", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    await runAuditCommand(options(dir, { formats: ["json", "sarif,md"] }));
    expect(readdirSync(join(dir, "out")).filter((f) => f !== ".socle-output.json").sort()).toEqual(["report.json", "report.md", "report.sarif"]);
  });

  it("audits a manifests folder", async () => {
    const dir = tempFiles();
    const code = await runAuditCommand({ ...options(dir), input: join(FIXTURES, "manifests") });
    expect(code).toBe(1); // wiki/xwiki is an undeclared LoadBalancer and runs as root
    const report = JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8"));
    expect(report.input.kind).toBe("manifests");
    expect(report.context.hasStackMetadata).toBe(false);
  });

  it("renders a stack given by name, then audits its state", async () => {
    const dir = tempFiles({ "stacks/Pulumi.demo.yaml": "config: {}\n", "rendered/state.json": stateExport() });
    const renderStack = vi.fn(async () => join(dir, "rendered", "state.json"));
    expect(await runAuditCommand({ ...options(dir), input: "demo", projectDir: dir, renderStack })).toBe(1);
    expect(renderStack).toHaveBeenCalledOnce();
    expect(JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8")).stack.name).toBe("demo");
  });
});

describe("runAuditCommand on bad input: InputError (exit 2), nothing written", () => {
  it("rejects an unknown format, listing the allowed ones", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    const e = await rejection(runAuditCommand(options(dir, { formats: ["md,pdf"] })));
    expect(e.message).toBe('unknown report format "pdf": allowed formats are md, html, json, sarif, junit, oscal (comma-separated, e.g. --format md,sarif)');
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("rejects a malformed state file with its position", async () => {
    const dir = tempFiles({ "state.json": '{"version": 3, "deployment": {"resources": [}' });
    const e = await rejection(runAuditCommand(options(dir)));
    expect(e.message).toMatch(/state\.json:1:45: is not valid JSON/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("rejects a bad waiver file with its position", async () => {
    const dir = tempFiles({ "state.json": stateExport(), "w.yaml": "- control: test-workload-non-root\n  resource: {name: x}\n  justification: j\n  approver: a\n  expires: tomorrow\n" });
    const e = await rejection(runAuditCommand(options(dir, { waiversFile: join(dir, "w.yaml") })));
    expect(e.message).toMatch(/w\.yaml:5:12: \[0\]\.expires must be a date written YYYY-MM-DD$/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("rejects a waiver for an unknown control", async () => {
    const dir = tempFiles({ "state.json": stateExport(), "w.yaml": "- control: no-such-control\n  resource: {name: x}\n  justification: j\n  approver: a\n  expires: 2030-01-01\n" });
    const e = await rejection(runAuditCommand(options(dir, { waiversFile: join(dir, "w.yaml") })));
    expect(e.message).toMatch(/w\.yaml:1: control "no-such-control" is not in the catalog; known controls: test-provider-region, test-service-declared-lb, test-workload-non-root$/);
  });

  it("rejects a bad --today and a bad minimum retention", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    expect((await rejection(runAuditCommand(options(dir, { today: "2025-13-01" })))).message).toBe('--today must be a date written YYYY-MM-DD, got "2025-13-01"');
    expect((await rejection(runAuditCommand(options(dir, { minLogRetentionDays: 0 })))).message).toMatch(/--min-log-retention-days must be a positive whole number/);
  });

  it("writes nothing when a format fails to render", async () => {
    const dir = tempFiles();
    const broken = await reportWithUnknownControl();
    expect(() => writeReports(broken, ["md", "json", "sarif"], join(dir, "out"))).toThrow();
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("restores the previous reports when moving the new ones in place fails", async () => {
    const dir = tempFiles({ "out/report.md": "previous report\n", "out/report.json/blocker": "a folder where a file must go" });
    const report = await fixtureReport();
    expect(() => writeReports(report, ["md", "json"], join(dir, "out"))).toThrow();
    expect(readFileSync(join(dir, "out", "report.md"), "utf8")).toBe("previous report\n");
    expect(readdirSync(join(dir, "out")).filter((f) => f !== ".socle-output.json").sort()).toEqual(["report.json", "report.md"]);
  });

  it("reports other errors as bugs (exit 3), not as bad input", () => {
    expect(exitCodeFor(new Error("x"))).toBe(3);
  });
});
