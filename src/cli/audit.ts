import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { runAuditCommand } from "../audit/command";
import { InputError } from "../audit/errors";
import { ConfigError } from "../config/issues";
import { renderStack } from "../render/render";
import { formatConfigError } from "./format";
import type { Io } from "./io";

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
    .option("--force", "write into an existing folder socle did not create (socle still deletes nothing it did not write)")
    .action(async (input: string, opts: { format: string; out?: string; waivers?: string; today?: string; minLogRetentionDays?: number; force?: boolean }) => {
      const isStack = !existsSync(input) && STACK_NAME.test(input) && existsSync(join(root, "stacks", `Pulumi.${input}.yaml`));
      const outDir = resolve(opts.out ?? (isStack ? join(root, "out", input) : join(root, "out", "audit")));
      const defaultWaivers = isStack ? join(root, "waivers", `${input}.yaml`) : undefined;
      const waiversFile = opts.waivers ? opts.waivers : defaultWaivers && existsSync(defaultWaivers) ? shown(defaultWaivers) : undefined;
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
            force: opts.force,
            renderStack: async (stack) => {
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
