import type { AuditReport, WaiverOutcome } from "../audit/model";
import { streamed, writePrettyObject } from "./json-stream";

/** Version of the report.json layout documented in schemas/report.schema.json. */
export const JSON_REPORT_VERSION = 1;

/** report.json: the whole audit, machine-readable; see schemas/report.schema.json and docs/report-format.md. */
export function renderJson(report: AuditReport): string {
  const parts: string[] = [];
  writeJson(report, (chunk) => parts.push(chunk));
  return parts.join("");
}

/**
 * report.json written piece by piece (the bytes of `renderJson`): findings are mapped and stringified one
 * at a time, so a large audit never holds the whole document, or a copy of its findings, in memory.
 */
export function writeJson(report: AuditReport, write: (chunk: string) => void): void {
  const ctx = report.context;
  writePrettyObject(
    [
      ["reportVersion", JSON_REPORT_VERSION],
      ["tool", { name: report.tool.name, version: report.tool.version }],
      ["date", report.today],
      ["input", { kind: report.input.kind, path: report.input.path }],
      ["waiverFile", report.waiverFile ?? null],
      ["stack", report.stack],
      [
        "context",
        {
          allowedRegions: ctx.allowedRegions,
          allowedRegistries: ctx.allowedRegistries,
          minLogRetentionDays: ctx.minLogRetentionDays,
          declaredLoadBalancers: ctx.declaredLoadBalancers,
          provider: ctx.provider ?? null,
          hasStackMetadata: ctx.hasStackMetadata,
        },
      ],
      ["result", report.passed ? "pass" : "fail"],
      ["totals", report.totals],
      ["chapters", report.chapters.map((c) => ({ chapter: c.chapter, title: c.title, controls: c.controls, counts: c.counts, score: c.score }))],
      [
        "controls",
        report.controls.map(({ meta, status, counts, notAssessedReason }) => ({
          id: meta.id,
          title: meta.title,
          snc: meta.snc,
          severity: meta.severity,
          enforcement: meta.enforcement,
          rationale: meta.rationale,
          remediation: meta.remediation,
          evidence: meta.evidence,
          status,
          counts,
          ...(notAssessedReason !== undefined ? { notAssessedReason } : {}),
        })),
      ],
      ["findings", streamed(findingEntries(report))],
      ["waivers", report.waivers.map(waiverEntry)],
      ["unusedWaivers", report.waivers.filter((w) => w.matched === 0).map(waiverEntry)],
      ["expiredWaivers", report.waivers.filter((w) => w.expired).map(waiverEntry)],
    ],
    (chunk) => write(chunk),
  );
  write("\n");
}

function* findingEntries(report: AuditReport) {
  for (const f of report.findings) {
    yield {
      controlId: f.controlId,
      status: f.status,
      resource: f.resource,
      message: f.message,
      path: f.path ?? null,
      ...(f.waiver ? { waiver: f.waiver } : {}),
      ...(f.expiredWaiver ? { expiredWaiver: f.expiredWaiver } : {}),
    };
  }
}

function waiverEntry(o: WaiverOutcome) {
  const w = o.waiver;
  return {
    control: w.control,
    resource: w.resource,
    justification: w.justification,
    approver: w.approver,
    expires: w.expires,
    source: w.source,
    expired: o.expired,
    matched: o.matched,
  };
}
