import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, parseAllDocuments } from "yaml";
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

/**
 * Renders a stack of this repository from its stack file's text changed by `edit`, written to a temporary file
 * (`stackFile`): the repository's own stack files stay as they are.
 */
export async function renderEditedToTemp(stack: string, edit: (text: string) => string): Promise<RenderResult> {
  const dir = mkdtempSync(join(tmpdir(), `socle-${stack}-edited-`));
  const stackFile = join(dir, `Pulumi.${stack}.yaml`);
  writeFileSync(stackFile, edit(readFileSync(join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")));
  return renderStack({ root: ROOT, stack, stackFile, outDir: join(dir, "out", stack) });
}

/** Every object of a render's `manifests/` folder, file by file, in document order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function manifestObjects(result: RenderResult): Record<string, any>[] {
  const dir = join(result.outDir, "manifests");
  return readdirSync(dir).flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS()).filter(Boolean));
}
