import { isAbsolute, join, relative } from "node:path";
import type { Command } from "commander";
import { InputError } from "../audit/errors";
import type { runCheckCommand as RunCheckCommand } from "../check/command";
import { ConfigError } from "../config/issues";
import { formatConfigError } from "./format";
import type { Io } from "./io";
import { lazy } from "./lazy";

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

export function registerCheck(program: Command, root: string, io: Io, setCode: (code: number) => void): void {
  program
    .command("check")
    .description("Static deployability analysis: will the rendered objects start, find their files, reach their peers and trust their certificates?")
    .argument("<input>", "stack name (rendered first), state/checkpoint JSON file, or YAML manifest file or folder")
    .option("--format <format>", "table (terminal) or json", "table")
    .addHelpText(
      "after",
      "\nExit codes: 0 no blocker, 1 at least one blocker, 2 bad input.\nRules and what each proves: docs/check.md.",
    )
    .action(async (input: string, opts: { format: string }) => {
      try {
        // Loaded on use: the rules read cloud type tokens, which load the Pulumi SDK.
        const { runCheckCommand } = await lazy<{ runCheckCommand: typeof RunCheckCommand }>(() => require("../check/command"), () => import("../check/command"));
        const { code } = await runCheckCommand({
          input,
          format: opts.format,
          projectDir: root,
          renderStack: async (stack) => {
            // Loaded on use: a check of a file never loads the render engine or the Pulumi SDK.
            const { renderStack } = await lazy<typeof import("../render/render")>(() => require("../render/render"), () => import("../render/render"));
            const result = await renderStack({ root, stack });
            return shown(join(result.outDir, "state.json"));
          },
          out: io.out,
        });
        setCode(code);
      } catch (err) {
        if (err instanceof InputError) {
          io.err(`socle check: ${err.message}\n`);
          setCode(2);
        } else if (err instanceof ConfigError) {
          io.err(formatConfigError(err));
          setCode(2);
        } else throw err;
      }
    });
}
