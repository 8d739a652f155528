/**
 * One audit measurement of `npm run bench`, in a fresh process (run by bench/audit.ts through tsx):
 * loads the control catalog, warms the JIT up on a small generated state, then times RUNS passes of
 * the audit's work (load the file, run every control) on the given state file and prints them as JSON.
 * Start-up (module loading, JIT warm-up) is left out of the timings; a full GC runs before each pass
 * when `--expose-gc` is given, so one pass's garbage is not billed to the next.
 *
 * Usage: node --expose-gc --require tsx/cjs bench/audit-work.ts <state.json> <warm-up state.json> <runs>
 */
import { performance } from "node:perf_hooks";
import { CONTROLS } from "../policies/catalog";
import { loadInput } from "../src/audit/inputs/load";
import { runAudit } from "../src/audit/run";

async function main(file: string, warmFile: string, runs: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    const warm = await loadInput(warmFile, { today: "2025-06-01" });
    runAudit(CONTROLS, warm.views, warm.context);
  }
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const samples: { load: number; audit: number; loadCpu: number; auditCpu: number; resources: number; findings: number }[] = [];
  for (let i = 0; i < runs; i++) {
    gc?.();
    const [t0, c0] = [performance.now(), cpu()];
    const input = await loadInput(file, { today: "2025-06-01" });
    const [t1, c1] = [performance.now(), cpu()];
    const result = runAudit(CONTROLS, input.views, input.context);
    const [t2, c2] = [performance.now(), cpu()];
    samples.push({ load: t1 - t0, audit: t2 - t1, loadCpu: c1 - c0, auditCpu: c2 - c1, resources: input.views.length, findings: result.findings.length });
  }
  process.stdout.write(JSON.stringify({ samples, maxRssKiB: process.resourceUsage().maxRSS }) + "\n");
}

const [file, warmFile, runs] = process.argv.slice(2);
main(file!, warmFile!, Number(runs ?? 3)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 2;
});
