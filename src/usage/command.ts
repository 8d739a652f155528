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
import { openCostPricingConfigMap } from "./opencost";
import { readPriceSheet } from "./prices";

/** Name of OpenCost's pricing ConfigMap: give it to the chart as `opencost.customPricing.configmapName`. */
export const OPENCOST_CONFIGMAP = "socle-custom-pricing";
import { renderUsage, type UsageFormat } from "./report";

export interface UsageOptions {
  readonly root: string;
  readonly tenant?: string;
  readonly fleet?: boolean;
  readonly platform?: string;
  readonly prices: string;
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

/** `socle usage`: meter each tenant's rendered state, price it, print the report. Bad input throws InputError (exit 2). */
export async function runUsage(opts: UsageOptions): Promise<TenantCost[]> {
  if (opts.opencostNamespace !== undefined) {
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(opts.opencostNamespace)) throw new InputError(`--opencost-configmap: ${JSON.stringify(opts.opencostNamespace.slice(0, 70))} is not a namespace name (a DNS label)`);
    const { stringify } = await import("yaml");
    opts.out(stringify(openCostPricingConfigMap(readPriceSheet(opts.prices), { name: OPENCOST_CONFIGMAP, namespace: opts.opencostNamespace }), { lineWidth: 0 }));
    return [];
  }
  const format = (opts.format ?? "table") as UsageFormat;
  if (!["table", "csv", "json"].includes(format)) throw new InputError(`--format must be table, csv or json, got ${JSON.stringify(String(opts.format).slice(0, 40))}`);
  const target = positive("--target-per-user", opts.targetPerUser, false) ?? DEFAULT_TARGET_PER_USER_YEAR;
  const users = positive("--users", opts.users, true);
  let tenants: string[];
  if (opts.fleet) {
    if (opts.tenant !== undefined) throw new InputError("give a tenant or --fleet --platform <stack>, not both");
    if (opts.platform === undefined) throw new InputError("--fleet needs --platform <stack>: the platform whose tenants to meter");
    const problem = stackNameProblem(opts.platform);
    if (problem) throw new InputError(`--platform: ${problem}`);
    if (!existsSync(stackFilePath(opts.root, opts.platform))) throw new InputError(`platform stack ${opts.platform} does not exist (no stacks/Pulumi.${opts.platform}.yaml)`);
    if (users !== undefined) throw new InputError("--users applies to one tenant: meter each tenant on its own to give its number of users");
    tenants = fleetOf(opts.root, opts.platform);
    if (tenants.length === 0) throw new InputError(`platform ${opts.platform} has no tenant in stacks/ (no stack with socle:platformStack ending in /${opts.platform})`);
  } else {
    if (opts.tenant === undefined) throw new InputError("name a tenant, or give --fleet --platform <stack>");
    const problem = stackNameProblem(opts.tenant);
    if (problem) throw new InputError(problem);
    if (!existsSync(stackFilePath(opts.root, opts.tenant))) throw new InputError(`tenant ${opts.tenant} does not exist (no stacks/Pulumi.${opts.tenant}.yaml)`);
    tenants = [opts.tenant];
  }
  const sheet = readPriceSheet(opts.prices);
  const costs: TenantCost[] = [];
  for (const t of tenants) {
    const config = loadStackConfig(opts.root, t);
    const existing = join(opts.root, "out", t, "state.json");
    const statePath = existsSync(existing) ? existing : await opts.renderStack(t);
    const input = await loadInput(statePath, { today: "1970-01-01", projectDir: opts.root });
    const usage = meter(input.views);
    costs.push(price(t, config.sizing, usage, sheet, users ?? PLAN_USER_CEILING[config.sizing], users !== undefined ? "--users" : "plan ceiling", target));
  }
  opts.out(renderUsage(costs, sheet, format));
  return costs;
}
