import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { median, renderOnce } from "./render";
import { compareText } from "../src/compare";

/**
 * `npm run bench`: budgets, not timed tests. Each stack in stacks/ is rendered RUNS times in fresh
 * processes; the median wall time and the peak RSS are compared with the budgets. Exit 1 when over.
 */
const RUNS = 5;
const ROOT = resolve(__dirname, "..");
/** Budgets on the 2-core reference machine: the demo (every app) 5 s, any other stack 3 s; 400 MiB peak. */
const BUDGET_MS: Record<string, number> = { demo: 5000 };
const DEFAULT_BUDGET_MS = 3000;
const RSS_BUDGET_MIB = 400;

async function main(): Promise<void> {
  const stacks = readdirSync(join(ROOT, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort((a, b) => (a === "demo" ? -1 : b === "demo" ? 1 : compareText(a, b)));
  let over = false;
  console.log(`render: ${RUNS} runs per stack, fresh process each`);
  console.log(`${"stack".padEnd(40)} ${"median".padStart(9)} ${"budget".padStart(9)} ${"peak RSS".padStart(10)}`);
  for (const stack of stacks) {
    const samples = Array.from({ length: RUNS }, () => renderOnce(stack));
    const med = median(samples.map((s) => s.wallMs));
    const rss = Math.max(...samples.map((s) => s.maxRssMiB));
    const budget = BUDGET_MS[stack] ?? DEFAULT_BUDGET_MS;
    const ok = med <= budget && rss <= RSS_BUDGET_MIB;
    over ||= !ok;
    console.log(`${stack.padEnd(40)} ${(med / 1000).toFixed(2).padStart(8)}s ${(budget / 1000).toFixed(1).padStart(8)}s ${rss.toFixed(0).padStart(6)} MiB ${ok ? "ok" : "OVER BUDGET"}`);
  }
  const auditBench = join(__dirname, "audit.ts");
  if (existsSync(auditBench)) {
    const { runAuditBench } = (await import(auditBench)) as { runAuditBench?: () => Promise<boolean> };
    if (runAuditBench) over = !(await runAuditBench()) || over;
  }
  const { runConfigBench } = (await import(join(__dirname, "config-validation.ts"))) as { runConfigBench: () => boolean };
  over = !runConfigBench() || over;
  if (over) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
