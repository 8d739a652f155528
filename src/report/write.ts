import { existsSync } from "node:fs";
import { writeOwnedFiles, type OutputOptions } from "../render/output-dir";
import type { AuditReport } from "../audit/model";
import { REPORT_FILE_NAMES, type ReportFormat } from "./formats";
import { renderHtml } from "./html";
import { renderJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderOscal } from "./oscal";
import { renderSarif } from "./sarif";

const RENDERERS: Readonly<Record<ReportFormat, (report: AuditReport) => string>> = {
  md: renderMarkdown,
  html: renderHtml,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  oscal: renderOscal,
};

export function renderReport(report: AuditReport, format: ReportFormat): string {
  return RENDERERS[format](report);
}

/**
 * Renders every format in memory, then writes them into `outDir` through the owned-output rules of
 * src/render/output-dir.ts: a folder socle did not create is refused unless `force`; only the
 * reports socle wrote there before are replaced or removed; each file is written aside and renamed
 * into place; concurrent runs on one folder are serialized by its lock file. Returns the written paths.
 */
export function writeReports(report: AuditReport, formats: readonly ReportFormat[], outDir: string, opts: OutputOptions = {}): string[] {
  const rendered = formats.map((f) => [REPORT_FILE_NAMES[f], renderReport(report, f)] as const);
  return writeOwnedFiles(outDir, "audit", rendered, opts);
}

/** What an audit's report folder must never contain: the repository, the working directory, the inputs (unless socle wrote them there). */
export function auditOutputGuards(paths: { projectDir?: string; inputs: readonly string[] }): OutputOptions["protect"] {
  return [
    ...(paths.projectDir ? [{ path: paths.projectDir, what: "the socle repository" }] : []),
    { path: process.cwd(), what: "the working directory" },
    ...paths.inputs.filter((p) => existsSync(p)).map((p) => ({ path: p, what: "an input of this audit", unlessOwned: true })),
  ];
}
