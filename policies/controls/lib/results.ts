import type { CheckResult, ResourceView, Violation } from "../../types";

const NO_VIOLATION: readonly Violation[] = Object.freeze([]);

/** A pass (with its note when given). Built without a spread: controls return one per resource. */
export const pass = (resource: ResourceView, note?: string): CheckResult =>
  note !== undefined ? { resource, status: "pass", violations: NO_VIOLATION, note } : { resource, status: "pass", violations: NO_VIOLATION };

export const notApplicable = (resource: ResourceView, note: string): CheckResult => ({
  resource,
  status: "notApplicable",
  violations: [],
  note,
});

/** Fails with the given violations, or passes (with `passNote`) when there are none. */
export function verdict(resource: ResourceView, violations: readonly Violation[], passNote?: string): CheckResult {
  return violations.length > 0 ? { resource, status: "fail", violations } : pass(resource, passNote);
}

export const violation = (message: string, path?: string): Violation => (path !== undefined ? { message, path } : { message });
