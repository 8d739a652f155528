import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/issues";
import { formatConfigError } from "./format";
import type { Io } from "./io";
import { registerAudit } from "./audit";
import { registerImages } from "./images";
import { registerCheck } from "./check";
import { registerFleet } from "./fleet";
import { registerTenant } from "./tenant";
import { registerUsage } from "./usage";
import { registerFleetDeploy } from "./fleet-deploy";
import type { renderCommand as RenderCommand } from "./render";
import { lazy } from "./lazy";

const MAIN_HELP = `
Examples:
  $ socle render demo                    out/demo/state.json, manifests/, socle-context.json, dns-records.txt
  $ socle audit demo                     render and audit the demo stack; reports in out/demo/
  $ socle audit out/demo/manifests/      audit plain manifests with the stack's context
  $ socle <command> --help               options, examples and exit codes of a command

Exit codes:
  0  success (audit: nothing failed that counts)
  1  audit: a failure counts under --fail-on
  2  bad input or options: configuration, files, arguments (the message says what and where)
  3  internal error (a bug: please report it)
`;

const RENDER_HELP = `
Examples:
  $ socle render demo
  $ socle render demo --out /tmp/demo-render
  $ socle render my-stack --stack-file ~/stacks/Pulumi.my-stack.yaml

Exit codes:
  0  rendered
  2  bad input: invalid configuration or stack name (every problem listed with its line and fix); nothing written
  3  internal error (a bug: please report it)
`;

/** The package's version, for `socle --version`. */
function version(root: string): string {
  return (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
}

/** Exit codes: 0 success, 1 policy failure (audit), 2 bad input (configuration, files, options), 3 internal error. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const root = resolve(__dirname, "..", "..");
  let code = 0;
  const program = new Command("socle")
    .description("Sovereign hosting distribution: render, audit and deploy a socle stack.")
    .version(version(root), "-V, --version", "print the socle version")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError()
    .addHelpText("after", MAIN_HELP);

  program
    .command("render")
    .description("Render a stack offline (no Pulumi CLI, no cloud): out/<stack>/state.json and manifests/")
    .addHelpText("after", RENDER_HELP)
    .argument("<stack>", "stack name, as in stacks/Pulumi.<stack>.yaml")
    .option("--out <dir>", "output folder (default: out/<stack>)")
    .option("--stack-file <file>", "read the stack's configuration from this file instead of stacks/Pulumi.<stack>.yaml")
    .option("--force", "write into an existing folder socle did not create (socle still deletes nothing it did not write)")
    .option("--platform-state <file>", "a tenant stack: its platform's rendered state.json (default: out/<platform stack>/state.json)")
    .action(async (stack: string, opts: { out?: string; stackFile?: string; force?: boolean; platformState?: string }) => {
      // Loaded on use: `socle audit <file>` never loads the render engine or the Pulumi SDK (docs/render.md).
      const { renderCommand } = await lazy<{ renderCommand: typeof RenderCommand }>(() => require("./render"), () => import("./render"));
      code = await renderCommand({
        root,
        stack,
        outDir: opts.out ? resolve(opts.out) : undefined,
        stackFile: opts.stackFile ? resolve(opts.stackFile) : undefined,
        force: opts.force,
        platformState: opts.platformState ? resolve(opts.platformState) : undefined,
        io,
      });
    });

  registerAudit(program, root, io, (c) => (code = c));
  registerImages(program, root, io, (c) => (code = c));
  registerCheck(program, root, io, (c) => (code = c));
  registerFleet(program, root, io, (c) => (code = c));
  registerTenant(program, root, io, (c) => (code = c));
  registerUsage(program, root, io, (c) => (code = c));
  registerFleetDeploy(program, root, io, (c) => (code = c));

  // No command: the help, on stdout, as a successful answer (not a usage error).
  if (argv.length === 0) {
    io.out(program.helpInformation() + MAIN_HELP);
    return 0;
  }
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

export type { Io };

export function wantsColour(isTty: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return isTty === true && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  colour: wantsColour(process.stdout.isTTY, process.env),
};
