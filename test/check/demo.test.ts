import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RenderResult } from "../../src/render/render";
import { renderToTemp, ROOT } from "../helpers/render";
import { stackCheckSuite, stacksOf } from "./stack-check";

/**
 * `socle check` on the demo stack (what `npm start` runs): no blocker. The cloud example stacks run the same
 * suite from test/cloud/check/examples.ts, which renders them once for all their tests.
 */
let rendered: RenderResult;
beforeAll(async () => {
  rendered = await renderToTemp("demo");
}, 120_000);

stackCheckSuite("demo", () => rendered);

describe("socle check covers every stack of stacks/", () => {
  it("runs the suite on each: the demo here, the federation example and the example fleet in their tests, each cloud example through exampleStack()", () => {
    const covered = new Map<string, string>([["demo", "test/check/demo.test.ts"]]);
    // The federation example renders once in its own test file, which runs the same suite on it.
    const federation = readFileSync(join(ROOT, "test/identity/federation-stack.test.ts"), "utf8");
    expect(federation).toContain('const STACK = "demo-proconnect"');
    expect(federation).toContain("stackCheckSuite(STACK, () => result)");
    covered.set("demo-proconnect", "test/identity/federation-stack.test.ts");
    // The example fleet (a platform and its tenants) renders once, platform first, in its own test file,
    // which runs the same suite on each of its stacks.
    const fleet = readFileSync(join(ROOT, "test/tenants/fleet.test.ts"), "utf8");
    expect(fleet).toContain("for (const stack of [PLATFORM, ...TENANTS]) stackCheckSuite(stack, () => rendered.get(stack)!)");
    for (const stack of ["hebergeur-plateforme", "tenant-exemple-a", "tenant-exemple-b"]) {
      expect(fleet).toContain(`"${stack}"`);
      covered.set(stack, "test/tenants/fleet.test.ts");
    }
    for (const stack of stacksOf(ROOT)) {
      if (covered.has(stack)) continue;
      const file = `test/cloud/check/${stack.replace(/^ministere-exemple-/, "")}.test.ts`;
      expect(readFileSync(join(ROOT, file), "utf8"), file).toContain(`"${stack}"`);
      covered.set(stack, file);
    }
    expect([...covered.keys()].sort()).toEqual(stacksOf(ROOT));
    const examples = readFileSync(join(ROOT, "test/cloud/check/examples.ts"), "utf8");
    expect(examples).toContain("stackCheckSuite(stack, () => result)");
  });
});
