import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** A stack file larger than this is not a socle stack file: not read (a fleet folder may hold anything). */
const MAX_STACK_FILE_BYTES = 1024 * 1024;
/** At most this many stack files are considered: a bound, far above any fleet a machine renders. */
export const MAX_FLEET_STACKS = 20_000;

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;

/**
 * The fleet of a platform (docs/hosters-isolation.md): every stack in `<root>/stacks/` (or `stacksDir`) whose
 * `socle:platformStack` ends with `/<platformStack>`, sorted by name (byte order, any locale). A file that
 * cannot be read or parsed is not a member; `socle fleet` renders members only, so a broken tenant file
 * is reported when rendered by its own name, not here.
 */
export function fleetOf(root: string, platformStack: string, stacksDir: string = join(root, "stacks")): string[] {
  const members: string[] = [];
  const names = readdirSync(stacksDir).filter((f) => STACK_FILE.test(f)).sort(byCode);
  if (names.length > MAX_FLEET_STACKS) throw new RangeError(`${stacksDir} holds ${names.length} stack files, more than the ${MAX_FLEET_STACKS} a fleet run reads`);
  for (const file of names) {
    const path = join(stacksDir, file);
    let doc: unknown;
    try {
      if (statSync(path).size > MAX_STACK_FILE_BYTES) continue;
      doc = parse(readFileSync(path, "utf8"), { maxAliasCount: 100 });
    } catch {
      continue;
    }
    const config = (doc as { config?: Record<string, unknown> } | null)?.config;
    const ref = config?.["socle:platformStack"];
    if (typeof ref === "string" && ref.endsWith(`/${platformStack}`)) members.push(STACK_FILE.exec(file)![1]!);
  }
  return members;
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
  for (const file of names.slice(0, MAX_FLEET_STACKS)) {
    const m = STACK_FILE.exec(file);
    if (!m) continue;
    try {
      const st = statSync(join(dir, file));
      if (!st.isFile() || st.size > MAX_STACK_FILE_BYTES) continue;
      const doc = parse(readFileSync(join(dir, file), "utf8"), { maxAliasCount: 100 }) as { config?: Record<string, unknown> } | null;
      if (doc?.config?.["socle:kind"] === "platform") out.push(m[1]!);
    } catch {
      continue;
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
