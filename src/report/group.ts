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
  const groups: { controlId: string; resource: ResourceRef; key: string; findings: AuditFinding[] }[] = [];
  for (const f of findings) {
    const last = groups[groups.length - 1];
    const key = f.resource === last?.resource ? last.key : resourceKey(f.resource);
    if (last && last.controlId === f.controlId && last.key === key) last.findings.push(f);
    else groups.push({ controlId: f.controlId, resource: f.resource, key, findings: [f] });
  }
  return groups;
}
