import type { FindingStatus, ResourceRef, SncReference } from "../../policies/types";
import type { AuditReport, ControlStatus } from "../audit/model";

export function escapeHtml(s: string): string {
  // Most texts have nothing to escape: tested first, they are returned as they are.
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}
const NEEDS_ESCAPE = /[&<>"']/;
const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** XML 1.0 cannot carry most control characters even escaped: they are dropped. */
export function escapeXml(s: string): string {
  // The full test reads code points (slow); a text with no control character, no surrogate and no U+FFFE/U+FFFF has nothing it would drop.
  if (!MAYBE_NOT_XML.test(s)) return escapeHtml(s);
  return escapeHtml(s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ""));
}
const MAYBE_NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export const STATUS_LABELS: Readonly<Record<FindingStatus | ControlStatus, { fr: string; en: string }>> = {
  pass: { fr: "Conforme", en: "Pass" },
  fail: { fr: "Non conforme", en: "Fail" },
  waived: { fr: "Dérogation", en: "Waived" },
  notApplicable: { fr: "Non applicable", en: "Not applicable" },
  notAssessed: { fr: "Non évalué", en: "Not assessed" },
};

/** `SecNumCloud 3.2 §19.6` or `SecNumCloud 3.2 ch. 13`; `(unverified)` when the section is our reading. */
export function sncReference(snc: SncReference): string {
  const where = snc.section ? `§${snc.section}` : `ch. ${snc.chapter}`;
  return `SecNumCloud 3.2 ${where}${snc.verified ? "" : " (unverified)"}`;
}

export function percent(score: number | null): string {
  return score === null ? "n/a" : `${Math.round(score * 1000) / 10}%`;
}

/** The name a report gives the audited deployment: the stack, else the input path. */
export function subjectName(report: AuditReport): string {
  return report.stack.name ?? report.input.path;
}

/** Where a resource is: URN, else manifest reference. */
export function resourceLocation(ref: ResourceRef): string {
  return ref.urn ?? ref.file ?? "";
}
