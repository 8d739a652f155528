import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderStack, type RenderResult } from "../../src/render/render";
import { ROOT } from "./render";

/** Renders a stack file of test/fixtures/stacks into a temporary folder. */
export function renderFixture(stack: string, opts: { platformState?: string } = {}): Promise<RenderResult> {
  return renderStack({
    root: ROOT,
    stack,
    stackFile: join(ROOT, "test/fixtures/stacks", `Pulumi.${stack}.yaml`),
    outDir: join(mkdtempSync(join(tmpdir(), `socle-${stack}-`)), stack),
    ...opts,
  });
}
