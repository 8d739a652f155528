import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareText } from "../../src/compare";
import { ROOT } from "../helpers/render";

/** Node's ICU follows LC_ALL even without the system locale installed: these environments really reorder localeCompare. */
const ENVIRONMENTS: readonly Record<string, string>[] = [
  { LC_ALL: "C", LANG: "C", TZ: "UTC" },
  { LC_ALL: "cs_CZ.UTF-8", LANG: "cs_CZ.UTF-8", TZ: "Europe/Prague" },
  { LC_ALL: "lt_LT.UTF-8", LANG: "lt_LT.UTF-8", TZ: "Europe/Vilnius" },
  { LC_ALL: "C.UTF-8", LANG: "C.UTF-8", TZ: "Pacific/Kiritimati" },
];

function files(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(dir, `${rel}${e.name}/`) : [`${rel}${e.name}`])).sort(compareText);
}

function render(out: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [join(ROOT, "bin/socle.js"), "render", "demo", "--out", out], { cwd: ROOT, env: { ...process.env, ...env } });
    let stderr = "";
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => done({ code, stderr }));
  });
}

describe("deterministic output under any locale and time zone", () => {
  it("the test environments do change locale-aware ordering (so the comparison below can fail)", () => {
    const sorted = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["-e", 'console.log(["ch","h","j","y"].sort((a,b)=>a.localeCompare(b)).join(","))'], { env: { ...process.env, ...env }, encoding: "utf8" }).stdout.trim();
    expect(sorted(ENVIRONMENTS[0]!)).toBe("ch,h,j,y");
    expect(sorted(ENVIRONMENTS[1]!)).toBe("h,ch,j,y"); // Czech: "ch" is a letter after "h"
    expect(sorted(ENVIRONMENTS[2]!)).toBe("ch,h,y,j"); // Lithuanian: "y" sorts before "j"
  });

  it("no source file orders with localeCompare", () => {
    const r = spawnSync("grep", ["-rln", "--include=*.ts", "\\.localeCompare(", "src", "charts", "components", "policies", "index.ts", "bench"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stdout.trim()).toBe("");
  });

  it("renders the demo stack to the same bytes under C, cs_CZ, lt_LT and Pacific/Kiritimati", async () => {
    const base = mkdtempSync(join(tmpdir(), "socle-locale-"));
    const outs = ENVIRONMENTS.map((_, i) => join(base, `out${i}`));
    // Two at a time: the machine has two cores.
    for (let i = 0; i < outs.length; i += 2) {
      const results = await Promise.all(outs.slice(i, i + 2).map((out, j) => render(out, ENVIRONMENTS[i + j]!)));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
    }
    const reference = files(outs[0]!);
    expect(reference).toContain("state.json");
    for (const out of outs.slice(1)) {
      expect(files(out)).toEqual(reference);
      for (const f of reference) expect(readFileSync(join(out, f)).equals(readFileSync(join(outs[0]!, f))), `${out}/${f}`).toBe(true);
    }
  }, 300_000);
});
