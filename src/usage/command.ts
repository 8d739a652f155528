import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadInput } from "../audit/inputs/load";
import { stackNameProblem } from "../config/stack-name";
import { stackFilePath } from "../config/stack-file";
import { fleetOf } from "../fleet/members";
import { InputError } from "../model/input-error";
import { loadStackConfig } from "../tenants/catalog";
import { PLAN_USER_CEILING } from "../tenants/plans";
import { DEFAULT_TARGET_PER_USER_YEAR, price, type TenantCost } from "./cost";
import { meter } from "./meter";
import { OPENCOST_CONFIGMAP, openCostPricingConfigMap } from "./opencost";
import { readPriceSheet, type PriceSheet } from "./prices";
import { renderUsage, type UsageFormat } from "./report";

/** Name of OpenCost's pricing ConfigMap: the chart's `opencost.customPricing.configmapName` (charts/platform/opencost.ts). */
export { OPENCOST_CONFIGMAP };

export interface UsageOptions {
  readonly root: string;
  readonly tenant?: string;
  readonly fleet?: boolean;
  readonly platform?: string;
  /** A price sheet file; absent: the platform stack's `socle:opencost.priceSheet`, the sheet its OpenCost prices with. */
  readonly prices?: string;
  readonly format?: string;
  readonly targetPerUser?: string;
  readonly users?: string;
  /** Print OpenCost's custom pricing ConfigMap for this namespace, made from the sheet, instead of a report. */
  readonly opencostNamespace?: string;
  /** Renders a stack and returns its state.json path (`socle render`); called only when out/<stack>/state.json is absent. */
  readonly renderStack: (stack: string) => Promise<string>;
  readonly out: (s: string) => void;
}

function positive(flag: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)) || n > 1e9) {
    throw new InputError(`${flag} ${JSON.stringify(v.slice(0, 40))} is not a ${integer ? "whole number" : "number"} above 0`);
  }
  return n;
}

function existingStack(root: string, stack: string, what: string, flag: string): void {
  const problem = stackNameProblem(stack);
  if (problem) throw new InputError(`${flag}${problem}`);
  if (!existsSync(stackFilePath(root, stack))) throw new InputError(`${what} ${stack} does not exist (no stacks/Pulumi.${stack}.yaml)`);
}

/**
 * The price sheet: `--prices <file>`, or the one the platform stack carries (`socle:opencost.priceSheet`), so
 * that the report and the platform's OpenCost price with the same numbers. `platform` is the stack to read it from.
 */
function priceSheet(opts: UsageOptions, platform: string | undefined): PriceSheet {
  if (opts.prices !== undefined) return readPriceSheet(opts.prices);
  if (platform === undefined) throw new InputError("give --prices <sheet>, or --platform <stack> whose socle:opencost.priceSheet to use");
  const config = loadStackConfig(opts.root, platform);
  if (!config.opencost) {
    throw new InputError(`no --prices given, and platform ${platform} has no socle:opencost.priceSheet: give --prices <sheet> (see examples/prices.yaml), or set the sheet on the platform stack (docs/hosters.md, "OpenCost")`);
  }
  return config.opencost.priceSheet;
}

/** The platform a tenant runs on: the last segment of its `socle:platformStack` (org/project/stack). */
function platformOf(root: string, tenant: string): string | undefined {
  const ref = loadStackConfig(root, tenant).platformStack;
  return ref?.split("/").pop();
}

/** `socle usage`: meter each tenant's rendered state, price it, print the report. Bad input throws InputError (exit 2). */
export async function runUsage(opts: UsageOptions): Promise<TenantCost[]> {
  if (opts.opencostNamespace !== undefined) {
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(opts.opencostNamespace)) throw new InputError(`--opencost-configmap: ${JSON.stringify(opts.opencostNamespace.slice(0, 70))} is not a namespace name (a DNS label)`);
    if (opts.platform !== undefined) existingStack(opts.root, opts.platform, "platform stack", "--platform: ");
    const sheet = priceSheet(opts, opts.platform);
    const { stringify } = await import("yaml");
    opts.out(stringify(openCostPricingConfigMap(sheet, { name: OPENCOST_CONFIGMAP, namespace: opts.opencostNamespace }), { lineWidth: 0 }));
    return [];
  }
  const format = (opts.format ?? "table") as UsageFormat;
  if (!["table", "csv", "json"].includes(format)) throw new InputError(`--format must be table, csv or json, got ${JSON.stringify(String(opts.format).slice(0, 40))}`);
  const given = positive("--target-per-user", opts.targetPerUser, false);
  const target = given ?? DEFAULT_TARGET_PER_USER_YEAR;
  const users = positive("--users", opts.users, true);
  let tenants: string[];
  if (opts.fleet) {
    if (opts.tenant !== undefined) throw new InputError("give a tenant or --fleet --platform <stack>, not both");
    if (opts.platform === undefined) throw new InputError("--fleet needs --platform <stack>: the platform whose tenants to meter");
    existingStack(opts.root, opts.platform, "platform stack", "--platform: ");
    if (users !== undefined) throw new InputError("--users applies to one tenant: meter each tenant on its own to give its number of users");
    tenants = fleetOf(opts.root, opts.platform);
    if (tenants.length === 0) throw new InputError(`platform ${opts.platform} has no tenant in stacks/ (no stack with socle:platformStack ending in /${opts.platform})`);
  } else {
    if (opts.tenant === undefined) throw new InputError("name a tenant, or give --fleet --platform <stack>");
    existingStack(opts.root, opts.tenant, "tenant", "");
    if (opts.platform !== undefined) existingStack(opts.root, opts.platform, "platform stack", "--platform: ");
    tenants = [opts.tenant];
  }
  let platform = opts.platform;
  if (opts.prices === undefined && platform === undefined) {
    platform = platformOf(opts.root, tenants[0]!);
    if (platform !== undefined && !existsSync(stackFilePath(opts.root, platform))) {
      throw new InputError(`no --prices given, and the platform of ${tenants[0]} (${platform}) has no stack file here to read socle:opencost.priceSheet from: give --prices <sheet>`);
    }
  }
  const sheet = priceSheet(opts, platform);
  const costs: TenantCost[] = [];
  for (const t of tenants) {
    const config = loadStackConfig(opts.root, t);
    const existing = join(opts.root, "out", t, "state.json");
    const statePath = existsSync(existing) ? existing : await opts.renderStack(t);
    const input = await loadInput(statePath, { today: "1970-01-01", projectDir: opts.root });
    const usage = meter(input.views);
    costs.push(price(t, config.sizing, usage, sheet, users ?? PLAN_USER_CEILING[config.sizing], users !== undefined ? "--users" : "plan ceiling", target));
  }
  opts.out(renderUsage(costs, sheet, format, given === undefined ? "default" : "--target-per-user"));
  return costs;
}
