import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import type { runAuditCommand as RunAuditCommand } from "../audit/command";
import { InputError } from "../audit/errors";
import { ConfigError } from "../config/issues";
import type { renderStack as RenderStack } from "../render/render";
import { formatConfigError } from "./format";
import type { Gate } from "../audit/gate";
import type { Io } from "./io";
import { lazy } from "./lazy";

interface AuditCliOptions {
  format?: string[];
  out?: string;
  waivers?: string;
  stack?: string;
  failOn: string;
  severity: string;
  includePasses?: boolean;
  quiet?: boolean;
  today?: string;
  minLogRetentionDays?: number;
  force?: boolean;
}

const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** Paths as reports show them: relative to the working directory when inside it, so reports do not depend on where the checkout lives. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

const AUDIT_HELP = `
Examples:
  $ socle audit demo                                  render stacks/Pulumi.demo.yaml, audit it, reports in out/demo/
  $ socle audit out/demo/state.json --waivers waivers/demo.yaml
  $ socle audit out/demo/manifests/                   uses out/demo/socle-context.json written by render
  $ socle audit manifests/ --stack demo --format sarif --out reports/
  $ socle audit demo --fail-on any --severity high    fail on any failure of severity high or critical
  $ socle audit demo --quiet --format md,json         summary line only

Exit codes:
  0  no failure counts under --fail-on and --severity (by default: no unwaived mandatory failure)
  1  at least one failure counts
  2  bad input or options (unreadable file, invalid state, unknown format…): nothing is written
  3  internal error (a bug: please report it)
`;

/** `--format md --format sarif,json`: every occurrence kept, each possibly a comma list. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerAudit(program: Command, root: string, io: Io, setCode: (code: number) => void): void {
  program
    .command("audit")
    .description(
      "Check SecNumCloud-aligned controls on a stack (rendered first), a `pulumi stack export` file, a backend checkpoint, or Kubernetes manifests; print the failures, write reports",
    )
    .argument("<input>", "stack name, state/checkpoint JSON file, or YAML manifest file or folder")
    .option("--format <list>", "report formats, comma-separated or repeated: md,html,json,sarif,junit,oscal (default: all)", collect)
    .option("--out <dir>", "folder for the reports (default: out/<stack> for a stack, else out/audit)")
    .option("--waivers <file>", "waiver file (default for a stack: waivers/<stack>.yaml when it exists)")
    .option("--stack <name>", "judge manifests with this stack's context (out/<name>/socle-context.json, rendered when missing)")
    .option("--fail-on <which>", "failures that make the exit code 1: mandatory, any, none", "mandatory")
    .option("--severity <min>", "minimum severity that counts and is listed: low, medium, high, critical", "low")
    .option("--include-passes", "SARIF: also list passing and not-applicable checks (kind pass)")
    .option("-q, --quiet", "print the summary line only, not the failure table")
    .option("--today <date>", "evaluation date YYYY-MM-DD (waiver and qualification expiry); default today")
    .option("--min-log-retention-days <n>", "minimum log retention the log control requires", (v) => Number(v))
    .option("--force", "write into an existing folder socle did not create (socle still deletes nothing it did not write)")
    .addHelpText("after", AUDIT_HELP)
    .action(async (input: string, opts: AuditCliOptions) => {
      const isStack = !existsSync(input) && STACK_NAME.test(input) && existsSync(join(root, "stacks", `Pulumi.${input}.yaml`));
      const outDir = resolve(opts.out ?? (isStack ? join(root, "out", input) : join(root, "out", "audit")));
      const defaultWaivers = isStack ? join(root, "waivers", `${input}.yaml`) : undefined;
      const waiversFile = opts.waivers ? opts.waivers : defaultWaivers && existsSync(defaultWaivers) ? shown(defaultWaivers) : undefined;
      // Loaded on use: `socle render` never loads the audit, its controls or its report writers.
      const { runAuditCommand } = await lazy<{ runAuditCommand: typeof RunAuditCommand }>(() => require("../audit/command"), () => import("../audit/command"));
      try {
        setCode(
          await runAuditCommand({
            input,
            formats: opts.format ?? [],
            gate: { failOn: opts.failOn as Gate["failOn"], minSeverity: opts.severity as Gate["minSeverity"] },
            ...(opts.quiet ? { quiet: true } : {}),
            ...(opts.includePasses ? { includePasses: true } : {}),
            ...(opts.stack !== undefined ? { stack: opts.stack } : {}),
            colour: io.colour === true,
            outDir: shown(outDir),
            waiversFile,
            today: opts.today,
            minLogRetentionDays: opts.minLogRetentionDays,
            projectDir: root,
            force: opts.force,
            renderStack: async (stack) => {
              // Loaded on use: an audit of a file never loads the render engine or the Pulumi SDK (docs/render.md).
              const { renderStack } = await lazy<{ renderStack: typeof RenderStack }>(() => require("../render/render"), () => import("../render/render"));
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
