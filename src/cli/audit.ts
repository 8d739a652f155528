import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import type { runAuditCommand as RunAuditCommand } from "../audit/command";
import { InputError } from "../audit/errors";
import { ConfigError } from "../config/issues";
import type { renderStack as RenderStack } from "../render/render";
import { formatConfigError } from "./format";
import type { Io } from "./main";

const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** Paths as reports show them: relative to the working directory when inside it, so reports do not depend on where the checkout lives. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

export function registerAudit(program: Command, root: string, io: Io, setCode: (code: number) => void): void {
  program
    .command("audit")
    .description(
      "Check SecNumCloud-aligned controls on a stack (rendered first), a `pulumi stack export` file, a backend checkpoint, or Kubernetes manifests; write reports",
    )
    .argument("<input>", "stack name, state/checkpoint JSON file, or YAML manifest file or folder")
    .option("--format <list>", "comma-separated report formats: md,html,json,sarif,junit,oscal", "md,html,json,sarif,junit,oscal")
    .option("--out <dir>", "folder for the reports (default: out/<stack> for a stack, else out/audit)")
    .option("--waivers <file>", "waiver file (default for a stack: waivers/<stack>.yaml when it exists)")
    .option("--today <date>", "evaluation date YYYY-MM-DD (waiver and qualification expiry); default today")
    .option("--min-log-retention-days <n>", "minimum log retention the log control requires", (v) => Number(v))
    .action(async (input: string, opts: { format: string; out?: string; waivers?: string; today?: string; minLogRetentionDays?: number }) => {
      const isStack = !existsSync(input) && STACK_NAME.test(input) && existsSync(join(root, "stacks", `Pulumi.${input}.yaml`));
      const outDir = resolve(opts.out ?? (isStack ? join(root, "out", input) : join(root, "out", "audit")));
      const defaultWaivers = isStack ? join(root, "waivers", `${input}.yaml`) : undefined;
      const waiversFile = opts.waivers ? opts.waivers : defaultWaivers && existsSync(defaultWaivers) ? shown(defaultWaivers) : undefined;
      // Loaded on use: `socle render` never loads the audit, its controls or its report writers.
      const { runAuditCommand } = require("../audit/command") as { runAuditCommand: typeof RunAuditCommand };
      try {
        setCode(
          await runAuditCommand({
            input,
            formats: [opts.format],
            outDir: shown(outDir),
            waiversFile,
            today: opts.today,
            minLogRetentionDays: opts.minLogRetentionDays,
            projectDir: root,
            renderStack: async (stack) => {
              // Loaded on use: an audit of a file never loads the render engine or the Pulumi SDK (docs/render.md).
              const { renderStack } = require("../render/render") as { renderStack: typeof RenderStack };
              const result = await renderStack({ root, stack });
              return shown(join(result.outDir, "state.json"));
            },
            log: (line) => io.out(line + "\n"),
          }),
        );
      } catch (err) {
        if (err instanceof InputError) {
          io.err(`socle audit: ${err.message}\n`);
          setCode(2);
        } else if (err instanceof ConfigError) {
          io.err(formatConfigError(err));
          setCode(2);
        } else throw err;
      }
    });
}
