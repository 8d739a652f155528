import { relative } from "node:path";
import { ConfigError } from "../config/issues";
import { renderStack } from "../render/render";
import { InputError } from "../model/input-error";
import { stackNameProblem } from "../config/stack-name";
import { formatConfigError } from "./format";
import type { Io } from "./io";

export async function renderCommand(opts: { root: string; stack: string; outDir?: string; stackFile?: string; force?: boolean; platformState?: string; io: Io }): Promise<number> {
  const nameProblem = stackNameProblem(opts.stack);
  if (nameProblem) {
    opts.io.err(`socle: ${nameProblem}\n`);
    return 2;
  }
  try {
    const result = await renderStack({ root: opts.root, stack: opts.stack, outDir: opts.outDir, stackFile: opts.stackFile, force: opts.force, platformState: opts.platformState });
    const total = result.state.deployment.resources.length;
    const relToCwd = relative(process.cwd(), result.outDir);
    const rel = relToCwd === "" ? "." : relToCwd.startsWith("..") ? result.outDir : relToCwd;
    const lines = [`socle render ${opts.stack}: ${total} resources`];
    for (const [component, count] of result.resourcesByComponent) lines.push(`  ${component.padEnd(24)} ${String(count).padStart(4)}`);
    lines.push(`  state:     ${rel}/state.json`);
    for (const [file, count] of result.manifestFiles) lines.push(`  manifests: ${rel}/${file} (${count} objects)`);
    for (const t of result.unboundTenants ?? []) {
      lines.push(`  note: tenant ${t.stack} is not bound: ${t.state} does not exist, so its StackReference is unknown (no bucket Job, storage location or schedule rendered for it); render ${t.stack}, then ${opts.stack} again`);
    }
    if (result.invokes.length) lines.push(`  note: ${result.invokes.length} provider function call(s) answered empty offline: ${[...new Set(result.invokes)].join(", ")}`);
    opts.io.out(lines.join("\n") + "\n");
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      opts.io.err(formatConfigError(err));
      return 2;
    }
    if (err instanceof InputError) {
      opts.io.err(`socle render: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
