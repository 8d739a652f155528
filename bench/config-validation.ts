import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { formatConfigError } from "../src/cli/format";
import { ConfigError, parseConfig } from "../src/config";
import { parseStackFileText } from "../src/config/stack-file";

/**
 * Validation is linear in the size of the stack file: 100,000 unknown keys are refused in under
 * 5 s with a bounded message (budget, not a timed test). Measured twice: through the command line
 * (where the stack file size limit refuses the file before parsing), and in-process through the
 * YAML reader and the config parser (no size limit), at 10,000 and 100,000 keys to show the growth.
 */
const ROOT = resolve(__dirname, "..");
const BUDGET_MS = 5000;
const MESSAGE_BUDGET_BYTES = 16 * 1024;

function stackText(unknownKeys: number): string {
  const lines = ["config:", "  socle:kind: dedicated", "  socle:organization: demo", "  socle:organizationName: Demo", "  socle:domain: demo.socle.test", "  socle:target: existing", "  socle:adminCidrs: [192.0.2.0/24]"];
  for (let i = 0; i < unknownKeys; i++) lines.push(`  socle:unknownKey${i}: ${i}`);
  return lines.join("\n") + "\n";
}

function inProcess(keys: number): { ms: number; bytes: number } {
  const text = stackText(keys);
  const start = performance.now();
  let message = "";
  try {
    const sf = parseStackFileText(text, "stacks/Pulumi.bench.yaml", "bench", "socle");
    parseConfig(sf.socle, { project: "socle", stack: "bench", file: "stacks/Pulumi.bench.yaml", lineOf: sf.lineOf });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    message = formatConfigError(e);
  }
  const ms = performance.now() - start;
  if (!message.includes(`${keys} configuration errors`)) throw new Error(`expected ${keys} errors, got: ${message.slice(0, 200)}`);
  return { ms, bytes: Buffer.byteLength(message) };
}

export function runConfigBench(): boolean {
  let ok = true;
  console.log(`config validation: unknown keys, budget ${BUDGET_MS / 1000} s and ${MESSAGE_BUDGET_BYTES / 1024} KiB of message`);
  for (const keys of [10_000, 100_000]) {
    const r = inProcess(keys);
    const good = r.ms <= BUDGET_MS && r.bytes <= MESSAGE_BUDGET_BYTES;
    ok &&= good;
    console.log(`  in-process ${String(keys).padStart(7)} keys: ${(r.ms / 1000).toFixed(2)} s, message ${r.bytes} bytes ${good ? "ok" : "OVER BUDGET"}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "socle-bench-config-"));
  const file = join(dir, "Pulumi.bench.yaml");
  writeFileSync(file, stackText(100_000));
  const start = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), "render", "bench", "--stack-file", file, "--out", join(dir, "out")], { encoding: "utf8" });
  const ms = performance.now() - start;
  const good = r.status === 2 && ms <= BUDGET_MS && Buffer.byteLength(r.stderr) <= MESSAGE_BUDGET_BYTES;
  ok &&= good;
  console.log(`  command line 100000 keys: exit ${r.status}, ${(ms / 1000).toFixed(2)} s, message ${Buffer.byteLength(r.stderr)} bytes ${good ? "ok" : "OVER BUDGET"}: ${r.stderr.split("\n")[1]?.trim() ?? ""}`);
  return ok;
}

if (require.main === module) {
  if (!runConfigBench()) process.exitCode = 1;
}
