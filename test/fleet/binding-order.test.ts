import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { boundTenants, fleetSteps } from "../../src/fleet/binding-order";
import { fleetStackFiles } from "./stacks";

const ROOT = join(__dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "socle-fleet-binding-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const steps = (platform: string | undefined, members: string[], bound: string[]) => fleetSteps(platform, members, bound).map((s) => `${s.stack}${s.final ? "" : " (binding)"}`);

describe("fleet order when the platform binds tenants", () => {
  it("platform, its bound tenants, platform again, then every tenant; only the last render of each is final", () => {
    expect(steps("p", ["a", "b", "c"], ["a", "c", "gone"])).toEqual(["p (binding)", "a (binding)", "c (binding)", "p", "a", "b", "c"]);
    // Nothing bound (or no platform file): one pass, as before.
    expect(steps("p", ["a", "b"], [])).toEqual(["p", "a", "b"]);
    expect(steps("p", ["a"], ["other"])).toEqual(["p", "a"]);
    expect(steps(undefined, ["a", "b"], ["a"])).toEqual(["a", "b"]);
    // Every stack's final render comes once, platform first.
    const s = fleetSteps("p", ["a", "b"], ["a", "b"]).filter((x) => x.final);
    expect(s.map((x) => [x.stack, x.role])).toEqual([["p", "platform"], ["a", "tenant"], ["b", "tenant"]]);
  });

  it("reads the platform's socle:tenants; an unreadable file or list binds none here", () => {
    const dir = join(work, "read");
    mkdirSync(dir);
    const file = join(dir, "Pulumi.p.yaml");
    writeFileSync(file, "config:\n  socle:kind: platform\n  socle:tenants:\n    - a\n    - 3\n    - b\n");
    expect(boundTenants(file)).toEqual(["a", "b"]);
    writeFileSync(file, "config:\n  socle:tenants: a\n");
    expect(boundTenants(file)).toEqual([]);
    expect(boundTenants(join(dir, "missing.yaml"))).toEqual([]);
  });

  it("socle fleet render binds the tenants in one run: the platform's last render binds both, each tenant records its Schedule", () => {
    const stacks = join(work, "fleet", "stacks");
    mkdirSync(stacks, { recursive: true });
    fleetStackFiles(stacks, "plateforme", [
      { name: "tenant-a", org: "tenant-a", apps: ["wiki"] },
      { name: "tenant-b", org: "tenant-b", apps: ["chat"] },
    ]);
    appendFileSync(join(stacks, "Pulumi.plateforme.yaml"), "  socle:tenants:\n    - tenant-a\n    - tenant-b\n");
    const out = join(work, "fleet", "out");
    const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), "fleet", "render", "--platform", "plateforme", "--stacks-dir", stacks, "--out", out, "--today", "2026-11-30"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => /^\[\d+\/\d+\]/.test(l));
    // Phases run in order; within a phase, tenants render in worker threads and are shown as they finish.
    const shown = lines.map((l) => l.replace(/^\[\d+\/\d+\] /, "").replace(/\d+ resources/, "N resources"));
    const inPhase = (a: string[]) => [...a].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    expect(shown[0]).toBe("plateforme: rendered (binding pass)");
    expect(inPhase(shown.slice(1, 3))).toEqual(["tenant-a: rendered (binding pass)", "tenant-b: rendered (binding pass)"]);
    expect(shown[3]).toBe("plateforme: rendered N resources");
    expect(inPhase(shown.slice(4))).toEqual(["tenant-a: rendered N resources", "tenant-b: rendered N resources"]);
    const rootOutputs = (stack: string) =>
      (JSON.parse(readFileSync(join(out, stack, "state.json"), "utf8")).deployment.resources as { type: string; outputs?: Record<string, any> }[]).find((x) => x.type === "pulumi:pulumi:Stack")!.outputs!;
    const bound = rootOutputs("plateforme").tenantBackups;
    expect(Object.entries(bound).map(([k, v]: [string, any]) => [k, v.status])).toEqual([["tenant-a", "bound"], ["tenant-b", "bound"]]);
    expect(rootOutputs("tenant-a").socle.platformBackups.schedules[0].includedNamespaces).toEqual(["tenant-a-wiki"]);
    expect(rootOutputs("tenant-b").socle.platformBackups.schedules[0].includedNamespaces).toEqual(["tenant-b-chat"]);
    // The fleet report lists each stack once.
    const report = JSON.parse(readFileSync(join(out, "fleet", "plateforme", "fleet-report.json"), "utf8"));
    expect(report.tenants.map((t: { stack: string }) => t.stack)).toEqual(["plateforme", "tenant-a", "tenant-b"]);
  }, 240_000);
});
