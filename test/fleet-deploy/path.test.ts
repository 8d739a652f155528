import { readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { AutomationEngine } from "../../src/fleet/automation";
import { lines, makeFakePulumi, makeRepo } from "./helpers";

describe("AutomationEngine without --pulumi-root", () => {
  it("finds `pulumi` on PATH (the fake placed first), creates the missing stack, then selects it the next time", async () => {
    const root = makeRepo(["t-a"]);
    const fake = makeFakePulumi();
    const saved = process.env.PATH;
    process.env.PATH = `${join(fake, "bin")}${delimiter}${saved ?? ""}`;
    try {
      const engine = new AutomationEngine({ workDir: root, backend: "file:///state", secretsProvider: "passphrase" });
      await engine.ready();
      const out: string[] = [];
      expect(await engine.up("t-a", { onOutput: (s) => out.push(s) })).toEqual({ summary: "succeeded: create 1, same 7" });
      expect(out.join("")).toContain("Previewing update (t-a)");
      await engine.preview("t-a", { onOutput: () => undefined });
    } finally {
      process.env.PATH = saved;
    }
    const calls = lines(join(fake, "calls.log")).map((c) => c.split(" | ")[0]);
    expect(calls.filter((c) => c.startsWith("stack init"))).toEqual(["stack init t-a --secrets-provider passphrase --non-interactive"]);
    expect(calls.filter((c) => c.startsWith("stack select"))).toHaveLength(2);
    expect(calls.filter((c) => c.startsWith("version"))).toHaveLength(1);
  });

  it("a failing CLI call surfaces as an error with the CLI's message", async () => {
    const root = makeRepo(["t-a"]);
    const fake = makeFakePulumi();
    writeFileSync(join(fake, "fail"), "t-a\n");
    const engine = new AutomationEngine({ workDir: root, backend: "file:///state", secretsProvider: "passphrase", pulumiRoot: fake });
    await expect(engine.up("t-a", { onOutput: () => undefined })).rejects.toThrow(/Deployment \(t-a-wiki\) failed/);
    expect(readFileSync(join(fake, "calls.log"), "utf8")).toContain("backend=file:///state");
  });
});
