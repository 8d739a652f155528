import { CONTROLS } from "../policies/catalog";
import { loadInput } from "../src/audit/inputs/load";
import { runAudit } from "../src/audit/run";
import { REPORT_FORMATS } from "../src/report/formats";
import { renderReport } from "../src/report/write";
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function main() {
  const f = process.argv[2]!;
  let c = cpu();
  const input = await loadInput(f, { today: "2025-06-01" });
  const result = runAudit(CONTROLS, input.views, input.context);
  console.log("load+audit", (cpu() - c).toFixed(0), "rss", process.memoryUsage().rss >> 20);
  const report = { ...result, tool: { name: "socle", version: "bench" }, input: { kind: input.kind, path: "state.json" }, stack: input.stack, today: "2025-06-01", context: input.context, lines: input.lines };
  for (const fmt of REPORT_FORMATS) {
    (globalThis as any).gc?.();
    c = cpu();
    const s = renderReport(report as any, fmt);
    console.log(fmt, (cpu() - c).toFixed(0), "ms", (s.length / 1e6).toFixed(0), "MB", "rss", process.memoryUsage().rss >> 20, "maxrss", process.resourceUsage().maxRSS >> 10);
  }
}
main();
