import { SNC_CHAPTER_TITLES, type AuditContext, type Control, type ResourceRef, type ResourceView, type SncChapter } from "../../policies/types";
import type { AuditFinding, AuditResult, ChapterSummary, ControlStatus, ControlSummary, StatusCounts, WaiverOutcome, WaiverRef } from "./model";
import { resourceKey, resourceRef } from "./resource-ref";
import { WaiverMatcher, isExpired, type Waiver } from "./waivers";

const CHAPTER_ORDER: readonly SncChapter[] = ["9", "10", "12", "13", "17", "19"];

interface Counter {
  pass: number;
  fail: number;
  waived: number;
  notApplicable: number;
}

const zero = (): Counter => ({ pass: 0, fail: 0, waived: 0, notApplicable: 0 });

/**
 * Runs every control over the resources: one finding per violation of a failing check, one per
 * resource for passing and not-applicable checks; then applies the waivers and totals the result.
 */
export function runAudit(
  controls: readonly Control[],
  views: readonly ResourceView[],
  context: AuditContext,
  waivers: readonly Waiver[] = [],
): AuditResult {
  const sorted = [...controls].sort((a, b) => cmp(a.id, b.id));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.id === sorted[i - 1]!.id) throw new Error(`two controls share the id ${sorted[i]!.id}`);
  }
  const refs = new Map<ResourceView, { ref: ResourceRef; key: string }>();
  const refOf = (view: ResourceView) => {
    let entry = refs.get(view);
    if (!entry) {
      const ref = resourceRef(view);
      entry = { ref, key: resourceKey(ref) };
      refs.set(view, entry);
    }
    return entry;
  };

  const matcher = new WaiverMatcher(waivers);
  const matched = new Map<Waiver, number>(waivers.map((w) => [w, 0]));
  const findings: AuditFinding[] = [];

  for (const control of sorted) {
    // Controls run in id order, so each control's findings are sorted on their own and appended.
    const keyed: { finding: AuditFinding; key: string }[] = [];
    let results;
    try {
      results = control.check(views, context);
    } catch (e) {
      throw new Error(`control ${control.id} failed while checking: ${(e as Error).message}`, { cause: e });
    }
    for (const result of results) {
      const { ref, key } = refOf(result.resource);
      if (result.status !== "fail") {
        const message = result.note ?? (result.status === "pass" ? "compliant" : "not applicable");
        keyed.push({ finding: { controlId: control.id, status: result.status, resource: ref, message }, key });
        continue;
      }
      const covering = matcher.match(control.id, ref);
      let active: Waiver | undefined;
      let expired: Waiver | undefined;
      for (const w of covering) {
        if (isExpired(w, context.today)) expired ??= w;
        else active ??= w;
      }
      const violations = result.violations.length > 0 ? result.violations : [{ message: result.note ?? "failed (the control gave no detail)" }];
      for (const v of violations) {
        for (const w of covering) matched.set(w, matched.get(w)! + 1);
        const finding: { -readonly [K in keyof AuditFinding]: AuditFinding[K] } = { controlId: control.id, status: active ? "waived" : "fail", resource: ref, message: v.message };
        if (v.path !== undefined) finding.path = v.path;
        if (active) finding.waiver = waiverRef(active);
        else if (expired) finding.expiredWaiver = waiverRef(expired);
        keyed.push({ finding, key });
      }
    }
    keyed.sort((a, b) => cmp(a.key, b.key) || cmp(a.finding.path ?? "", b.finding.path ?? "") || cmp(a.finding.message, b.finding.message));
    for (const k of keyed) findings.push(k.finding);
  }

  return summarize(sorted, findings, views.length, [...matched].map(([waiver, n]): WaiverOutcome => ({ waiver, expired: isExpired(waiver, context.today), matched: n })));
}

function summarize(controls: readonly Control[], findings: readonly AuditFinding[], resources: number, waivers: readonly WaiverOutcome[]): AuditResult {
  const perControl = new Map<string, Counter>(controls.map((c) => [c.id, zero()]));
  const total = zero();
  for (const f of findings) {
    perControl.get(f.controlId)![f.status]++;
    total[f.status]++;
  }
  let mandatoryFailures = 0;
  let advisoryFailures = 0;
  const chapterCounts = new Map<SncChapter, { counts: Counter; controls: number }>();
  const summaries: ControlSummary[] = controls.map((c) => {
    const counts = perControl.get(c.id)!;
    if (c.enforcement === "mandatory") mandatoryFailures += counts.fail;
    else advisoryFailures += counts.fail;
    const chapter = chapterCounts.get(c.snc.chapter) ?? { counts: zero(), controls: 0 };
    chapter.controls++;
    for (const s of ["pass", "fail", "waived", "notApplicable"] as const) chapter.counts[s] += counts[s];
    chapterCounts.set(c.snc.chapter, chapter);
    const { check: _check, ...meta } = c;
    const status = overallStatus(counts);
    if (status !== "notAssessed") return { meta, status, counts };
    return { meta, status, counts, notAssessedReason: notAssessedReason(counts, findings.find((f) => f.controlId === c.id)) };
  });
  const chapters: ChapterSummary[] = CHAPTER_ORDER.filter((ch) => chapterCounts.has(ch)).map((chapter) => {
    const { counts, controls: n } = chapterCounts.get(chapter)!;
    // A waived finding is not a pass: it counts against the score, and reports show the waived share beside it.
    const scored = counts.pass + counts.fail + counts.waived;
    return { chapter, title: SNC_CHAPTER_TITLES[chapter], controls: n, counts, score: scored === 0 ? null : counts.pass / scored };
  });
  return {
    findings,
    controls: summaries,
    chapters,
    totals: { ...total, resources, findings: findings.length, mandatoryFailures, advisoryFailures },
    waivers,
    passed: mandatoryFailures === 0,
  };
}

function overallStatus(c: StatusCounts): ControlStatus {
  if (c.fail > 0) return "fail";
  if (c.waived > 0) return "waived";
  if (c.pass > 0) return "pass";
  return "notAssessed";
}

function notAssessedReason(c: StatusCounts, first: AuditFinding | undefined): string {
  if (c.notApplicable === 0) return "no resource of the input falls under this control";
  return `${c.notApplicable} resource(s) examined, none applicable${first ? ` (${first.message})` : ""}`;
}

function waiverRef(w: Waiver): WaiverRef {
  return { justification: w.justification, approver: w.approver, expires: w.expires, source: w.source };
}

/** Code-point order: locale-independent, so reports are the same bytes on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
