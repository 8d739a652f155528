import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
 * Renders every format in memory, writes them into a temporary folder inside `outDir`, then moves
 * them in place. A failure at any step leaves `outDir` as it was: reports already moved are taken
 * back and the previous files restored. Returns the written paths.
 */
export function writeReports(report: AuditReport, formats: readonly ReportFormat[], outDir: string): string[] {
  const rendered = formats.map((f) => [REPORT_FILE_NAMES[f], renderReport(report, f)] as const);
  mkdirSync(outDir, { recursive: true });
  const tmp = mkdtempSync(join(outDir, ".socle-audit-"));
  const moved: { target: string; backup?: string }[] = [];
  try {
    for (const [name, text] of rendered) writeFileSync(join(tmp, name), text);
    for (const [name] of rendered) {
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
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
