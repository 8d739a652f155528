import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** A stack file larger than this is not a socle stack file: skipped, never read whole. */
const MAX_STACK_FILE_BYTES = 1024 * 1024;
const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;

/**
 * The fleet of a platform: every stack in `<root>/stacks/` whose `socle:platformStack` ends with
 * `/<platformStack>` (docs/hosters-fleet.md). Sorted by code unit, never by locale, so the order is
 * the same on every machine.
 */
export function fleetOf(root: string, platformStack: string): string[] {
  const dir = join(root, "stacks");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const members: string[] = [];
  for (const file of names) {
    const m = STACK_FILE.exec(file);
    if (!m) continue;
    const path = join(dir, file);
    try {
      const st = lstatSync(path);
      if (!st.isFile() || st.size > MAX_STACK_FILE_BYTES) continue;
      const doc = parse(readFileSync(path, "utf8"), { maxAliasCount: 100 }) as { config?: Record<string, unknown> } | null;
      const ref = doc?.config?.["socle:platformStack"];
      if (typeof ref === "string" && ref.endsWith(`/${platformStack}`)) members.push(m[1]);
    } catch {
      continue; // not readable YAML: not a member (`socle check <stack>` reports it)
    }
  }
  return members.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Stacks in `<root>/stacks/` whose `socle:kind` is `platform`, sorted by code unit. */
export function platformStacks(root: string): string[] {
  const dir = join(root, "stacks");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const file of names) {
    const m = STACK_FILE.exec(file);
    if (!m) continue;
    try {
      const st = lstatSync(join(dir, file));
      if (!st.isFile() || st.size > MAX_STACK_FILE_BYTES) continue;
      const doc = parse(readFileSync(join(dir, file), "utf8"), { maxAliasCount: 100 }) as { config?: Record<string, unknown> } | null;
      if (doc?.config?.["socle:kind"] === "platform") out.push(m[1]);
    } catch {
      continue;
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
