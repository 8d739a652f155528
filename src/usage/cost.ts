import type { SizingProfile } from "../config/schema";
import type { Usage } from "./meter";
import type { PriceSheet } from "./prices";

const GIB = 2 ** 30;

/**
 * The default target, euros per user per year: UNSOURCED. The issue quotes "about 50 € per user per year" as the
 * French state's ceiling for its sovereign suite; no public source saying so was found (searched: DINUM and La
 * Suite numérique pages, circulars, Sénat and Cour des comptes reports; docs/hosters.md, "The 50 € target", lists
 * what was found instead). The reports say the default is unsourced: set your own with `--target-per-user`.
 */
export const DEFAULT_TARGET_PER_USER_YEAR = 50;

/** What the reports say of the default target. */
export const DEFAULT_TARGET_NOTE = `${DEFAULT_TARGET_PER_USER_YEAR} € per user per year is socle's default target, unsourced: set your own with --target-per-user`;

export interface TenantCost {
  readonly tenant: string;
  readonly plan: SizingProfile;
  readonly users: number;
  readonly usersFrom: "plan ceiling" | "--users";
  readonly vcpu: number;
  readonly ramGiB: number;
  readonly blockGiB: number;
  /** null: object storage not metered (no bucket quota declared). */
  readonly objectGiB: number | null;
  readonly monthly: { readonly cpu: number; readonly ram: number; readonly block: number; readonly object: number; readonly total: number };
  readonly perUserYear: number;
  readonly target: number;
  readonly withinTarget: boolean;
  readonly usage: Usage;
}

/** Rounded to the cent (half away from zero), on an integer of cents so that 0.1 + 0.2 stays 0.3. */
export const cents = (x: number): number => Math.sign(x) * Math.round(Math.abs(x) * 100 + 1e-9) / 100;

/**
 * Cost per month = vCPU × price per vCPU-month + GiB RAM × price + GiB block × price + GiB object × price
 * (object only when metered). Per user per year = cost per month × 12 ÷ users. Each figure is kept unrounded
 * here; the report rounds to the cent.
 */
export function price(tenant: string, plan: SizingProfile, usage: Usage, sheet: PriceSheet, users: number, usersFrom: TenantCost["usersFrom"], target: number): TenantCost {
  const vcpu = usage.cpuMillicores / 1000;
  const ramGiB = usage.memoryBytes / GIB;
  const blockGiB = usage.blockBytes / GIB;
  const objectGiB = usage.object.metered ? usage.object.bytes / GIB : null;
  const p = sheet.prices;
  const monthly = {
    cpu: vcpu * p.vcpuMonth,
    ram: ramGiB * p.ramGiBMonth,
    block: blockGiB * p.blockGiBMonth,
    object: (objectGiB ?? 0) * p.objectGiBMonth,
    total: 0,
  };
  monthly.total = monthly.cpu + monthly.ram + monthly.block + monthly.object;
  const perUserYear = (monthly.total * 12) / users;
  return { tenant, plan, users, usersFrom, vcpu, ramGiB, blockGiB, objectGiB, monthly, perUserYear, target, withinTarget: perUserYear <= target, usage };
}
