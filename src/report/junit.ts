import type { AuditFinding, AuditReport } from "../audit/model";
import { resourceLabel } from "../audit/resource-ref";
import { DEFAULT_GATE, counts } from "../audit/gate";
import { groupByControlAndResource, type FindingGroup } from "./group";
import { escapeXml as x, resourceLocation, sncReference } from "./text";

/**
 * report.junit.xml: one test suite per control, one test case per control x resource.
 * A failing violation makes a <failure> only when it decides the exit code (`--fail-on`, `--severity`; by default
 * mandatory controls): other failures (advisory) are <skipped> with the violations, so CI dashboards agree with
 * the exit code. Waived and not-applicable cases are <skipped> with the reason; a control that assessed nothing
 * has one <skipped> case saying so.
 */
export function renderJunit(report: AuditReport): string {
  const groups = groupByControlAndResource(report.findings);
  const byControl = new Map<string, FindingGroup[]>();
  for (const g of groups) {
    const list = byControl.get(g.controlId) ?? [];
    list.push(g);
    byControl.set(g.controlId, list);
  }
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const summary of report.controls) {
    const { meta } = summary;
    const gating = counts(meta, report.gate ?? DEFAULT_GATE);
    const cases = (byControl.get(meta.id) ?? []).map((g) => testCase(g, gating));
    if (summary.status === "notAssessed") {
      const reason = `not assessed: ${summary.notAssessedReason ?? "nothing assessed"}`;
      cases.unshift({ outcome: "skipped", xml: `    <testcase classname="${x(meta.id)}" name="${x(`${meta.id} (not assessed)`)}">\n      <skipped message="${x(reason)}"/>\n    </testcase>\n` });
    }
    const f = cases.filter((c) => c.outcome === "failure").length;
    const s = cases.filter((c) => c.outcome === "skipped").length;
    tests += cases.length;
    failures += f;
    skipped += s;
    suites.push(
      `  <testsuite name="${x(meta.id)}" tests="${cases.length}" failures="${f}" errors="0" skipped="${s}">\n` +
        `    <properties>\n` +
        prop("title.fr", meta.title.fr) +
        prop("title.en", meta.title.en) +
        prop("reference", sncReference(meta.snc)) +
        prop("severity", meta.severity) +
        prop("enforcement", meta.enforcement) +
        `    </properties>\n` +
        cases.map((c) => c.xml).join("") +
        `  </testsuite>\n`,
    );
  }
  const name = `socle audit ${report.stack.name ?? report.input.path} ${report.today}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${x(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    suites.join("") +
    `</testsuites>\n`
  );
}

function prop(name: string, value: string): string {
  return `      <property name="${x(name)}" value="${x(value)}"/>\n`;
}

function testCase(g: FindingGroup, gating: boolean): { xml: string; outcome: "pass" | "failure" | "skipped" } {
  const where = resourceLocation(g.resource);
  const name = where ? `${resourceLabel(g.resource)} (${where})` : resourceLabel(g.resource);
  const open = `    <testcase classname="${x(g.controlId)}" name="${x(name)}">`;
  const failed = g.findings.filter((f) => f.status === "fail");
  const waived = g.findings.filter((f) => f.status === "waived");
  if (failed.length > 0) {
    const body = [...failed, ...waived].map(line).join("\n");
    const message = failed.length === 1 ? failed[0]!.message : `${failed.length} violations: ${failed[0]!.message} …`;
    if (!gating) {
      return { outcome: "skipped", xml: `${open}\n      <skipped message="${x(`advisory failure (does not fail the audit): ${message}`)}">${x(body)}</skipped>\n    </testcase>\n` };
    }
    return { outcome: "failure", xml: `${open}\n      <failure message="${x(message)}" type="${x(g.controlId)}">${x(body)}</failure>\n    </testcase>\n` };
  }
  if (waived.length > 0) {
    const w = waived[0]!.waiver!;
    const message = `waived: ${w.justification} (approver: ${w.approver}; expires ${w.expires}; ${w.source})`;
    return { outcome: "skipped", xml: `${open}\n      <skipped message="${x(message)}">${x(waived.map(line).join("\n"))}</skipped>\n    </testcase>\n` };
  }
  const na = g.findings.find((f) => f.status === "notApplicable");
  if (na) return { outcome: "skipped", xml: `${open}\n      <skipped message="${x(`not applicable: ${na.message}`)}"/>\n    </testcase>\n` };
  return { outcome: "pass", xml: `${open}</testcase>\n` };
}

function line(f: AuditFinding): string {
  const path = f.path ? ` [${f.path}]` : "";
  const waiver = f.waiver ? ` (waived: ${f.waiver.justification}; ${f.waiver.source})` : "";
  const expired = f.expiredWaiver ? ` (waiver ${f.expiredWaiver.source} expired on ${f.expiredWaiver.expires})` : "";
  return `${f.status}: ${f.message}${path}${waiver}${expired}`;
}
