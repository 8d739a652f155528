import type { AuditFinding, AuditReport, WaiverOutcome } from "../audit/model";
import { resourceLabel } from "../audit/resource-ref";
import { findingsByControl } from "./group";
import { STATUS_LABELS, percent, sncReference, subjectName } from "./text";

/** Failures listed per control before pointing to report.html: keeps a pull-request comment readable. */
const MAX_LISTED_PER_CONTROL = 25;

/** report.md: a summary for pull requests; the full evidence is in report.html and report.json. */
export function renderMarkdown(report: AuditReport): string {
  const parts: string[] = [];
  writeMarkdown(report, (chunk) => parts.push(chunk));
  return parts.join("");
}

/**
 * report.md written line by line (the bytes of `renderMarkdown`): lines are joined by newlines and the
 * text ends with exactly one (blank lines at the end are held back until a line follows them).
 */
export function writeMarkdown(report: AuditReport, write: (chunk: string) => void): void {
  let first = true;
  let held = "";
  const out = {
    push(...lines: string[]) {
      for (const l of lines) {
        const text = first ? l : `\n${l}`;
        first = false;
        let end = text.length;
        while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
        if (end === 0) {
          held += text;
          continue;
        }
        write(held + text.slice(0, end));
        held = text.slice(end);
      }
    },
  };
  writeBody(report, out);
  write("\n");
}

function writeBody(report: AuditReport, out: { push(...lines: string[]): void }): void {
  const t = report.totals;
  out.push(`# socle audit: ${md(subjectName(report))}`, "");
  out.push(
    report.passed
      ? `**Result: PASS** (no mandatory failure). Résultat : conforme.`
      : `**Result: FAIL**, ${t.mandatoryFailures} mandatory failure(s). Résultat : non conforme.`,
    "",
  );
  out.push(
    `Date: ${report.today} · Input: \`${code(report.input.path)}\` (${report.input.kind}) · ${t.resources} resources · ${report.controls.length} controls · ` +
      `${t.pass} pass · ${t.fail} fail · ${t.waived} waived · ${t.notApplicable} not applicable · ${report.tool.name} ${report.tool.version}`,
    "",
  );

  out.push(
    "## Score per SecNumCloud chapter",
    "",
    "Score = pass / (pass + fail + waived): a waived finding is not a pass; its share is shown beside the score.",
    "",
    "| Chapter | Controls | Pass | Fail | Waived | N/A | Score |",
    "|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const c of report.chapters) {
    const judged = c.counts.pass + c.counts.fail + c.counts.waived;
    const waived = c.counts.waived > 0 && judged > 0 ? ` (${percent(c.counts.waived / judged)} waived)` : "";
    out.push(`| ${c.chapter}. ${md(c.title.en)} / ${md(c.title.fr)} | ${c.controls} | ${c.counts.pass} | ${c.counts.fail} | ${c.counts.waived} | ${c.counts.notApplicable} | ${percent(c.score)}${waived} |`);
  }
  out.push("");

  out.push("## Controls", "", "| Status | Control | Title | Reference | Severity | Enforcement | Pass | Fail | Waived | N/A |", "|---|---|---|---|---|---|---:|---:|---:|---:|");
  for (const { meta, status, counts } of report.controls) {
    out.push(
      `| ${STATUS_LABELS[status].en} | \`${code(meta.id)}\` | ${md(meta.title.en)} / ${md(meta.title.fr)} | ${md(sncReference(meta.snc))} | ${meta.severity} | ${meta.enforcement} | ${counts.pass} | ${counts.fail} | ${counts.waived} | ${counts.notApplicable} |`,
    );
  }
  out.push("");

  const failing = report.controls.filter((c) => c.counts.fail > 0);
  if (failing.length > 0) {
    out.push("## Failures", "");
    const byControl = findingsByControl(report.findings);
    for (const { meta } of failing) {
      out.push(`### \`${code(meta.id)}\` ${md(meta.title.en)} (${meta.enforcement}, ${meta.severity})`, "");
      let listed = 0;
      for (const f of byControl.get(meta.id) ?? []) {
        if (f.status !== "fail") continue;
        if (listed < MAX_LISTED_PER_CONTROL) out.push(`- ${findingLine(f)}`);
        listed++;
      }
      if (listed > MAX_LISTED_PER_CONTROL) out.push(`- … and ${listed - MAX_LISTED_PER_CONTROL} more: see report.html or report.json`);
      out.push("", `Remediation: ${prose(meta.remediation)}`, "");
    }
  }

  const notAssessed = report.controls.filter((c) => c.status === "notAssessed");
  if (notAssessed.length > 0) {
    out.push("## Not assessed", "", "These controls assessed nothing in this input: they are neither compliant nor failing.", "");
    for (const c of notAssessed) out.push(`- \`${code(c.meta.id)}\` ${md(c.meta.title.en)}: ${md(c.notAssessedReason ?? "nothing assessed")}`);
    out.push("");
  }

  if (report.findings.some((f) => f.status === "waived")) {
    out.push("## Waived findings", "", "| Control | Resource | Path | Justification | Approver | Expires |", "|---|---|---|---|---|---|");
    for (const f of report.findings) {
      if (f.status !== "waived") continue;
      const w = f.waiver!;
      out.push(`| \`${code(f.controlId)}\` | ${md(resourceLabel(f.resource))} | ${f.path ? `\`${code(f.path)}\`` : ""} | ${md(w.justification)} | ${md(w.approver)} | ${w.expires} |`);
    }
    out.push("");
  }

  out.push(...waiverSection("Expired waivers (they waive nothing)", report.waivers.filter((w) => w.expired)));
  out.push(...waiverSection("Unused waivers (they match no failing finding)", report.waivers.filter((w) => w.matched === 0)));
}

function waiverSection(title: string, list: readonly WaiverOutcome[]): string[] {
  if (list.length === 0) return [`## ${title}`, "", "None.", ""];
  const out = [`## ${title}`, "", "| Waiver | Control | Selector | Approver | Expires |", "|---|---|---|---|---|"];
  for (const { waiver: w } of list) {
    const selector = Object.entries(w.resource).map(([k, v]) => `${k}=${v}`).join(", ");
    out.push(`| ${md(w.source)} | \`${code(w.control)}\` | \`${code(selector)}\` | ${md(w.approver)} | ${w.expires} |`);
  }
  out.push("");
  return out;
}

function findingLine(f: AuditFinding): string {
  const path = f.path ? ` at \`${code(f.path)}\`` : "";
  const expired = f.expiredWaiver ? ` (waiver ${md(f.expiredWaiver.source)} expired on ${f.expiredWaiver.expires})` : "";
  return `**${md(resourceLabel(f.resource))}**: ${md(f.message)}${path}${expired}`;
}

/** Text in Markdown (tables included): no raw HTML, no table breaks, no emphasis surprises. */
function md(s: string): string {
  return s.replace(/\r?\n/g, " ").replace(/[\\`*_[\]|<>]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : `\\${c}`));
}

/**
 * Prose written with Markdown code spans (remediation texts): the spans are kept as written, so
 * `securityContext.runAsNonRoot: true` renders as code; the text between them is escaped.
 */
export function prose(s: string): string {
  return s
    .replace(/\r?\n/g, " ")
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : md(part)))
    .join("");
}

/** Text inside inline code: backticks cannot be escaped there, so they are replaced. */
function code(s: string): string {
  return s.replace(/\r?\n/g, " ").replace(/`/g, "'").replace(/\|/g, "\\|");
}
