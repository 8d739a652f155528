import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/render";

function socle(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fixture = (name: string) => join(ROOT, "test/fixtures/stacks", `Pulumi.${name}.yaml`);

function listFiles(dir: string, rel = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`]));
}

describe("socle render (command line)", () => {
  it("reports three mistakes as three precise messages, exits 2 and writes nothing", () => {
    const out = join(mkdtempSync(join(tmpdir(), "socle-bad-")), "out");
    const r = socle("render", "three-mistakes", "--stack-file", fixture("three-mistakes"), "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("3 configuration errors");
    // In stack-file order, each with its line, value, allowed values and fix.
    expect(r.stderr).toMatch(/1\. socle:kind \(line 3\) = "dedicate": is not an allowed value\n\s+allowed: dedicated, platform, tenant\n\s+fix: set socle:kind to one of/);
    expect(r.stderr).toMatch(/2\. socle:apps\[1\] \(line 10\) = "crm": is not an allowed value\n\s+allowed: identity, wiki, docs, chat, mail/);
    expect(r.stderr).toMatch(/3\. socle:adminCidrs\[0\] \(line 12\) = "192\.0\.2\.1\/24": is not an IPv4 CIDR such as 10\.0\.0\.0\/16\n\s+fix: /);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("reports a YAML syntax error with its position", () => {
    const r = socle("render", "bad-yaml", "--stack-file", fixture("bad-yaml"), "--out", join(tmpdir(), "socle-never"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line \d+ column \d+/);
  });

  it("reports a missing stack file", () => {
    const r = socle("render", "no-such-stack");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("stacks/Pulumi.no-such-stack.yaml");
    expect(r.stderr).toContain("does not exist");
  });

  it("rejects an unknown command with exit 2", () => {
    expect(socle("rendre", "demo").code).toBe(2);
  });

  it("renders the same inputs to the same bytes", () => {
    const base = mkdtempSync(join(tmpdir(), "socle-det-"));
    const a = socle("render", "demo", "--out", join(base, "a"));
    const b = socle("render", "demo", "--out", join(base, "b"));
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toContain("state:");
    const filesA = listFiles(join(base, "a"));
    expect(filesA).toEqual(listFiles(join(base, "b")));
    expect(filesA).toContain("state.json");
    for (const f of filesA) expect(readFileSync(join(base, "b", f), "utf8"), f).toBe(readFileSync(join(base, "a", f), "utf8"));
  });
});
