import type { AuditFinding, AuditReport } from "../audit/model";
import { resourceLabel } from "../audit/resource-ref";
import { DEFAULT_GATE, counts } from "../audit/gate";
import { eachGroup, findingsByControl, type FindingGroup } from "./group";
import { escapeXml as x, resourceLocation, sncReference } from "./text";

/**
 * report.junit.xml: one test suite per control, one test case per control x resource.
 * A failing violation makes a <failure> only when it decides the exit code (`--fail-on`, `--severity`; by default
 * mandatory controls): other failures (advisory) are <skipped> with the violations, so CI dashboards agree with
 * the exit code. Waived and not-applicable cases are <skipped> with the reason; a control that assessed nothing
 * has one <skipped> case saying so.
 */
export function renderJunit(report: AuditReport): string {
  const parts: string[] = [];
  writeJunit(report, (chunk) => parts.push(chunk));
  return parts.join("");
}

/**
 * report.junit.xml written piece by piece (the bytes of `renderJunit`): the counts the root and each suite
 * carry are tallied first, then each test case is written on its own.
 */
export function writeJunit(report: AuditReport, write: (chunk: string) => void): void {
  const byControl = findingsByControl(report.findings);
  const gate = report.gate ?? DEFAULT_GATE;
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites = report.controls.map((summary) => {
    const gating = counts(summary.meta, gate);
    const list = byControl.get(summary.meta.id) ?? [];
    const tally = { gating, list, tests: 0, failures: 0, skipped: 0 };
    if (summary.status === "notAssessed") {
      tally.tests++;
      tally.skipped++;
    }
    for (const g of eachGroup(list)) {
      const outcome = outcomeOf(g, gating);
      tally.tests++;
      if (outcome === "failure") tally.failures++;
      else if (outcome === "skipped") tally.skipped++;
    }
    tests += tally.tests;
    failures += tally.failures;
    skipped += tally.skipped;
    return tally;
  });
  const name = `socle audit ${report.stack.name ?? report.input.path} ${report.today}`;
  write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${x(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n`);
  report.controls.forEach((summary, i) => {
    const { meta } = summary;
    const tally = suites[i]!;
    write(
      `  <testsuite name="${x(meta.id)}" tests="${tally.tests}" failures="${tally.failures}" errors="0" skipped="${tally.skipped}">\n` +
        `    <properties>\n` +
        prop("title.fr", meta.title.fr) +
        prop("title.en", meta.title.en) +
        prop("reference", sncReference(meta.snc)) +
        prop("severity", meta.severity) +
        prop("enforcement", meta.enforcement) +
        `    </properties>\n`,
    );
    if (summary.status === "notAssessed") {
      const reason = `not assessed: ${summary.notAssessedReason ?? "nothing assessed"}`;
      write(`    <testcase classname="${x(meta.id)}" name="${x(`${meta.id} (not assessed)`)}">\n      <skipped message="${x(reason)}"/>\n    </testcase>\n`);
    }
    for (const g of eachGroup(tally.list)) write(testCase(g, tally.gating));
    write(`  </testsuite>\n`);
  });
  write(`</testsuites>\n`);
}

function prop(name: string, value: string): string {
  return `      <property name="${x(name)}" value="${x(value)}"/>\n`;
}

type Outcome = "pass" | "failure" | "skipped";

/** What a test case reports, without writing it (the counts are needed before the cases). */
function outcomeOf(g: FindingGroup, gating: boolean): Outcome {
  let waived = false;
  let notApplicable = false;
  for (const f of g.findings) {
    if (f.status === "fail") return gating ? "failure" : "skipped";
    if (f.status === "waived") waived = true;
    else if (f.status === "notApplicable") notApplicable = true;
  }
  return waived || notApplicable ? "skipped" : "pass";
}

/** One test case's XML; its outcome is `outcomeOf`'s. */
function testCase(g: FindingGroup, gating: boolean): string {
  const where = resourceLocation(g.resource);
  const name = where ? `${resourceLabel(g.resource)} (${where})` : resourceLabel(g.resource);
  const open = `    <testcase classname="${x(g.controlId)}" name="${x(name)}">`;
  const failed = g.findings.filter((f) => f.status === "fail");
  const waived = g.findings.filter((f) => f.status === "waived");
  if (failed.length > 0) {
    const body = [...failed, ...waived].map(line).join("\n");
    const message = failed.length === 1 ? failed[0]!.message : `${failed.length} violations: ${failed[0]!.message} …`;
    if (!gating) {
      return `${open}\n      <skipped message="${x(`advisory failure (does not fail the audit): ${message}`)}">${x(body)}</skipped>\n    </testcase>\n`;
    }
    return `${open}\n      <failure message="${x(message)}" type="${x(g.controlId)}">${x(body)}</failure>\n    </testcase>\n`;
  }
  if (waived.length > 0) {
    const w = waived[0]!.waiver!;
    const message = `waived: ${w.justification} (approver: ${w.approver}; expires ${w.expires}; ${w.source})`;
    return `${open}\n      <skipped message="${x(message)}">${x(waived.map(line).join("\n"))}</skipped>\n    </testcase>\n`;
  }
  const na = g.findings.find((f) => f.status === "notApplicable");
  if (na) return `${open}\n      <skipped message="${x(`not applicable: ${na.message}`)}"/>\n    </testcase>\n`;
  return `${open}</testcase>\n`;
}

function line(f: AuditFinding): string {
  const path = f.path ? ` [${f.path}]` : "";
  const waiver = f.waiver ? ` (waived: ${f.waiver.justification}; ${f.waiver.source})` : "";
  const expired = f.expiredWaiver ? ` (waiver ${f.expiredWaiver.source} expired on ${f.expiredWaiver.expires})` : "";
  return `${f.status}: ${f.message}${path}${waiver}${expired}`;
}
