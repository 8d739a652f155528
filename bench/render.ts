import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..");

export interface ProcessSample {
  readonly wallMs: number;
  /** User + system CPU time of the child process itself. */
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  /**
   * CPU time a render spent after its program's run: building state.json, the manifests and the other
   * files, and writing them (marks set by src/render/render.ts). The floor program writes nothing.
   */
  readonly outputCpuMs?: number;
}

/**
 * Runs `node <args>` in a fresh process, as a user runs it, and reads the child's own CPU time and
 * peak RSS (the child writes them to SOCLE_USAGE_FILE: bin/socle.js and bench/floor.js both do).
 */
export function runNode(args: readonly string[], what: string): ProcessSample {
  const dir = mkdtempSync(join(tmpdir(), "socle-bench-"));
  const usageFile = join(dir, "usage.json");
  try {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SOCLE_USAGE_FILE: usageFile } });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0 && !(what.startsWith("audit") && r.status === 1)) throw new Error(`${what} failed (${r.status}): ${r.stderr}`);
    const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { maxRSS: number; cpuMicros?: number; marks?: Record<string, number | undefined> };
    const ran = usage.marks?.["socle:render:program-run"];
    const written = usage.marks?.["socle:render:written"];
    const outputCpuMs = ran !== undefined && written !== undefined ? (written - ran) / 1000 : undefined;
    return { wallMs, cpuMs: (usage.cpuMicros ?? NaN) / 1000, maxRssMiB: usage.maxRSS / 1024, ...(outputCpuMs !== undefined ? { outputCpuMs } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `socle render <stack> --out <outDir> [args]` in a fresh process (a tenant: `--platform-state <file>`). */
export const renderOnce = (stack: string, outDir: string, args: readonly string[] = []): ProcessSample =>
  runNode([join(ROOT, "bin/socle.js"), "render", stack, "--out", outDir, ...args], `render ${stack}`);

/**
 * The floor program (bench/floor.js): the same resource tree and inputs through the SDK's `setMocks`;
 * `componentInputs: false` replays components with no inputs, as the floor did before (see its header).
 */
export const floorOnce = (stateFile: string, componentInputs = true): ProcessSample =>
  runNode([join(ROOT, "bench/floor.js"), stateFile, ...(componentInputs ? [] : ["--no-component-inputs"])], "floor program");

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
