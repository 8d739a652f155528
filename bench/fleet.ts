import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { writeFleetStackFiles } from "../src/fleet/generate";
import { ROOT, runNode, type ProcessSample } from "./render";

/**
 * `socle fleet audit` over N generated tenants (stack files written from the demo stack into a temporary
 * folder), in one fresh process each, as a hoster runs it: for each size its wall time, its CPU time (user +
 * system of the whole process: the main thread and every worker thread) and its peak RSS (the process's
 * maxRSS, all threads), then t(largest)/t(smallest), each beside its budget. The load average is printed
 * before and after each size: on a shared machine the wall time depends on it, the CPU time much less.
 *
 * SOCLE_BENCH_FLEET: comma-separated fleet sizes (default "100,1000"); the ratio is the largest size's time
 * over the smallest's, scaled to the ratio of sizes (budget: 1.1 × linear, i.e. ≤ 11 for 1000/100).
 * SOCLE_BENCH_FLEET_CONCURRENCY: worker threads (default: socle's, one per available core).
 */
export const FLEET_BUDGET = { wallMs1000: 120_000, rssMiB: 2048, linearity: 1.1 };

const APPS = ["identity", "wiki", "docs", "chat", "mail"];

function fleetRun(work: string, n: number, concurrency: number | undefined): ProcessSample {
  const dir = join(work, `fleet-${n}`);
  const stacks = join(dir, "stacks");
  mkdirSync(stacks, { recursive: true });
  const width = String(n).length;
  const tenants = Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(width, "0");
    return { name: `tenant-${id}`, org: `t${id}`, apps: APPS };
  });
  writeFleetStackFiles(ROOT, stacks, "bench-plateforme", tenants);
  try {
    return runNode(
      [join(ROOT, "bin/socle.js"), "fleet", "audit", "--platform", "bench-plateforme", "--stacks-dir", stacks, "--out", join(dir, "out"), "--today", "2026-11-30", ...(concurrency ? ["--concurrency", String(concurrency)] : [])],
      `audit (fleet of ${n})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the fleet figures with `line`; returns false when a budget is missed. */
export function runFleetBench(line: (what: string, figure: string, budget: string, ok: boolean | undefined, note?: string) => void): void {
  const sizes = (process.env.SOCLE_BENCH_FLEET ?? "100,1000")
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
  const concurrency = process.env.SOCLE_BENCH_FLEET_CONCURRENCY ? Math.max(1, Number(process.env.SOCLE_BENCH_FLEET_CONCURRENCY)) : undefined;
  const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
  const work = mkdtempSync(join(tmpdir(), "socle-bench-fleet-"));
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  try {
    console.log(
      `\nfleet: \`socle fleet audit${concurrency ? ` --concurrency ${concurrency}` : ""}\` (${concurrency ?? availableParallelism()} worker threads) over N generated tenants (demo apps each) and their platform, one fresh process per size`,
    );
    const samples = new Map<number, ProcessSample>();
    for (const n of sizes) {
      const before = load();
      const x = fleetRun(work, n, concurrency);
      samples.set(n, x);
      const at1000 = n === 1000;
      line(
        `  fleet of ${n.toLocaleString("en")} (wall)`,
        s(x.wallMs),
        at1000 ? `≤ ${s(FLEET_BUDGET.wallMs1000)}` : "(no budget)",
        at1000 ? x.wallMs <= FLEET_BUDGET.wallMs1000 : undefined,
        `${(x.wallMs / n).toFixed(0)} ms per tenant; load average ${before} before, ${load()} after`,
      );
      line(`  fleet of ${n.toLocaleString("en")} (CPU, all threads)`, s(x.cpuMs), "(no budget)", undefined, `${(x.cpuMs / n).toFixed(0)} ms per tenant`);
      line(`  fleet of ${n.toLocaleString("en")} (peak RSS, all threads)`, `${x.maxRssMiB.toFixed(0)} MiB`, `≤ ${FLEET_BUDGET.rssMiB} MiB`, x.maxRssMiB <= FLEET_BUDGET.rssMiB);
    }
    if (sizes.length >= 2) {
      const small = sizes[0]!;
      const large = sizes[sizes.length - 1]!;
      const ratio = samples.get(large)!.wallMs / samples.get(small)!.wallMs;
      const budget = (large / small) * FLEET_BUDGET.linearity;
      line(`  t(${large}) / t(${small}) (wall)`, `${ratio.toFixed(2)}×`, `≤ ${budget.toFixed(1)}×`, ratio <= budget, `CPU ratio ${(samples.get(large)!.cpuMs / samples.get(small)!.cpuMs).toFixed(2)}×`);
    }
    if (!sizes.includes(1000)) line(`  fleet of 1,000`, "not measured", `≤ ${s(FLEET_BUDGET.wallMs1000)}`, undefined, "set SOCLE_BENCH_FLEET to include 1000");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// `npx tsx bench/fleet.ts`: the fleet figures alone (`npm run bench` runs them after the others).
if (require.main === module) {
  let missed = 0;
  runFleetBench((what, figure, budget, ok, note = "") => {
    if (ok === false) missed++;
    console.log(`${what.padEnd(46)} ${figure.padStart(22)}  ${budget.padEnd(16)} ${ok === undefined ? "" : ok ? "ok" : "OVER BUDGET"}${note ? `  ${note}` : ""}`);
  });
  if (missed > 0) process.exitCode = 1;
}
