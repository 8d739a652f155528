import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fleet, lines, makeFakePulumi, makeRepo } from "./helpers";

/** `socle fleet up` when the platform binds tenants (socle:tenants): platform, tenants, platform again (fake pulumi CLI). */
const TENANTS = ["t-a", "t-b", "t-c"];
const BACKEND = ["--backend", "file:///var/lib/socle/state"];

function bindingRepo(bound: string[]): string {
  const root = makeRepo(TENANTS);
  appendFileSync(join(root, "stacks", "Pulumi.plat.yaml"), `  socle:tenants:\n${bound.map((t) => `    - ${t}\n`).join("")}`);
  return root;
}

describe("socle fleet up around a platform that binds tenants", () => {
  it("creates the bound tenants' stacks, updates the platform, the tenants, then the platform again", async () => {
    const root = bindingRepo(["t-a", "t-c"]);
    const fake = makeFakePulumi();
    const r = await fleet(root, ["up", "--platform", "plat", ...BACKEND, "--pulumi-root", fake, "--concurrency", "1"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const events = lines(join(fake, "events.log"));
    expect(events).toEqual(["start plat", "end plat", "start t-a", "end t-a", "start t-b", "end t-b", "start t-c", "end t-c", "start plat", "end plat"]);
    // The bound tenants' stacks exist before the platform's first update reads them.
    const calls = lines(join(fake, "calls.log"));
    const firstPlatformUp = calls.findIndex((c) => c.startsWith("up ") && c.includes("--stack plat"));
    for (const t of ["t-a", "t-c"]) expect(calls.findIndex((c) => c.startsWith(`stack init ${t}`))).toBeLessThan(firstPlatformUp);
    expect(r.out).toMatch(/platform plat \(before its tenants\): done/);
    expect(r.out).toMatch(/platform plat \(after its tenants\): done/);
    const log = readFileSync(join(root, "out", "fleet", "plat", "logs", "plat.log"), "utf8");
    expect(log).toMatch(/before its tenants[\s\S]*after its tenants/);
    // The journal stays the tenants'.
    expect(Object.keys(JSON.parse(readFileSync(join(root, "out", "fleet", "plat", "journal.json"), "utf8")).tenants)).toEqual(TENANTS);
  });

  it("runs no tenant when the platform's first update fails (exit 1)", async () => {
    const root = bindingRepo(["t-b"]);
    const fake = makeFakePulumi();
    writeFileSync(join(fake, "fail"), "plat\n");
    const r = await fleet(root, ["up", "--platform", "plat", ...BACKEND, "--pulumi-root", fake]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/platform plat \(before its tenants\): FAILED/);
    expect(r.out).toMatch(/no tenant was run/);
    expect(lines(join(fake, "events.log")).filter((e) => e.startsWith("start "))).toEqual(["start plat"]);
  });

  it("a platform that binds none of the fleet, and previews, run the tenants only", async () => {
    for (const [bound, op] of [[["elsewhere"], "up"], [["t-a"], "preview"]] as const) {
      const root = bindingRepo([...bound]);
      const fake = makeFakePulumi();
      const r = await fleet(root, [op, "--platform", "plat", ...BACKEND, "--pulumi-root", fake]);
      expect(r.code, r.err).toBe(0);
      expect(lines(join(fake, "events.log")).filter((e) => e.startsWith("start ")).sort()).toEqual(TENANTS.map((t) => `start ${t}`));
    }
  });
});
