import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/issues";
import { formatConfigError } from "./format";
import { registerAudit } from "./audit";
import type { renderCommand as RenderCommand } from "./render";

/** Exit codes: 0 success, 1 policy failure (audit), 2 bad input (configuration, files, options). */
export async function main(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void } = defaultIo): Promise<number> {
  const root = resolve(__dirname, "..", "..");
  let code = 0;
  const program = new Command("socle")
    .description("Sovereign hosting distribution: render, audit and deploy a socle stack.")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  program
    .command("render")
    .description("Render a stack offline (no Pulumi CLI, no cloud): out/<stack>/state.json and manifests/")
    .argument("<stack>", "stack name, as in stacks/Pulumi.<stack>.yaml")
    .option("--out <dir>", "output folder (default: out/<stack>)")
    .option("--stack-file <file>", "read the stack's configuration from this file instead of stacks/Pulumi.<stack>.yaml")
    .action(async (stack: string, opts: { out?: string; stackFile?: string }) => {
      // Loaded on use: `socle audit <file>` never loads the render engine or the Pulumi SDK (docs/render.md).
      const { renderCommand } = require("./render") as { renderCommand: typeof RenderCommand };
      code = await renderCommand({
        root,
        stack,
        outDir: opts.out ? resolve(opts.out) : undefined,
        stackFile: opts.stackFile ? resolve(opts.stackFile) : undefined,
        io,
      });
    });

  registerAudit(program, root, io, (c) => (code = c));

  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      io.err(formatConfigError(err));
      return 2;
    }
    throw err;
  }
}

export type Io = { out: (s: string) => void; err: (s: string) => void };

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };
