import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WorkerJobError, WorkerPool } from "../../src/fleet/pool";
import type { Progress } from "../../src/fleet/progress";
import { runFleet } from "../../src/fleet/run";
import { fleetStackFiles } from "./stacks";

const FAKE = join(__dirname, "workers", "fake-stack.js");
const ROOT = join(__dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "socle-fleet-pool-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Answer {
  readonly threadId: number;
  readonly start: number;
  readonly end: number;
}

/** The largest number of jobs whose [start, end] intervals overlap. */
function maxOverlap(answers: readonly Answer[]): number {
  const events = answers.flatMap((a) => [[a.start, 1] as const, [a.end, -1] as const]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (now += d));
  return max;
}

describe("fleet worker pool", () => {
  it("never runs more than its size at once, in at most that many threads, and runs every job once", async () => {
    for (const size of [1, 3]) {
      const pool = new WorkerPool<{ stack: string; delayMs: number; platformState: string }, Answer>(size, { script: FAKE });
      try {
        const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => pool.run({ stack: `tenant-${i}`, delayMs: 40, platformState: "x" }, `tenant-${i}`)));
        expect(answers).toHaveLength(9);
        expect(new Set(answers.map((a) => a.threadId)).size).toBeLessThanOrEqual(size);
        expect(pool.started).toBe(size);
        expect(maxOverlap(answers)).toBeLessThanOrEqual(size);
        if (size > 1) expect(maxOverlap(answers)).toBeGreaterThan(1);
      } finally {
        await pool.close();
      }
    }
  });

  it("fails only the job of a worker that stops or errs, replaces the worker, and finishes the others", async () => {
    const pool = new WorkerPool<{ stack: string }, Answer>(2, { script: FAKE });
    try {
      const stacks = ["tenant-a", "tenant-b-crash", "tenant-c", "tenant-d-exit", "tenant-e-bug", "tenant-f", "tenant-g"];
      const settled = await Promise.allSettled(stacks.map((stack) => pool.run({ stack }, stack)));
      const failed = settled.flatMap((s, i) => (s.status === "rejected" ? [[stacks[i], (s.reason as Error).message] as const] : []));
      expect(failed).toEqual([
        ["tenant-b-crash", "the worker thread stopped while on tenant-b-crash (Error: planted crash on tenant-b-crash)"],
        ["tenant-d-exit", "the worker thread stopped while on tenant-d-exit (exit code 7)"],
        ["tenant-e-bug", "TypeError: planted bug on tenant-e-bug"],
      ]);
      const bug = settled[4] as PromiseRejectedResult;
      expect(bug.reason).toBeInstanceOf(WorkerJobError);
      expect((bug.reason as WorkerJobError).detail).toContain("at fake-stack.js");
      expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(4);
      // Two workers to start with, and a new one for a stopped one while jobs are still queued (the first crash
      // comes with five jobs queued; the second may come when none is left to run).
      expect(pool.started).toBeGreaterThanOrEqual(3);
      expect(pool.started).toBeLessThanOrEqual(4);
    } finally {
      await pool.close();
    }
  });
});

describe("runFleet over worker threads", () => {
  const silent = (): Progress & { lines: string[] } => {
    const lines: string[] = [];
    return { lines, start: () => undefined, tick: (stack, line) => void lines.push(`${stack}: ${line}`), stop: () => undefined };
  };

  it("reports a stack whose worker stops as an internal error (exit 3), renders the others and does not hang", async () => {
    const stacks = join(work, "crash", "stacks");
    mkdirSync(stacks, { recursive: true });
    fleetStackFiles(stacks, "plateforme", [
      { name: "tenant-a", org: "a", apps: ["wiki"] },
      { name: "tenant-b-crash", org: "b", apps: ["wiki"] },
      { name: "tenant-c", org: "c", apps: ["wiki"] },
      { name: "tenant-d-bug", org: "d", apps: ["wiki"] },
    ]);
    const progress = silent();
    const errors: string[] = [];
    const outcome = await runFleet({
      root: ROOT,
      platform: "plateforme",
      mode: "render",
      concurrency: 2,
      stacksDir: stacks,
      outRoot: join(work, "crash", "out"),
      progress,
      out: () => undefined,
      err: (s) => void errors.push(s),
      workerScript: FAKE,
    });
    expect(outcome.code).toBe(3);
    expect(outcome.report.tenants.map((t) => [t.stack, t.render])).toEqual([
      ["plateforme", "ok"],
      ["tenant-a", "ok"],
      ["tenant-b-crash", "error"],
      ["tenant-c", "ok"],
      ["tenant-d-bug", "error"],
    ]);
    expect(outcome.report.tenants[2]!.error).toBe("the worker thread stopped while on tenant-b-crash (Error: planted crash on tenant-b-crash)");
    expect(progress.lines).toHaveLength(5);
    expect(progress.lines).toContain("tenant-b-crash: internal error (the worker thread stopped while on tenant-b-crash (Error: planted crash on tenant-b-crash))");
    expect(errors.join("")).toContain("socle fleet render: internal error on tenant-d-bug: TypeError: planted bug on tenant-d-bug\n    at fake-stack.js");
    expect(outcome.report.notes.join("\n")).toContain("does not cover 2 stack(s) that did not render: tenant-b-crash, tenant-d-bug");
    expect(outcome.workers).toBeLessThanOrEqual(3);
  });

  it("writes the same fleet report whatever order the stacks finish in (a slow first tenant finishes last)", async () => {
    const stacks = join(work, "order", "stacks");
    mkdirSync(stacks, { recursive: true });
    fleetStackFiles(stacks, "plateforme", [
      { name: "tenant-a-slow", org: "a", apps: ["wiki"] },
      { name: "tenant-b", org: "b", apps: ["wiki"] },
      { name: "tenant-c", org: "c", apps: ["wiki"] },
    ]);
    const reports = await Promise.all(
      [1, 3].map(async (concurrency) => {
        const progress = silent();
        const outRoot = join(work, "order", `out-${concurrency}`);
        const outcome = await runFleet({ root: ROOT, platform: "plateforme", mode: "render", concurrency, stacksDir: stacks, outRoot, progress, out: () => undefined, workerScript: FAKE });
        expect(outcome.code).toBe(0);
        return { ticks: progress.lines.map((l) => l.slice(0, l.indexOf(":"))), json: readFileSync(join(outRoot, "fleet", "plateforme", "fleet-report.json"), "utf8") };
      }),
    );
    expect(reports[0]!.ticks).toEqual(["plateforme", "tenant-a-slow", "tenant-b", "tenant-c"]);
    const ticks = reports[1]!.ticks;
    expect([ticks[0], [ticks[1], ticks[2]].sort(), ticks[3]]).toEqual(["plateforme", ["tenant-b", "tenant-c"], "tenant-a-slow"]);
    // The fake worker's timing fields aside, the same bytes.
    const timeless = (json: string) => json.replace(/\n\s*"(threadId|start|end)": \d+,?/g, "").replace(/,(\n\s*})/g, "$1");
    expect(timeless(reports[1]!.json)).toBe(timeless(reports[0]!.json));
    expect(JSON.parse(reports[1]!.json).tenants.map((t: { stack: string }) => t.stack)).toEqual(["plateforme", "tenant-a-slow", "tenant-b", "tenant-c"]);
  });

  it("starts no more threads than --concurrency nor than stacks", async () => {
    const stacks = join(work, "bounds", "stacks");
    mkdirSync(stacks, { recursive: true });
    fleetStackFiles(stacks, "plateforme", [
      { name: "tenant-a", org: "a", apps: ["wiki"] },
      { name: "tenant-b", org: "b", apps: ["wiki"] },
    ]);
    for (const [concurrency, workers] of [[1, 1], [2, 2], [8, 3]] as const) {
      const outcome = await runFleet({ root: ROOT, platform: "plateforme", mode: "render", concurrency, stacksDir: stacks, outRoot: join(work, "bounds", `out-${concurrency}`), progress: silent(), out: () => undefined, workerScript: FAKE });
      expect(outcome.code).toBe(0);
      expect(outcome.workers).toBe(workers);
      const threads = new Set(outcome.report.tenants.map((t) => (t as unknown as Answer).threadId));
      expect(threads.size).toBeLessThanOrEqual(concurrency);
    }
  });
});
