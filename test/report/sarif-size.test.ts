/**
 * report.sarif of the 20,000-resource bench state (bench/audit.ts `generateState`) stays within GitHub code
 * scanning's documented upload limits (see GITHUB_SARIF_LIMITS in src/report/sarif.ts for the pages cited).
 * The Multitool's validation of this 24 MB file takes about 90 s on the reference machine, too long for the suite:
 * its rules run on the fixture reports in sarif.test.ts, which this writer produces the same way.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { generateState } from "../../bench/audit";
import { CONTROLS } from "../../policies/catalog";
import { loadInput } from "../../src/audit/inputs/load";
import { runAudit } from "../../src/audit/run";
import { GITHUB_SARIF_LIMITS, renderSarif } from "../../src/report/sarif";
import { tempFiles } from "../audit/helpers";

describe("report.sarif of the 20,000-resource bench state", () => {
  it("is under GitHub's limits and locates every result", async () => {
    const dir = tempFiles();
    const file = join(dir, "state.json");
    writeFileSync(file, JSON.stringify(generateState(20_000), null, 2));
    const input = await loadInput(file, { today: "2025-06-01" });
    const report = {
      ...runAudit(CONTROLS, input.views, input.context),
      tool: { name: "socle", version: "0.1.0" },
      input: { kind: input.kind, path: "out/bench/state.json" },
      stack: input.stack,
      today: "2025-06-01",
      context: input.context,
      lines: input.lines,
    };
    const text = renderSarif(report);
    const gz = gzipSync(text).length;
    const log = JSON.parse(text);
    expect(log.runs.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.runsPerFile);
    const run = log.runs[0];
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.resultsPerRun);
    expect(gz).toBeLessThan(GITHUB_SARIF_LIMITS.gzipBytes);
    for (const r of run.results) {
      expect(r.locations.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.locationsPerResult);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe("out/bench/state.json");
      // Resources with a URN point at its line; synthetic ones (a namespace the input does not hold) at the file.
      const hasUrn = r.locations[0].logicalLocations[0].fullyQualifiedName !== undefined;
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(hasUrn ? 2 : 1);
      expect(r.partialFingerprints["socleFinding/v1"]).toMatch(/^[0-9a-f]{32}$/);
    }
    console.log(`bench SARIF: ${run.results.length} results, ${(text.length / 1e6).toFixed(1)} MB, ${(gz / 1e6).toFixed(2)} MB gzip`);
  }, 120_000);
});
