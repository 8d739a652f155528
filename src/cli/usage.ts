import { isAbsolute, join, relative } from "node:path";
import type { Command } from "commander";
import { ConfigError } from "../config/issues";
import { InputError } from "../model/input-error";
import type { runUsage as RunUsage } from "../usage/command";
import { formatConfigError } from "./format";
import type { Io } from "./io";
import { lazy } from "./lazy";

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

const USAGE_HELP = `
Examples:
  $ socle usage tenant-exemple-a --prices examples/prices.yaml
  $ socle usage --fleet --platform hebergeur-plateforme --prices examples/prices.yaml --format csv
  $ socle usage tenant-exemple-a --prices prices.yaml --users 320 --target-per-user 40 --format json
  $ socle usage --fleet --platform hebergeur-plateforme             priced by the platform's socle:opencost.priceSheet
  $ socle usage --prices prices.yaml --opencost-configmap opencost   OpenCost's custom pricing, same sheet
  $ socle usage --platform hebergeur-plateforme --opencost-configmap socle-opencost   what the platform renders

Reads out/<tenant>/state.json (rendered first when absent). Without --prices, the sheet is the platform stack's
socle:opencost.priceSheet (--platform, or the tenant's socle:platformStack). Metering rules, prices and the
target: docs/hosters.md.

Exit codes:
  0  report printed
  2  bad input: unknown tenant or platform, invalid price sheet or option (nothing printed but the message)
  3  internal error (a bug: please report it)
`;

export function registerUsage(program: Command, root: string, io: Io, setCode: (code: number) => void): void {
  program
    .command("usage")
    .description("Meter each tenant's requested CPU, memory and storage from its rendered state, priced by a price sheet: cost per month and per user per year")
    .argument("[tenant]", "tenant stack name (stacks/Pulumi.<tenant>.yaml)")
    .option("--fleet", "every tenant of --platform")
    .option("--platform <stack>", "the platform stack whose fleet --fleet meters, and whose socle:opencost.priceSheet prices when --prices is not given")
    .option("--prices <sheet>", "price sheet (YAML, EUR per vCPU-month, GiB-RAM-month, GiB-block-month, GiB-object-month): see examples/prices.yaml; default: the platform stack's socle:opencost.priceSheet")
    .option("--format <format>", "table, csv or json", "table")
    .option("--target-per-user <eur>", "target cost per user per year, in euros (default 50: unsourced, set your own)")
    .option("--users <n>", "the tenant's number of users (default: its plan's ceiling)")
    .option("--opencost-configmap <namespace>", "print OpenCost's custom pricing ConfigMap made from the price sheet (--prices, or --platform's socle:opencost.priceSheet), for that namespace, instead of a report")
    .addHelpText("after", USAGE_HELP)
    .action(async (tenant: string | undefined, opts: { fleet?: boolean; platform?: string; prices?: string; format: string; targetPerUser?: string; users?: string; opencostConfigmap?: string }) => {
      try {
        // Loaded on use: the state reader and the audit's input loader.
        const { runUsage } = await lazy<{ runUsage: typeof RunUsage }>(() => require("../usage/command"), () => import("../usage/command"));
        await runUsage({
          root,
          ...(tenant !== undefined ? { tenant } : {}),
          ...(opts.fleet ? { fleet: true } : {}),
          ...(opts.platform !== undefined ? { platform: opts.platform } : {}),
          ...(opts.prices !== undefined ? { prices: opts.prices } : {}),
          format: opts.format,
          ...(opts.targetPerUser !== undefined ? { targetPerUser: opts.targetPerUser } : {}),
          ...(opts.users !== undefined ? { users: opts.users } : {}),
          ...(opts.opencostConfigmap !== undefined ? { opencostNamespace: opts.opencostConfigmap } : {}),
          renderStack: async (stack) => {
            // Loaded on use: the render engine and the Pulumi SDK, only when a tenant has no rendered state.
            const { renderStack } = await lazy<typeof import("../render/render")>(() => require("../render/render"), () => import("../render/render"));
            const result = await renderStack({ root, stack });
            return shown(join(result.outDir, "state.json"));
          },
          out: io.out,
        });
        setCode(0);
      } catch (err) {
        if (err instanceof InputError) {
          io.err(`socle usage: ${err.message}\n`);
          setCode(2);
        } else if (err instanceof ConfigError) {
          io.err(formatConfigError(err));
          setCode(2);
        } else throw err;
      }
    });
}
