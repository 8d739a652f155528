import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadInput } from "../audit/inputs/load";
import { catalogImage } from "../images/ref";
import { programLockPath, readLock } from "../images/lock";
import { InputError } from "../model/input-error";
import { loadStackConfig } from "../tenants/catalog";
import { journalDir, removeTenant, STEPS, type Step } from "../tenants/offboard";
import type { Io } from "./io";
import { lazy } from "./lazy";

/** `socle tenant remove`, loaded on use: it reads the tenant's rendered state (rendering it first when absent). */
export async function tenantRemove(o: {
  root: string;
  name: string;
  step?: string;
  resume?: boolean;
  retentionDays?: string;
  exportManifest?: string;
  exportDir?: string;
  exportBucket?: string;
  s3Region?: string;
  now?: string;
  io: Io;
}): Promise<number> {
  const config = loadStackConfig(o.root, o.name);
  if (config.kind !== "tenant") throw new InputError(`unknown tenant ${o.name}: stacks/Pulumi.${o.name}.yaml is a ${config.kind} stack, not a tenant`);
  if (o.step !== undefined && !(STEPS as readonly string[]).includes(o.step)) throw new InputError(`--step must be one of ${STEPS.join(", ")}, got ${JSON.stringify(o.step.slice(0, 40))}`);
  let retentionDays: number | undefined;
  if (o.retentionDays !== undefined) {
    retentionDays = Number(o.retentionDays);
    if (!/^\d{1,4}$/.test(o.retentionDays) || retentionDays > 3650) throw new InputError(`--retention-days must be a whole number of days from 0 to 3650, got ${JSON.stringify(o.retentionDays.slice(0, 40))}`);
  }
  const now = o.now !== undefined ? new Date(o.now) : new Date();
  if (o.now !== undefined && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(o.now) || Number.isNaN(now.getTime()))) {
    throw new InputError(`--now must be an ISO 8601 UTC time such as 2026-01-31T09:00:00Z, got ${JSON.stringify(o.now.slice(0, 40))}`);
  }
  const existing = join(o.root, "out", o.name, "state.json");
  let statePath = existing;
  if (!existsSync(existing)) {
    // Loaded on use, as `socle audit <stack>` does: only when the tenant has no rendered state.
    const { renderStack } = await lazy<typeof import("../render/render")>(() => require("../render/render"), () => import("../render/render"));
    statePath = join((await renderStack({ root: o.root, stack: o.name })).outDir, "state.json");
  }
  const input = await loadInput(statePath, { today: "1970-01-01", projectDir: o.root });
  const journal = removeTenant({
    root: o.root,
    tenant: o.name,
    config,
    views: input.views,
    ...(o.step !== undefined ? { step: o.step as Step } : {}),
    ...(o.resume ? { resume: true } : {}),
    now,
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    ...(o.exportManifest !== undefined ? { exportManifest: o.exportManifest } : {}),
    ...(o.exportDir !== undefined ? { exportDir: o.exportDir } : {}),
    ...(o.exportBucket !== undefined ? { exportBucket: o.exportBucket } : {}),
    ...(o.s3Region !== undefined ? { s3Region: o.s3Region } : {}),
    curlImage: catalogImage("curl", config.registryMirror, readLock(programLockPath(process.env))),
    log: (line) => o.io.out(`  ${line}\n`),
  });
  const steps = STEPS.map((s) => `${s} ${journal.steps[s].state}`).join(", ");
  o.io.out(`socle tenant remove ${o.name}: ${steps}; journal ${join(journalDir(o.root, o.name), "journal.json")}\n`);
  return 0;
}
