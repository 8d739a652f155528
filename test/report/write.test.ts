import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditReport } from "../../src/audit/model";
import { REPORT_FILE_NAMES, REPORT_FORMATS } from "../../src/report/formats";
import { renderReport, writeReports } from "../../src/report/write";
import { tempFiles } from "../audit/helpers";
import { manifestReport, stateReport } from "./fixture";

// Every format is streamed into its file: the file must hold the bytes its renderer gives, whether the
// report is small or spans many write batches (about 1 MiB each), and OSCAL's UUID must be in place.
describe("writeReports", () => {
  it("writes, for every format, the bytes renderReport gives", async () => {
    const small = await stateReport();
    // Each finding repeated (the report's order kept): several MiB per format, so several batches.
    const large: AuditReport = { ...small, findings: small.findings.flatMap((f) => Array.from({ length: 1_500 }, () => f)), includePasses: true };
    for (const report of [small, await manifestReport(), large]) {
      const dir = join(tempFiles(), "out");
      writeReports(report, REPORT_FORMATS, dir);
      for (const format of REPORT_FORMATS) {
        const written = readFileSync(join(dir, REPORT_FILE_NAMES[format]), "utf8");
        expect(written, format).toBe(renderReport(report, format));
      }
      if (report === large) expect(readFileSync(join(dir, REPORT_FILE_NAMES.html)).length).toBeGreaterThan(2 << 20);
    }
  }, 60_000);

  it("puts OSCAL's document UUID over the placeholder", async () => {
    const dir = join(tempFiles(), "out");
    writeReports(await stateReport(), ["oscal"], dir);
    const uuid = JSON.parse(readFileSync(join(dir, REPORT_FILE_NAMES.oscal), "utf8"))["assessment-results"].uuid as string;
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuid).not.toBe("00000000-0000-0000-0000-000000000000");
  });
});
