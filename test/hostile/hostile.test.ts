import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTROLS } from "../../policies/catalog";
import { exitCodeFor, runAuditCommand } from "../../src/audit/command";
import { main } from "../../src/cli/main";
import { CASES, type FileSpec } from "./corpus";

function make(dir: string, files: Readonly<Record<string, FileSpec>>): void {
  for (const [rel, spec] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof spec === "string") writeFileSync(path, spec);
    else if ("dir" in spec) mkdirSync(path);
    else if ("symlink" in spec) symlinkSync(spec.symlink, path);
    else expect(spawnSync("mkfifo", [path]).status).toBe(0);
  }
}

/** Runs the command in-process (a crash would surface as a thrown error, not an exit code). */
async function run(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  if (args[0] === "audit") {
    // The audit command as the CLI runs it (src/cli/audit.ts), with the catalog given in-process.
    const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
    try {
      const code = await runAuditCommand({
        input: args[1]!,
        formats: [],
        outDir: opt("--out")!,
        waiversFile: opt("--waivers"),
        today: opt("--today"),
        controls: CONTROLS,
        log: (l) => (out += l + "\n"),
      });
      return { code, out, err };
    } catch (e) {
      const code = exitCodeFor(e);
      err += code === 2 ? `socle audit: ${(e as Error).message}\n` : String((e as Error).stack);
      return { code, out, err };
    }
  }
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("hostile inputs: exit 2, one clear message, no stack trace, nothing written", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), "socle-hostile-"));
      make(dir, c.files);
      const r = await run(c.args.map((a) => a.replaceAll("{dir}", dir)));
      const all = r.out + r.err;
      expect(r.code, all.slice(0, 2000)).toBe(c.code);
      expect(r.err).toMatch(c.message);
      expect(all).not.toMatch(/\n\s+at .*:\d+:\d+/);
      expect(all).not.toMatch(/internal error/);
      expect(all.length).toBeLessThan(8000);
      if (c.never) expect(all).not.toContain(c.never);
      expect(existsSync(join(dir, "out"))).toBe(false);
    }, 30_000);
  }
});

describe("hostile inputs through the real command line", () => {
  it("a FIFO as stack file and as audit input: exit 2 within the time limit, no hang", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-hostile-cli-"));
    make(dir, { "Pulumi.h.yaml": { fifo: true }, "s.json": { fifo: true } });
    const bin = join(__dirname, "..", "..", "bin", "socle.js");
    for (const args of [["render", "h", "--stack-file", join(dir, "Pulumi.h.yaml"), "--out", join(dir, "out")], ["audit", join(dir, "s.json"), "--out", join(dir, "out")]]) {
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000 });
      expect(r.signal, "the command hung").toBeNull();
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/is not a regular file/);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    }
    expect(existsSync(join(dir, "out"))).toBe(false);
  }, 120_000);
});
