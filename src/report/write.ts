import { closeSync, existsSync, openSync, writeSync } from "node:fs";
import { writeOwnedFiles, type OutputOptions } from "../render/output-dir";
import type { AuditReport } from "../audit/model";
import { REPORT_FILE_NAMES, type ReportFormat } from "./formats";
import { renderHtml, writeHtml } from "./html";
import { renderJson, writeJson } from "./json";
import { renderJunit, writeJunit } from "./junit";
import { renderMarkdown, writeMarkdown } from "./markdown";
import { renderOscal, writeOscal } from "./oscal";
import { renderSarif, writeSarif } from "./sarif";
import { byteSink } from "./sink";

const RENDERERS: Readonly<Record<ReportFormat, (report: AuditReport) => string>> = {
  md: renderMarkdown,
  html: renderHtml,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  oscal: renderOscal,
};

/** Text to write over a placeholder at a byte offset, once the rest of the report is written. */
export interface ReportPatch {
  readonly offset: number;
  readonly text: string;
}

type Streamer = (report: AuditReport, write: (chunk: string) => void) => ReportPatch | void;

/** Every format is written piece by piece (the bytes of its renderer): a report is never one string in memory. */
const STREAMERS: Readonly<Record<ReportFormat, Streamer>> = {
  html: writeHtml,
  json: writeJson,
  junit: writeJunit,
  md: writeMarkdown,
  oscal: writeOscal,
  sarif: writeSarif,
};

/** Writes one format piece by piece into `write`; a returned patch must be written over the bytes at its offset. */
export function streamReport(report: AuditReport, format: ReportFormat, write: (chunk: string) => void): ReportPatch | void {
  return STREAMERS[format](report, write);
}

export function renderReport(report: AuditReport, format: ReportFormat): string {
  return RENDERERS[format](report);
}

/** Writes one report into `file`, piece by piece. */
function writeReportFile(report: AuditReport, format: ReportFormat, file: string): void {
  const fd = openSync(file, "wx");
  try {
    // Chunks are encoded into a buffer written out each time it fills (about 1 MiB).
    const sink = byteSink((bytes) => {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    });
    const patch = streamReport(report, format, sink.write);
    sink.end();
    if (patch) {
      const bytes = Buffer.from(patch.text, "utf8");
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, patch.offset + at);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every format, one at a time (each streamed), into `outDir` through the owned-output rules of
 * src/render/output-dir.ts: a folder socle did not create is refused unless `force`; only the
 * reports socle wrote there before are replaced or removed; each file is written aside and renamed
 * into place; concurrent runs on one folder are serialized by its lock file. Returns the written paths.
 */
export function writeReports(report: AuditReport, formats: readonly ReportFormat[], outDir: string, opts: OutputOptions = {}): string[] {
  const files = formats.map((f) => [REPORT_FILE_NAMES[f], (path: string) => writeReportFile(report, f, path)] as const);
  return writeOwnedFiles(outDir, "audit", files, opts);
}

/** What an audit's report folder must never contain: the repository, the working directory, the inputs (unless socle wrote them there). */
export function auditOutputGuards(paths: { projectDir?: string; inputs: readonly string[] }): OutputOptions["protect"] {
  return [
    ...(paths.projectDir ? [{ path: paths.projectDir, what: "the socle repository" }] : []),
    { path: process.cwd(), what: "the working directory" },
    ...paths.inputs.filter((p) => existsSync(p)).map((p) => ({ path: p, what: "an input of this audit", unlessOwned: true })),
  ];
}
