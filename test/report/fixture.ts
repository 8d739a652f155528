import { join, relative } from "node:path";
import { loadInput } from "../../src/audit/inputs/load";
import type { AuditReport } from "../../src/audit/model";
import { runAudit } from "../../src/audit/run";
import { loadWaivers } from "../../src/audit/waivers";
import { TEST_CONTROLS } from "../audit/fixtures/controls";
import { stateExport } from "../audit/fixtures/state";
import { FIXTURES, tempFiles } from "../audit/helpers";

export const WAIVER_JUSTIFICATION = "Upstream image needs root <until 17.1> & tracked in TICKET-1";

/** One active waiver (2 findings), one expired (1 finding), one unused. */
export const WAIVERS_FILE = relative(process.cwd(), join(FIXTURES, "waivers.yaml"));

/** A report over the fixture state: failures, a passing check, not-applicable, waived, expired and unused waivers. */
export async function stateReport(): Promise<AuditReport> {
  const dir = tempFiles({ "state.json": stateExport() });
  const input = await loadInput(join(dir, "state.json"), { today: "2025-06-01" });
  const waivers = loadWaivers(WAIVERS_FILE);
  return {
    ...runAudit(TEST_CONTROLS, input.views, input.context, waivers),
    tool: { name: "socle", version: "0.1.0" },
    input: { kind: input.kind, path: "out/demo/state.json" },
    waiverFile: "waivers/demo.yaml",
    stack: input.stack,
    today: "2025-06-01",
    context: input.context,
    lines: input.lines,
  };
}

/** A report over the fixture manifests folder (given as a relative path unless `absolute`): findings located in files. */
export async function manifestReport(absolute = false): Promise<AuditReport> {
  const folder = join(FIXTURES, "manifests");
  const input = await loadInput(absolute ? folder : relative(process.cwd(), folder), { today: "2025-06-01" });
  return {
    ...runAudit(TEST_CONTROLS, input.views, input.context),
    tool: { name: "socle", version: "0.1.0" },
    input: { kind: input.kind, path: input.path },
    stack: input.stack,
    today: "2025-06-01",
    context: input.context,
    lines: input.lines,
  };
}
