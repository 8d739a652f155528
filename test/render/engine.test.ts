import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../src/config/issues";
import { renderStack } from "../../src/render/render";
import { ROOT } from "../helpers/render";

// The render engine runs the program with V8's stack capture off (src/render/engine.ts, docs/render.md
// "Start-up and speed"); a program that fails with a bug runs again with capture on, so the bug is
// reported with its stack trace. The program is replaced here by one that records what it saw and fails.

const { calls, program } = vi.hoisted(() => ({
  calls: [] as { stackFrames: number; sourceMaps: boolean; unlimited: string }[],
  program: { failWith: (): Error => new Error("a bug in the program") },
}));

vi.mock("../../src/program", () => ({
  deploy: () => {
    const probe = new Error("probe").stack ?? "";
    // As the SDK's Resource.callsites reads a source position: the limit raised, a stack read.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Number.POSITIVE_INFINITY;
    const unlimited = new TypeError("unlimited").stack ?? "";
    Error.stackTraceLimit = limit;
    calls.push({ stackFrames: probe.split("\n").filter((l) => /^\s+at /.test(l)).length, sourceMaps: process.sourceMapsEnabled, unlimited });
    throw program.failWith();
  },
}));


function outDir(): string {
  return join(mkdtempSync(join(tmpdir(), "socle-engine-")), "out");
}

describe("render engine: stack capture", () => {
  it("runs the program without stack frames, and a bug again with them: the error keeps its stack trace", async () => {
    calls.length = 0;
    program.failWith = () => new Error("a bug in the program");
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    const out = outDir();
    const err = (await renderStack({ root: ROOT, stack: "demo", outDir: out }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe("a bug in the program");
    expect(err.stack).toMatch(/\n\s+at .*engine\.test\.ts:\d+:\d+/);
    expect(calls.map((c) => c.stackFrames > 0)).toEqual([false, true]);
    // Without capture, even a stack read with the limit raised has no frame (Error.prepareStackTrace).
    expect(calls[0]!.unlimited).toBe("TypeError: unlimited");
    expect(calls[1]!.unlimited).toMatch(/^TypeError: unlimited\n\s+at /);
    expect(calls.every((c) => c.sourceMaps === false)).toBe(true);
    // The settings are restored, and nothing was written.
    expect(Error.stackTraceLimit).toBe(limit);
    expect(Error.prepareStackTrace).toBe(prepare);
    expect(existsSync(out)).toBe(false);
  });

  it("reports a bug with its stack trace even when the caller had turned stack capture off", async () => {
    calls.length = 0;
    program.failWith = () => new Error("a bug in the program");
    const previous = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let err: Error;
    try {
      err = (await renderStack({ root: ROOT, stack: "demo", outDir: outDir() }).catch((e: unknown) => e)) as Error;
    } finally {
      expect(Error.stackTraceLimit).toBe(0);
      Error.stackTraceLimit = previous;
    }
    expect(err.stack).toMatch(/\n\s+at .*engine\.test\.ts:\d+:\d+/);
    expect(calls).toHaveLength(2);
  });

  it("runs a program failing on its input once: a configuration error needs no stack", async () => {
    calls.length = 0;
    program.failWith = () => new ConfigError("stacks/Pulumi.demo.yaml", [{ path: "socle:x", value: 1, problem: "is wrong", fix: "fix it" }]);
    const err = await renderStack({ root: ROOT, stack: "demo", outDir: outDir() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(calls).toHaveLength(1);
  });

  it("keeps stack capture on with PULUMI_DEBUG_PROMISE_LEAKS (the SDK's promise stacks are read then)", async () => {
    calls.length = 0;
    program.failWith = () => new Error("a bug in the program");
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    try {
      await renderStack({ root: ROOT, stack: "demo", outDir: outDir() }).catch(() => undefined);
    } finally {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    }
    expect(calls[0]!.stackFrames).toBeGreaterThan(0);
  });
});
