/** `socle` as a user runs it: exit codes, help, version, the failure table, options. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main, wantsColour } from "../../src/cli/main";
import { ROOT } from "../helpers/render";
import { tempFiles } from "./helpers";

/** The real binary, as a user runs it (slow to start: used for the end-to-end case only). */
function spawned(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "" }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same entry point in-process, with captured output and no terminal. */
async function socle(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (s) => (stdout += s), err: (s) => (stderr += s), colour: false });
  return { code, stdout, stderr };
}

/** A privileged Deployment and an undeclared LoadBalancer: mandatory failures of several controls. */
const BAD = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:latest
          securityContext: { privileged: true }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }] }
`;

describe("socle command line", () => {
  // The command loads the catalog with require(), as bin/socle.js does under tsx's hook.
  beforeAll(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("tsx/cjs/api") as { register(): void }).register();
  });

  it("prints the help with no arguments and exits 0", async () => {
    const r = await socle([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: socle");
    expect(r.stdout).toContain("Examples:");
  });

  it("prints its version", async () => {
    const r = await socle(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });

  it.each([[["--help"]], [["render", "--help"]], [["audit", "--help"]]])("%j shows examples and exit codes", async (args) => {
    const r = await socle(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}\$ socle /);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 /);
    expect(r.stdout).toMatch(/\n {2}2 {2}bad input/);
  });

  it("prints a table naming every failing control, and exits 1", () => {
    const dir = tempFiles({ "bad.yaml": BAD });
    const out = join(dir, "out");
    const r = spawned(["audit", join(dir, "bad.yaml"), "--out", out, "--format", "json", "--format", "md,sarif"]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    const failing = [...new Set(report.findings.filter((f: { status: string }) => f.status === "fail").map((f: { controlId: string }) => f.controlId))] as string[];
    expect(failing).toEqual(expect.arrayContaining(["snc-network-declared-load-balancers", "snc-workload-pss-baseline"]));
    const [header, ...rows] = r.stdout.split("\n");
    expect(header).toMatch(/^CONTROL\s+SEVERITY\s+RESOURCE\s+PATH\s+FIX$/);
    for (const id of failing) expect(rows.some((row) => row.startsWith(id)), id).toBe(true);
    expect(r.stdout).toContain("spec.template.spec.hostNetwork");
    expect(r.stdout).toMatch(/Result: FAIL, \d+ failure\(s\) count under --fail-on mandatory/);
    expect(r.stdout).not.toContain("\u001b["); // not a terminal: no colour
    // --format given twice, once as a list: every format asked for is written.
    for (const f of ["report.json", "report.md", "report.sarif"]) expect(existsSync(join(out, f)), f).toBe(true);
    expect(existsSync(join(out, "report.html"))).toBe(false);
  }, 120_000);

  it("--quiet prints the summary only; --fail-on none exits 0; --severity critical lists nothing below it", async () => {
    const dir = tempFiles({ "bad.yaml": BAD });
    const quiet = await socle(["audit", join(dir, "bad.yaml"), "--out", join(dir, "q"), "--format", "json", "--quiet"]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout.trim().split("\n")).toHaveLength(1);
    expect(quiet.stdout).toMatch(/^socle audit: /);
    const none = await socle(["audit", join(dir, "bad.yaml"), "--out", join(dir, "n"), "--format", "json", "--fail-on", "none"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("Result: PASS");
    const critical = await socle(["audit", join(dir, "bad.yaml"), "--out", join(dir, "c"), "--format", "json", "--severity", "critical"]);
    expect(critical.stdout).not.toMatch(/^snc-\S+\s+(high|medium|low)/m);
  }, 120_000);

  it("names an unreadable waiver file and exits 2, without a raw error code", async () => {
    const dir = tempFiles({ "bad.yaml": BAD });
    const r = await socle(["audit", join(dir, "bad.yaml"), "--out", join(dir, "o"), "--waivers", join(dir, "missing.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing.yaml: does not exist: --waivers expects a waiver file");
    expect(r.stderr).not.toContain("ENOENT");
    expect(existsSync(join(dir, "o"))).toBe(false);
    const folder = await socle(["audit", join(dir, "bad.yaml"), "--out", join(dir, "o"), "--waivers", dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("is a folder");
  }, 120_000);

  it("refuses bad --fail-on and --severity values with the allowed ones", async () => {
    const dir = tempFiles({ "bad.yaml": BAD });
    expect((await socle(["audit", join(dir, "bad.yaml"), "--fail-on", "some"])).stderr).toContain("--fail-on must be one of mandatory, any, none");
    const r = await socle(["audit", join(dir, "bad.yaml"), "--severity", "urgent"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--severity must be one of low, medium, high, critical");
  }, 120_000);

  it("colours only on a terminal, and never with NO_COLOR", () => {
    expect(wantsColour(true, {})).toBe(true);
    expect(wantsColour(true, { NO_COLOR: "" })).toBe(true);
    expect(wantsColour(true, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColour(false, {})).toBe(false);
    expect(wantsColour(undefined, {})).toBe(false);
  });
});
