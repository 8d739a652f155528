import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { renderStack, type RenderResult } from "../../src/render/render";

export const ROOT = resolve(__dirname, "..", "..");
export const SHARED = resolve(ROOT, "..", "shared");

/** Renders a stack of this repository into a fresh temporary folder. One render per test file (global Pulumi state). */
export async function renderToTemp(stack: string): Promise<RenderResult> {
  const outDir = join(mkdtempSync(join(tmpdir(), `socle-${stack}-`)), stack);
  return renderStack({ root: ROOT, stack, outDir });
}
