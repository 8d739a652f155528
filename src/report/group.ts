import type { ResourceRef } from "../../policies/types";
import type { AuditFinding } from "../audit/model";
import { resourceKey } from "../audit/resource-ref";

/** Consecutive findings of one control on one resource (findings are sorted by control, then resource). */
export interface FindingGroup {
  readonly controlId: string;
  readonly resource: ResourceRef;
  readonly findings: readonly AuditFinding[];
}

export function groupByControlAndResource(findings: readonly AuditFinding[]): FindingGroup[] {
  return [...eachGroup(findings)];
}

/** The groups of `groupByControlAndResource`, one at a time. */
export function* eachGroup(findings: readonly AuditFinding[]): Generator<FindingGroup> {
  let last: { controlId: string; resource: ResourceRef; key: string; findings: AuditFinding[] } | undefined;
  for (const f of findings) {
    const key = f.resource === last?.resource ? last.key : resourceKey(f.resource);
    if (last && last.controlId === f.controlId && last.key === key) last.findings.push(f);
    else {
      if (last) yield last;
      last = { controlId: f.controlId, resource: f.resource, key, findings: [f] };
    }
  }
  if (last) yield last;
}

const byControlCache = new WeakMap<readonly AuditFinding[], ReadonlyMap<string, readonly AuditFinding[]>>();

/**
 * The findings of each control, in the report's order: built once per findings list and shared by every
 * format written from it (one pass, not one per format).
 */
export function findingsByControl(findings: readonly AuditFinding[]): ReadonlyMap<string, readonly AuditFinding[]> {
  let map = byControlCache.get(findings);
  if (!map) {
    const built = new Map<string, AuditFinding[]>();
    let list: AuditFinding[] | undefined;
    let current: string | undefined;
    for (const f of findings) {
      if (f.controlId !== current) {
        current = f.controlId;
        list = built.get(current);
        if (!list) built.set(current, (list = []));
      }
      list!.push(f);
    }
    byControlCache.set(findings, (map = built));
  }
  return map;
}
