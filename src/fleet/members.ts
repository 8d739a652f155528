import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { readRegularFile, READ_LIMITS } from "../config/read-limits";

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
  const names = readdirSync(stacksDir);
  if (names.filter((f) => STACK_FILE.test(f)).length > MAX_FLEET_STACKS) {
    throw new RangeError(`${stacksDir} holds more than the ${MAX_FLEET_STACKS} stack files a fleet run reads`);
  }
  return stackConfigs(stacksDir, names)
    .filter(({ config }) => typeof config["socle:platformStack"] === "string" && (config["socle:platformStack"] as string).endsWith(`/${platformStack}`))
    .map(({ stack }) => stack);
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
  return stackConfigs(dir, names.slice(0, MAX_FLEET_STACKS))
    .filter(({ config }) => config["socle:kind"] === "platform")
    .map(({ stack }) => stack);
}

/**
 * The `config` map of each readable stack file among `names`, sorted by stack name (code units). Read through
 * the bounded reader every stack file goes through (size, regular file: a FIFO never blocks, YAML aliases);
 * a file that cannot be read or parsed is skipped.
 */
function stackConfigs(dir: string, names: readonly string[]): { stack: string; config: Record<string, unknown> }[] {
  const out: { stack: string; config: Record<string, unknown> }[] = [];
  for (const file of names) {
    const m = STACK_FILE.exec(file);
    if (!m) continue;
    try {
      const doc = parse(readRegularFile(join(dir, file), READ_LIMITS.configBytes, "stack file"), { maxAliasCount: READ_LIMITS.yamlAliases }) as { config?: unknown } | null;
      const config = doc?.config;
      if (config && typeof config === "object" && !Array.isArray(config)) out.push({ stack: m[1]!, config: config as Record<string, unknown> });
    } catch {
      continue;
    }
  }
  return out.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}
