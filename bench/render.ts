import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

export interface RenderSample {
  readonly wallMs: number;
  readonly maxRssMiB: number;
}

/** Renders a stack in a fresh `node` process, as a user runs it, and reads the child's own peak RSS. */
export function renderOnce(stack: string): RenderSample {
  const dir = mkdtempSync(join(tmpdir(), "socle-bench-"));
  const usageFile = join(dir, "usage.json");
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), "render", stack, "--out", join(dir, "out")], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, SOCLE_USAGE_FILE: usageFile },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`render ${stack} failed (${r.status}): ${r.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { maxRSS: number };
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, maxRssMiB: usage.maxRSS / 1024 };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
