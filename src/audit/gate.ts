import type { ControlMeta, Severity } from "../../policies/types";
import type { AuditFinding, AuditResult, FailOn, Gate } from "./model";

export type { FailOn, Gate } from "./model";
export const FAIL_ON_VALUES: readonly FailOn[] = ["mandatory", "any", "none"];
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

export const DEFAULT_GATE: Gate = { failOn: "mandatory", minSeverity: "low" };

/** True when an unwaived failure of a control with `meta` makes the audit fail under `gate`. */
export function counts(meta: Pick<ControlMeta, "enforcement" | "severity">, gate: Gate = DEFAULT_GATE): boolean {
  if (gate.failOn === "none") return false;
  if (SEVERITIES.indexOf(meta.severity) < SEVERITIES.indexOf(gate.minSeverity)) return false;
  return gate.failOn === "any" || meta.enforcement === "mandatory";
}

/** Failing findings that decide the exit code, in report order. */
export function gatingFailures(result: Pick<AuditResult, "findings" | "controls">, gate: Gate = DEFAULT_GATE): AuditFinding[] {
  const meta = new Map(result.controls.map((c) => [c.meta.id, c.meta]));
  return result.findings.filter((f) => f.status === "fail" && counts(meta.get(f.controlId)!, gate));
}
