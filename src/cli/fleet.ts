import { resolve } from "node:path";
import type { Command } from "commander";
import { InputError } from "../audit/errors";
import { ConfigError } from "../config/issues";
import { formatConfigError } from "./format";
import type { Io } from "./io";
import { lazy } from "./lazy";

const FLEET_HELP = `
Examples:
  $ socle fleet render --platform hebergeur-plateforme
  $ socle fleet audit --platform hebergeur-plateforme --concurrency 2
  $ socle fleet check --platform hebergeur-plateforme

Every stack of stacks/ whose socle:platformStack ends with /<platform> is a tenant of the platform. The
platform stack (when its file is in stacks/) is rendered first, then every tenant, --concurrency stacks at a
time (worker threads of this one process; default: one per available core), into out/<stack>/, each audited
or checked right after its render. The isolation control (snc-network-tenant-isolation) runs over the whole
fleet. Fleet report:
out/fleet/<platform>/fleet-report.md and .json. A bar on a terminal, one line per stack otherwise.

Exit codes:
  0  every stack rendered; audit: no mandatory failure; check: no blocker; isolation not failed
  1  an audit fails, a check finds a blocker, or the isolation control fails
  2  bad options, no tenant, or a tenant's stack file is invalid (listed in the report)
  3  internal error (a bug: please report it); a stack that stopped on one is listed in the report
`;

interface FleetCliOptions {
  platform?: string;
  concurrency?: string;
  stacksDir?: string;
  out?: string;
  today?: string;
  force?: boolean;
}

/** Registers `socle fleet render|audit|check` (the `fleet` command is shared: found or created). */
export function registerFleet(program: Command, root: string, io: Io, setCode: (code: number) => void): void {
  const fleet = program.commands.find((c) => c.name() === "fleet") ?? program.command("fleet").description("Operate every tenant of a platform: render, audit, check (and deploy)");
  for (const mode of ["render", "audit", "check"] as const) {
    fleet
      .command(mode)
      .description(`${mode === "render" ? "Render" : mode === "audit" ? "Render and audit" : "Render and check"} every tenant of a platform in one process; fleet report with the isolation proof`)
      .requiredOption("--platform <stack>", "the platform's stack name (stacks/Pulumi.<stack>.yaml)")
      .option("--concurrency <n>", "stacks rendered and audited/checked at a time, each in a worker thread (default: available cores)")
      .option("--stacks-dir <dir>", "folder of the stack files (default: stacks/)")
      .option("--out <dir>", "output root: out/<stack>/ per stack and fleet/<platform>/ for the fleet report (default: out/)")
      .option("--today <date>", "audit evaluation date YYYY-MM-DD; default today")
      .option("--force", "write into existing folders socle did not create (socle still deletes nothing it did not write)")
      .addHelpText("after", FLEET_HELP)
      .action(async (opts: FleetCliOptions) => {
        // Loaded on use. This thread loads no render engine: the worker threads do (src/fleet/worker.js).
        const { runFleet } = await lazy<typeof import("../fleet/run")>(() => require("../fleet/run"), () => import("../fleet/run"));
        const { barProgress, lineProgress } = await lazy<typeof import("../fleet/progress")>(() => require("../fleet/progress"), () => import("../fleet/progress"));
        const concurrency = opts.concurrency === undefined ? undefined : /^\d+$/.test(opts.concurrency) ? Number(opts.concurrency) : NaN;
        try {
          const { code } = await runFleet({
            root,
            platform: opts.platform!,
            mode,
            concurrency,
            ...(opts.stacksDir ? { stacksDir: resolve(opts.stacksDir) } : {}),
            ...(opts.out ? { outRoot: resolve(opts.out) } : {}),
            ...(opts.today ? { today: opts.today } : {}),
            ...(opts.force ? { force: true } : {}),
            // A bar where a person watches a terminal; plain lines in logs and CI.
            progress: io.colour === true && process.stderr.isTTY === true ? barProgress() : lineProgress(io.out),
            out: io.out,
            err: io.err,
          });
          setCode(code);
        } catch (err) {
          if (err instanceof InputError) {
            io.err(`socle fleet ${mode}: ${err.message}\n`);
            setCode(2);
          } else if (err instanceof ConfigError) {
            io.err(formatConfigError(err));
            setCode(2);
          } else throw err;
        }
      });
  }
}
