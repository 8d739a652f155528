import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { renderStack, type RenderResult } from "../../src/render/render";

export const ROOT = resolve(__dirname, "..", "..");
export const SHARED = resolve(ROOT, "..", "shared");

/** Platform renders of this process, by platform stack name: a tenant reads its platform's outputs from one. */
const platforms = new Map<string, RenderResult>();

/**
 * Renders a stack of this repository into a fresh temporary folder. One render per test file (global Pulumi
 * state). A tenant stack first gets its platform rendered (once per process), whose state answers its
 * StackReference, as `socle render <tenant>` reads `out/<platform>/state.json`.
 */
export async function renderToTemp(stack: string): Promise<RenderResult> {
  const config = (parse(readFileSync(join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> }).config ?? {};
  const platformRef = config["socle:platformStack"];
  let platformState: string | undefined;
  if (config["socle:kind"] === "tenant" && typeof platformRef === "string") {
    const platform = platformRef.split("/").pop()!;
    if (!platforms.has(platform)) platforms.set(platform, await renderToTemp(platform));
    platformState = join(platforms.get(platform)!.outDir, "state.json");
  }
  const outDir = join(mkdtempSync(join(tmpdir(), `socle-${stack}-`)), stack);
  return renderStack({ root: ROOT, stack, outDir, ...(platformState ? { platformState } : {}) });
}
