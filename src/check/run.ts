/** Runs the rules on a model and renders the findings (terminal table, JSON). */
import { byCode } from "./k8s";
import type { CheckFinding, CheckModel, CheckRule } from "./types";

export interface CheckResult {
  readonly findings: readonly CheckFinding[];
  readonly rules: readonly { readonly id: string; readonly description: string; readonly blockers: number; readonly warnings: number }[];
  readonly blockers: number;
  readonly warnings: number;
  readonly objects: number;
}

function compare(a: CheckFinding, b: CheckFinding): number {
  if (a.severity !== b.severity) return a.severity === "blocker" ? -1 : 1;
  return byCode(a.rule, b.rule) || byCode(a.object, b.object) || byCode(a.path, b.path) || byCode(a.message, b.message);
}

export function runCheck(model: CheckModel, rules: readonly CheckRule[]): CheckResult {
  const findings: CheckFinding[] = [];
  const seen = new Set<string>();
  const perRule: { id: string; description: string; blockers: number; warnings: number }[] = [];
  for (const rule of rules) {
    let blockers = 0;
    let warnings = 0;
    for (const f of rule.run(model)) {
      const key = JSON.stringify([f.rule, f.severity, f.object, f.path, f.message]);
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
      if (f.severity === "blocker") blockers++;
      else warnings++;
    }
    perRule.push({ id: rule.id, description: rule.description, blockers, warnings });
  }
  findings.sort(compare);
  perRule.sort((a, b) => byCode(a.id, b.id));
  return {
    findings,
    rules: perRule,
    blockers: findings.filter((f) => f.severity === "blocker").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    objects: model.objects.length,
  };
}

export function renderJson(result: CheckResult, input: string): string {
  return JSON.stringify({ input, blockers: result.blockers, warnings: result.warnings, findings: result.findings, rules: result.rules }, null, 2) + "\n";
}

/** A plain text table: severity, rule, object, path; then the message and fix indented under each row. */
export function renderTable(result: CheckResult, input: string): string {
  const lines: string[] = [];
  if (result.findings.length > 0) {
    const rows = result.findings.map((f) => [f.severity.toUpperCase(), f.rule, f.object, f.path || "-"]);
    const head = ["SEVERITY", "RULE", "OBJECT", "PATH"];
    const widths = head.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
    const fmt = (r: readonly string[]) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join("  ");
    lines.push(fmt(head));
    result.findings.forEach((f, i) => {
      lines.push(fmt(rows[i]!));
      lines.push(`    why: ${f.message}`);
      lines.push(`    fix: ${f.fix}`);
    });
    lines.push("");
  }
  lines.push(
    `socle check: ${input}: ${result.objects} objects, ${result.rules.length} rules: ${result.blockers} blocker(s), ${result.warnings} warning(s)` +
      (result.blockers === 0 ? ". No blocker found." : "."),
  );
  return lines.join("\n") + "\n";
}
