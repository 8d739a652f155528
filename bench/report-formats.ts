/**
 * The report writers' part of `npm run bench`, in a fresh process (run by bench/index.ts through tsx):
 * loads a state and audits it once, then writes each report format into a file, one after the other,
 * as `socle audit` does. For each format it prints the CPU time of the writing and how far the resident
 * memory rose above what the audit already held (sampled while the format is written): a writer that
 * builds its whole text, or a list of every finding's output, shows here first.
 *
 * Usage: node --expose-gc --require tsx/cjs bench/report-formats.ts <state.json> <out folder>
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CONTROLS } from "../policies/catalog";
import { DEFAULT_GATE } from "../src/audit/gate";
import { loadInput } from "../src/audit/inputs/load";
import type { AuditReport } from "../src/audit/model";
import { runAudit } from "../src/audit/run";
import { toolInfo } from "../src/audit/tool";
import { REPORT_FILE_NAMES, REPORT_FORMATS, type ReportFormat } from "../src/report/formats";
import { byteSink } from "../src/report/sink";
import { streamReport } from "../src/report/write";

export interface FormatSample {
  readonly format: ReportFormat;
  readonly cpuMs: number;
  /** Peak resident memory while writing, above the resident memory before (MiB). */
  readonly rssRiseMiB: number;
  readonly bytes: number;
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main(file: string, outDir: string): Promise<void> {
  const today = "2026-11-30";
  const input = await loadInput(file, { today });
  const result = runAudit(CONTROLS, input.views, input.context);
  const report: AuditReport = { ...result, tool: toolInfo(), input: { kind: input.kind, path: input.path }, stack: input.stack, today, context: input.context, lines: input.lines, gate: DEFAULT_GATE };
  mkdirSync(outDir, { recursive: true });
  const samples: FormatSample[] = [];
  for (const format of REPORT_FORMATS) {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage.rss();
    let peak = before;
    let chunks = 0;
    let bytes = 0;
    const fd = openSync(join(outDir, REPORT_FILE_NAMES[format]), "w");
    const c0 = cpu();
    const sink = byteSink((b) => {
      bytes += b.length;
      for (let at = 0; at < b.length; ) at += writeSync(fd, b, at, b.length - at);
    });
    const patch = streamReport(report, format, (chunk) => {
      sink.write(chunk);
      if (++chunks % 4096 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    });
    sink.end();
    if (patch) writeSync(fd, Buffer.from(patch.text), 0, Buffer.byteLength(patch.text), patch.offset);
    const cpuMs = cpu() - c0;
    closeSync(fd);
    peak = Math.max(peak, process.memoryUsage.rss());
    samples.push({ format, cpuMs, rssRiseMiB: (peak - before) / 2 ** 20, bytes });
  }
  process.stdout.write(JSON.stringify({ findings: result.findings.length, samples }) + "\n");
}

const [file, outDir] = process.argv.slice(2);
main(file!, outDir!).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 2;
});
