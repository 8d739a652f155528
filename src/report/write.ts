import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { AuditReport } from "../audit/model";
import { REPORT_FILE_NAMES, type ReportFormat } from "./formats";
import { renderHtml } from "./html";
import { renderJson, writeJson } from "./json";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderOscal, writeOscal } from "./oscal";
import { renderSarif } from "./sarif";

const RENDERERS: Readonly<Record<ReportFormat, (report: AuditReport) => string>> = {
  md: renderMarkdown,
  html: renderHtml,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  oscal: renderOscal,
};

/** Formats written piece by piece (same bytes as their renderer): never one string in memory. */
const STREAMERS: Partial<Readonly<Record<ReportFormat, (report: AuditReport, write: (chunk: string) => void) => void>>> = {
  json: writeJson,
  oscal: writeOscal,
};

export function renderReport(report: AuditReport, format: ReportFormat): string {
  return RENDERERS[format](report);
}

/** Writes one report into `file`: streamed when the format allows, else rendered then written. */
function writeReportFile(report: AuditReport, format: ReportFormat, file: string): void {
  const stream = STREAMERS[format];
  if (!stream) {
    writeFileSync(file, renderReport(report, format));
    return;
  }
  const fd = openSync(file, "wx");
  try {
    // Chunks are batched into writes of about 1 MiB.
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      if (pending.length) {
        const bytes = Buffer.from(pending.join(""), "utf8");
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      }
      pending = [];
      size = 0;
    };
    stream(report, (chunk) => {
      pending.push(chunk);
      size += chunk.length;
      if (size >= 1 << 20) flush();
    });
    flush();
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every format, one at a time, into a temporary folder inside `outDir`, then moves them in
 * place. A failure at any step leaves `outDir` as it was: reports already moved are taken back, the
 * previous files restored, and a folder this call created is removed. Returns the written paths.
 */
export function writeReports(report: AuditReport, formats: readonly ReportFormat[], outDir: string): string[] {
  const names = formats.map((f) => [f, REPORT_FILE_NAMES[f]] as const);
  const created = !existsSync(outDir);
  mkdirSync(outDir, { recursive: true });
  const tmp = mkdtempSync(join(outDir, ".socle-audit-"));
  const moved: { target: string; backup?: string }[] = [];
  try {
    for (const [format, name] of names) writeReportFile(report, format, join(tmp, name));
    for (const [, name] of names) {
      const target = join(outDir, name);
      const entry: { target: string; backup?: string } = { target };
      if (existsSync(target)) {
        if (statSync(target).isDirectory()) throw new Error(`${target} is a folder: remove it or choose another output folder`);
        entry.backup = join(tmp, `previous-${name}`);
        renameSync(target, entry.backup);
      }
      moved.push(entry);
      renameSync(join(tmp, name), target);
    }
    return moved.map((m) => m.target);
  } catch (e) {
    for (const m of moved.reverse()) {
      rmSync(m.target, { force: true });
      if (m.backup) renameSync(m.backup, m.target);
    }
    rmSync(tmp, { recursive: true, force: true });
    if (created) {
      try {
        rmdirSync(outDir); // only when empty: never removes what this call did not write
      } catch {
        // not empty or already gone: left as it is
      }
    }
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
