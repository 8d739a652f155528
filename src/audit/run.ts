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

/** How findings name a resource, its sort key, and the key's rank among the input's keys (-1: not an input resource). */
interface RefEntry {
  readonly ref: ResourceRef;
  readonly key: string;
  readonly rank: number;
}

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
  const refs = rankedRefs(views);
  const refOf = (view: ResourceView): RefEntry => {
    let entry = refs.get(view);
    if (!entry) {
      // A resource a control made up (a namespace the input does not hold): no rank, sorted by its key.
      const ref = resourceRef(view);
      entry = { ref, key: resourceKey(ref), rank: -1 };
      refs.set(view, entry);
    }
    return entry;
  };

  const matcher = new WaiverMatcher(waivers);
  const matched = new Map<Waiver, number>(waivers.map((w) => [w, 0]));
  const findings: AuditFinding[] = [];
  const firstOf = new Map<string, AuditFinding>();
  const perControl = new Map<string, Counter>();

  for (const control of sorted) {
    // Controls run in id order, so each control's findings are sorted on their own and appended.
    const produced: AuditFinding[] = [];
    const entries: RefEntry[] = [];
    let results;
    try {
      results = control.check(views, context);
    } catch (e) {
      throw new Error(`control ${control.id} failed while checking: ${(e as Error).message}`, { cause: e });
    }
    for (const result of results) {
      const entry = refOf(result.resource);
      const ref = entry.ref;
      if (result.status !== "fail") {
        const message = result.note ?? (result.status === "pass" ? "compliant" : "not applicable");
        produced.push({ controlId: control.id, status: result.status, resource: ref, message });
        entries.push(entry);
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
        produced.push(finding);
        entries.push(entry);
      }
    }
    const first = appendSorted(findings, produced, entries, views.length);
    if (first) firstOf.set(control.id, first);
    const counts = zero();
    for (const f of produced) counts[f.status]++;
    perControl.set(control.id, counts);
  }

  return summarize(sorted, findings, perControl, firstOf, views.length, [...matched].map(([waiver, n]): WaiverOutcome => ({ waiver, expired: isExpired(waiver, context.today), matched: n })));
}

/**
 * Each input resource's reference and key, with the key's rank in code-unit order (equal keys, equal ranks):
 * findings then sort on small integers instead of comparing URNs, which share long prefixes, again and again.
 */
function rankedRefs(views: readonly ResourceView[]): Map<ResourceView, RefEntry> {
  const entries = new Map<ResourceView, { ref: ResourceRef; key: string; rank: number }>();
  const list: { ref: ResourceRef; key: string; rank: number }[] = [];
  for (const view of views) {
    if (entries.has(view)) continue;
    const ref = resourceRef(view);
    const entry = { ref, key: resourceKey(ref), rank: 0 };
    entries.set(view, entry);
    list.push(entry);
  }
  list.sort((a, b) => cmp(a.key, b.key));
  for (let i = 1; i < list.length; i++) list[i]!.rank = list[i]!.key === list[i - 1]!.key ? list[i - 1]!.rank : i;
  return entries;
}

const byPathThenMessage = (a: AuditFinding, b: AuditFinding): number => cmp(a.path ?? "", b.path ?? "") || cmp(a.message, b.message);

/**
 * Appends `produced` to `findings` ordered by resource key, then path, then message, ties in production order (a
 * stable sort with that comparator gives the same order); returns the first finding appended. Findings of input
 * resources are placed by their key's rank (a counting sort: stable, linear), then each run of one resource
 * (usually a single finding) is sorted by path and message.
 */
function appendSorted(findings: AuditFinding[], produced: readonly AuditFinding[], entries: readonly RefEntry[], ranks: number): AuditFinding | undefined {
  const n = produced.length;
  if (n === 0) return undefined;
  const start = findings.length;
  if (entries.some((e) => e.rank < 0)) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => cmp(entries[a]!.key, entries[b]!.key) || byPathThenMessage(produced[a]!, produced[b]!));
    for (const i of order) findings.push(produced[i]!);
    return findings[start];
  }
  const next = new Int32Array(ranks + 1);
  for (let i = 0; i < n; i++) next[entries[i]!.rank + 1]!++;
  for (let r = 1; r <= ranks; r++) next[r]! += next[r - 1]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[entries[i]!.rank]!++] = i;
  for (let lo = 0; lo < n; ) {
    const rank = entries[order[lo]!]!.rank;
    let hi = lo + 1;
    while (hi < n && entries[order[hi]!]!.rank === rank) hi++;
    if (hi - lo === 1) findings.push(produced[order[lo]!]!);
    else {
      // Production order within the run (the counting sort is stable); a stable sort keeps it for ties.
      const run: AuditFinding[] = [];
      for (let j = lo; j < hi; j++) run.push(produced[order[j]!]!);
      run.sort(byPathThenMessage);
      for (const f of run) findings.push(f);
    }
    lo = hi;
  }
  return findings[start];
}

/** `perControl`: each control's counts by status, taken as its findings were made. */
function summarize(controls: readonly Control[], findings: readonly AuditFinding[], perControl: ReadonlyMap<string, Counter>, firstOf: ReadonlyMap<string, AuditFinding>, resources: number, waivers: readonly WaiverOutcome[]): AuditResult {
  const total = zero();
  for (const counts of perControl.values()) for (const s of ["pass", "fail", "waived", "notApplicable"] as const) total[s] += counts[s];
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
    return { meta, status, counts, notAssessedReason: notAssessedReason(counts, firstOf.get(c.id)) };
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
