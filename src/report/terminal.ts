import type { Severity } from "../../policies/types";
import { counts, type Gate } from "../audit/gate";
import type { AuditFinding, AuditReport } from "../audit/model";
import { resourceLabel } from "../audit/resource-ref";

/** Rows shown before pointing to the reports: a terminal is not a report. */
export const MAX_TABLE_ROWS = 50;
const FIX_WIDTH = 72;
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

/** ANSI SGR colours, used only when the caller says the output is a colour terminal. */
const COLOUR: Readonly<Record<Severity, string>> = { critical: "\u001b[1;31m", high: "\u001b[31m", medium: "\u001b[33m", low: "\u001b[36m" };
const RESET = "\u001b[0m";

/** The first sentence of a remediation, on one line, Markdown code marks dropped, cut to a terminal column. */
export function oneLineFix(remediation: string): string {
  const flat = remediation.replace(/\s+/g, " ").replace(/`/g, "").trim();
  const m = /^(.+?[.;])(\s|$)/.exec(flat);
  const first = m ? m[1]! : flat;
  return first.length > FIX_WIDTH ? `${first.slice(0, FIX_WIDTH - 1)}…` : first;
}

/**
 * The failures of an audit as a table for the terminal: control, severity, resource, property path, one-line fix.
 * Failures that decide the exit code first (most severe first), then the others below `--severity` are counted only.
 */
export function failureTable(report: AuditReport, gate: Gate, colour: boolean): string {
  const meta = new Map(report.controls.map((c) => [c.meta.id, c.meta]));
  const minRank = SEVERITY_RANK[gate.minSeverity];
  const shown: AuditFinding[] = [];
  let below = 0;
  for (const f of report.findings) {
    if (f.status !== "fail") continue;
    if (SEVERITY_RANK[meta.get(f.controlId)!.severity] > minRank) below++;
    else shown.push(f);
  }
  if (shown.length === 0) {
    return below > 0 ? `No failure at severity ${gate.minSeverity} or above (${below} below it).\n` : "No failure.\n";
  }
  const ordered = shown
    .map((f, i) => ({ f, i, m: meta.get(f.controlId)! }))
    .sort(
      (a, b) =>
        Number(counts(b.m, gate)) - Number(counts(a.m, gate)) || SEVERITY_RANK[a.m.severity] - SEVERITY_RANK[b.m.severity] || a.i - b.i,
    );
  const rows = ordered.slice(0, MAX_TABLE_ROWS).map(({ f, m }) => ({
    control: f.controlId,
    severity: m.severity,
    severityText: `${m.severity}${m.enforcement === "advisory" ? " (advisory)" : ""}`,
    resource: resourceLabel(f.resource),
    path: f.path ?? "-",
    fix: oneLineFix(m.remediation),
  }));
  const head = { control: "CONTROL", severityText: "SEVERITY", resource: "RESOURCE", path: "PATH", fix: "FIX" };
  const cols = ["control", "severityText", "resource", "path"] as const;
  const width = Object.fromEntries(cols.map((c) => [c, Math.min(60, Math.max(head[c].length, ...rows.map((r) => r[c].length)))])) as Record<(typeof cols)[number], number>;
  const cell = (text: string, w: number) => (text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w));
  const lines = [cols.map((c) => cell(head[c], width[c])).join("  ") + "  " + head.fix];
  for (const r of rows) {
    const severity = cell(r.severityText, width.severityText);
    lines.push([cell(r.control, width.control), colour ? `${COLOUR[r.severity]}${severity}${RESET}` : severity, cell(r.resource, width.resource), cell(r.path, width.path)].join("  ") + "  " + r.fix);
  }
  if (shown.length > MAX_TABLE_ROWS) lines.push(`… and ${shown.length - MAX_TABLE_ROWS} more failure(s): see the reports.`);
  if (below > 0) lines.push(`${below} failure(s) below severity ${gate.minSeverity} not shown.`);
  return lines.join("\n") + "\n";
}
