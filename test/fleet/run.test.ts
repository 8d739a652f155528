import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fleetStackFiles } from "./stacks";

const ROOT = join(__dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "socle-fleet-run-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function socle(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir` (relative path to content). */
function filesOf(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, rel);
    if (statSync(p).isFile()) files.set(rel.split(sep).join("/"), readFileSync(p, "utf8"));
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function fleetDir(name: string, tenants: Parameters<typeof fleetStackFiles>[2]): string {
  const dir = join(work, name, "stacks");
  mkdirSync(dir, { recursive: true });
  fleetStackFiles(dir, "plateforme", tenants);
  return dir;
}

describe("socle fleet (command line)", () => {
  it("renders the platform and every tenant in one process, byte-identical to separate renders and whatever the threads, and proves isolation", () => {
    const stacks = fleetDir("clean", [
      { name: "tenant-a", org: "tenant-a", apps: ["wiki"] },
      { name: "tenant-b", org: "tenant-b", apps: ["chat"] },
    ]);
    writeFileSync(join(stacks, "Pulumi.elsewhere.yaml"), readFileSync(join(stacks, "Pulumi.tenant-a.yaml"), "utf8").replace("/plateforme", "/autre"));
    const out = join(work, "clean", "out");
    const r = socle("fleet", "render", "--platform", "plateforme", "--stacks-dir", stacks, "--out", out, "--today", "2026-11-30", "--concurrency", "1");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // Plain lines off a terminal, one per stack, then the table.
    expect(r.stdout).toMatch(/^socle fleet render: 3 stack\(s\)\n\[1\/3\] plateforme: rendered \d+ resources\n\[2\/3\] tenant-a: rendered \d+ resources\n\[3\/3\] tenant-b: rendered \d+ resources\n/);
    expect(r.stdout).toContain("isolation (snc-network-tenant-isolation) over 2 tenant(s): PASS");
    const report = JSON.parse(readFileSync(join(out, "fleet", "plateforme", "fleet-report.json"), "utf8"));
    expect(report.tenants.map((t: { stack: string; role: string; organization: string; isolation?: string }) => [t.stack, t.role, t.organization, t.isolation])).toEqual([
      ["plateforme", "platform", "hebergeur", undefined],
      ["tenant-a", "tenant", "tenant-a", "pass"],
      ["tenant-b", "tenant", "tenant-b", "pass"],
    ]);
    expect(report.isolation).toMatchObject({ status: "pass", tenants: 2, violations: [] });
    expect(readFileSync(join(out, "fleet", "plateforme", "fleet-report.md"), "utf8")).toContain("| tenant-a | tenant | tenant-a |");
    // The same stack rendered alone, in its own process: the same bytes.
    const alone = join(work, "clean", "alone-b");
    const platformState = join(out, "plateforme", "state.json");
    expect(socle("render", "tenant-b", "--stack-file", join(stacks, "Pulumi.tenant-b.yaml"), "--platform-state", platformState, "--out", alone).code).toBe(0);
    expect(readFileSync(join(alone, "state.json"), "utf8")).toBe(readFileSync(join(out, "tenant-b", "state.json"), "utf8"));
    expect(filesOf(alone)).toEqual(filesOf(join(out, "tenant-b")));
    // Two worker threads (the default on this 2-core machine, named here): the same lines in the order stacks
    // finish (the platform first, its tenants read it), and every file of every stack the same bytes.
    const out2 = join(work, "clean", "out-2");
    const r2 = socle("fleet", "render", "--platform", "plateforme", "--stacks-dir", stacks, "--out", out2, "--today", "2026-11-30", "--concurrency", "2");
    expect(r2.stderr).toBe("");
    expect(r2.code).toBe(0);
    const lines = r2.stdout.split("\n");
    expect(lines.slice(0, 2)).toEqual(["socle fleet render: 3 stack(s)", expect.stringMatching(/^\[1\/3\] plateforme: rendered \d+ resources$/)]);
    expect(lines[2]).toMatch(/^\[2\/3\] tenant-[ab]: rendered \d+ resources$/);
    expect(lines[3]).toMatch(/^\[3\/3\] tenant-[ab]: rendered \d+ resources$/);
    expect([lines[2]!.slice(6, 14), lines[3]!.slice(6, 14)].sort()).toEqual(["tenant-a", "tenant-b"]);
    for (const stack of ["plateforme", "tenant-a", "tenant-b", "fleet/plateforme"]) {
      const one = filesOf(join(out, stack));
      expect(one.size).toBeGreaterThan(1);
      expect(filesOf(join(out2, stack))).toEqual(one);
    }
  });

  it("audits in worker threads (--concurrency 2) with the same verdicts and fleet report as in one thread", () => {
    const stacks = fleetDir("audit", [
      { name: "tenant-a", org: "tenant-a", apps: ["wiki"] },
      { name: "tenant-b", org: "tenant-b", apps: ["chat"] },
    ]);
    const reports = ["1", "2"].map((n) => {
      const out = join(work, "audit", `out-${n}`);
      const r = socle("fleet", "audit", "--platform", "plateforme", "--stacks-dir", stacks, "--out", out, "--today", "2026-11-30", "--concurrency", n);
      const text = readFileSync(join(out, "fleet", "plateforme", "fleet-report.json"), "utf8");
      expect(r.code).toBe(JSON.parse(text).exitCode);
      expect(existsSync(join(out, "tenant-b", "report.json"))).toBe(true);
      return text;
    });
    expect(reports[1]).toBe(reports[0]);
    const report = JSON.parse(reports[0]!);
    for (const t of report.tenants) expect(t.audit).toMatchObject({ verdict: expect.stringMatching(/^(PASS|FAIL)$/), pass: expect.any(Number) });
    expect(report.tenants[0].audit.pass).toBeGreaterThan(0);
  });

  it("refuses bad options and a platform without tenant with exit 2, writing nothing", () => {
    const stacks = fleetDir("bad", [{ name: "tenant-a", org: "tenant-a", apps: ["wiki"] }]);
    const out = join(work, "bad", "out");
    const zero = socle("fleet", "check", "--platform", "plateforme", "--stacks-dir", stacks, "--out", out, "--concurrency", "0");
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe("socle fleet check: --concurrency must be a whole number from 1 to 64, got 0\n");
    const none = socle("fleet", "render", "--platform", "nobody", "--stacks-dir", stacks, "--out", out);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^socle fleet render: platform nobody has no tenant: no stack file in .* has socle:platformStack ending with \/nobody/);
    expect(existsSync(out)).toBe(false);
  });

  it("lists an invalid tenant stack in the report, renders the others and exits 2", () => {
    const stacks = fleetDir("invalid", [
      { name: "tenant-a", org: "tenant-a", apps: ["wiki"] },
      { name: "tenant-b", org: "tenant-b", apps: ["crm"] },
    ]);
    const out = join(work, "invalid", "out");
    const r = socle("fleet", "render", "--platform", "plateforme", "--stacks-dir", stacks, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/\[[23]\/3\] tenant-b: render: invalid \(.*socle:apps\[0\]: is not an allowed value\)/);
    expect(existsSync(join(out, "tenant-a", "state.json"))).toBe(true);
    expect(existsSync(join(out, "tenant-b"))).toBe(false);
    const report = JSON.parse(readFileSync(join(out, "fleet", "plateforme", "fleet-report.json"), "utf8"));
    expect(report.exitCode).toBe(2);
    expect(report.isolation.status).toBe("notAssessed");
  });
});
