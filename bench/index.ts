import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { auditCold, auditWork, formatWork, medianOf, writeState, type WorkSample } from "./audit";
import { runConfigBench } from "./config-validation";
import { runFleetBench } from "./fleet";
import { floorOnce, renderOnce, ROOT, type ProcessSample } from "./render";

/**
 * `npm run bench`: budgets, not timed tests (not part of `npm test`). Every figure is printed beside
 * its budget; the exit code is 1 only when a budget is missed.
 *
 * The machine may be shared: where its load would decide, the budget is a ratio of two things measured
 * side by side in this run (the render's CPU against the floor program's, the audit's work at 100k
 * against its work at 10k), and times are CPU times of the process doing the work. Wall-clock budgets
 * (render ≤ 1.5 s, cold audit ≤ 0.5 s, six formats ≤ 8 s) are those of a quiet 2-core machine: on a
 * loaded one they are printed with the CPU time beside them, so a reader can tell load from slowness.
 *
 * SOCLE_BENCH_RUNS (default 5) sets the number of fresh-process runs per render measurement; the argument
 * `render` (`npx tsx bench/index.ts render`) runs the render part alone.
 */
const RUNS = Math.max(1, Number(process.env.SOCLE_BENCH_RUNS ?? 5));
/** `npx tsx bench/index.ts render`: the render part alone. */
const RENDER_ONLY = process.argv.slice(2).includes("render");

const BUDGET = {
  /** Demo render CPU over the floor program's CPU, medians of the same run. */
  demoCpuRatio: 1.2,
  /** Median wall time of `socle render <stack>`, every stack. */
  renderWallMs: 1500,
  renderRssMiB: 400,
  /** Median wall time of a cold `socle audit` of the demo state (every format). */
  coldAuditWallMs: 500,
  /** Resources per second of the audit's work (controls, waivers, totals) at 50,000 resources. */
  auditPerSecond: 50_000,
  /** Audit work at 100,000 resources over the work at 10,000 (10 would be linear). */
  growth: 11,
  /** All six report formats for 100,000 resources, fresh process. */
  formatsWallMs: 8000,
  formatsRssMiB: 1024,
};

let missed = 0;
function line(what: string, figure: string, budget: string, ok: boolean | undefined, note = ""): void {
  if (ok === false) missed++;
  const verdict = ok === undefined ? "" : ok ? "ok" : "OVER BUDGET";
  console.log(`${what.padEnd(46)} ${figure.padStart(22)}  ${budget.padEnd(16)} ${verdict}${note ? `  ${note}` : ""}`);
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A tenant stack's platform stack (the last segment of `socle:platformStack`), or undefined. */
function platformOf(stack: string): string | undefined {
  const config = (parse(readFileSync(join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
  const ref = config["socle:platformStack"];
  return config["socle:kind"] === "tenant" && typeof ref === "string" ? ref.split("/").pop() : undefined;
}

/** Every example stack: the demo first, tenants after the platforms they render against. */
function stacks(): string[] {
  const rank = (x: string) => (x === "demo" ? 0 : platformOf(x) ? 2 : 1);
  return readdirSync(join(ROOT, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((x): x is string => !!x)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function renderBench(work: string): string {
  console.log(`\nrender: ${RUNS} fresh-process runs per stack, each followed by a run of the floor program (bench/floor.js: the stack's`);
  console.log(`resource tree and inputs replayed through the SDK's setMocks with trivial mocks); medians. The render's CPU includes`);
  console.log(`writing its output (state.json, manifests, files), which the floor does not do: the ratio without it is printed below it`);
  let demoState = "";
  for (const stack of stacks()) {
    const out = join(work, "render", stack);
    // A tenant renders against its platform's state, rendered earlier in this run (docs/render.md, "Tenant stacks").
    const platform = platformOf(stack);
    const args = platform ? ["--platform-state", join(work, "render", platform, "state.json")] : [];
    renderOnce(stack, out, args); // warm-up (socle's compiled-TypeScript cache) and the floor program's input
    const state = join(out, "state.json");
    if (stack === "demo") demoState = state;
    const renders: ProcessSample[] = [];
    const floors: ProcessSample[] = [];
    const bareFloors: ProcessSample[] = [];
    for (let i = 0; i < RUNS; i++) {
      renders.push(renderOnce(stack, join(work, "render-runs", stack), args));
      floors.push(floorOnce(state));
      if (stack === "demo") bareFloors.push(floorOnce(state, false));
    }
    const wall = medianOf(renders, (x) => x.wallMs);
    const cpu = medianOf(renders, (x) => x.cpuMs);
    const floorCpu = medianOf(floors, (x) => x.cpuMs);
    const ratio = cpu / floorCpu;
    const rss = Math.max(...renders.map((x) => x.maxRssMiB));
    console.log(`  ${stack}`);
    line(`    render wall (median)`, s(wall), `≤ ${s(BUDGET.renderWallMs)}`, wall <= BUDGET.renderWallMs, `CPU ${s(cpu)}`);
    line(
      `    render CPU / floor CPU`,
      `${ratio.toFixed(2)}× (${s(cpu)}/${s(floorCpu)})`,
      stack === "demo" ? `≤ ${BUDGET.demoCpuRatio}×` : "(no budget)",
      stack === "demo" ? ratio <= BUDGET.demoCpuRatio : undefined,
      `floor wall ${s(medianOf(floors, (x) => x.wallMs))}`,
    );
    if (bareFloors.length) {
      const bare = medianOf(bareFloors, (x) => x.cpuMs);
      line(`    same, floor without component inputs`, `${(cpu / bare).toFixed(2)}× (${s(cpu)}/${s(bare)})`, "(no budget)", undefined, "the floor before it replayed components' inputs");
    }
    // The floor writes nothing: the render's CPU without its output (state, manifests, files), for comparison.
    const outputCpu = medianOf(renders, (x) => x.outputCpuMs ?? NaN);
    line(`    same, render without writing its output`, `${((cpu - outputCpu) / floorCpu).toFixed(2)}×`, "(no budget)", undefined, `output ${s(outputCpu)} CPU (state.json, manifests, files)`);
    line(`    render peak RSS (max)`, `${rss.toFixed(0)} MiB`, `≤ ${BUDGET.renderRssMiB} MiB`, rss <= BUDGET.renderRssMiB);
  }
  return demoState;
}

function auditBench(work: string, demoState: string): void {
  console.log(`\naudit`);
  if (demoState && existsSync(demoState)) {
    const cold = Array.from({ length: RUNS }, () => auditCold(demoState, join(work, "audit-demo"), ["--waivers", join(ROOT, "waivers/demo.yaml"), "--today", "2026-11-30"]));
    const wall = medianOf(cold, (x) => x.wallMs);
    line(`  cold \`socle audit\` of the demo (median)`, s(wall), `≤ ${s(BUDGET.coldAuditWallMs)}`, wall <= BUDGET.coldAuditWallMs, `CPU ${s(medianOf(cold, (x) => x.cpuMs))}`);
  }

  // The audit's work, start-up left out: a fresh process per size, JIT warmed up, median of 3 passes.
  const warm = writeState(work, 2_000);
  const files = new Map<number, string>();
  const work_ = new Map<number, WorkSample[]>();
  for (const n of [10_000, 50_000, 100_000]) {
    files.set(n, writeState(work, n));
    work_.set(n, auditWork(files.get(n)!, warm, 3));
  }
  for (const [n, samples] of work_) {
    const auditCpu = medianOf(samples, (x) => x.auditCpu);
    const loadCpu = medianOf(samples, (x) => x.loadCpu);
    const rate = n / (auditCpu / 1000);
    line(
      `  audit ${n.toLocaleString("en")} resources`,
      `${Math.round(rate).toLocaleString("en")}/s`,
      n === 50_000 ? `≥ ${BUDGET.auditPerSecond.toLocaleString("en")}/s` : "(no budget)",
      n === 50_000 ? rate >= BUDGET.auditPerSecond : undefined,
      `controls+waivers+totals ${auditCpu.toFixed(0)} ms CPU (wall ${medianOf(samples, (x) => x.audit).toFixed(0)} ms); load ${loadCpu.toFixed(0)} ms CPU; ${Math.round(n / ((auditCpu + loadCpu) / 1000)).toLocaleString("en")}/s with load`,
    );
  }
  const workOf = (n: number) => medianOf(work_.get(n)!, (x) => x.auditCpu + x.loadCpu);
  const growth = workOf(100_000) / workOf(10_000);
  line(`  work at 100k / work at 10k (load + audit)`, `${growth.toFixed(1)}×`, `≤ ${BUDGET.growth}×`, growth <= BUDGET.growth, `audit alone ${(medianOf(work_.get(100_000)!, (x) => x.auditCpu) / medianOf(work_.get(10_000)!, (x) => x.auditCpu)).toFixed(1)}×`);

  const all = auditCold(files.get(100_000)!, join(work, "audit-100k"));
  line(`  six formats, 100,000 resources (wall)`, s(all.wallMs), `≤ ${s(BUDGET.formatsWallMs)}`, all.wallMs <= BUDGET.formatsWallMs, `CPU ${s(all.cpuMs)}; one run`);
  line(`  six formats, 100,000 resources (peak RSS)`, `${all.maxRssMiB.toFixed(0)} MiB`, `≤ ${BUDGET.formatsRssMiB} MiB`, all.maxRssMiB <= BUDGET.formatsRssMiB);
  // Where the report writing goes, format by format (no budget: the figures above are the budgets).
  const formats = formatWork(files.get(100_000)!, join(work, "formats-100k"));
  const writing = formats.samples.reduce((n, x) => n + x.cpuMs, 0);
  for (const x of formats.samples) {
    line(`    ${x.format} (${(x.bytes / 2 ** 20).toFixed(0)} MiB)`, `${x.cpuMs.toFixed(0)} ms CPU`, "(no budget)", undefined, `${((100 * x.cpuMs) / writing).toFixed(0)}% of the writing; resident memory +${x.rssRiseMiB.toFixed(0)} MiB while written`);
  }
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), "socle-bench-"));
  try {
    console.log(`npm run bench: node ${process.version}, ${require("node:os").cpus().length} CPUs, load average ${require("node:os").loadavg()[0].toFixed(1)}`);
    const demoState = renderBench(work);
    if (!RENDER_ONLY) {
      auditBench(work, demoState);
      console.log("");
      if (!runConfigBench()) missed++;
      runFleetBench(line);
    }
    console.log(`\n${missed === 0 ? "every budget met" : `${missed} budget(s) missed`} (load average now ${require("node:os").loadavg()[0].toFixed(1)})`);
    if (missed > 0) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  console.error(err);
  process.exitCode = 2;
}


