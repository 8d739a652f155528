import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readRegularFile, READ_LIMITS } from "../config/read-limits";
import { parseDocument } from "yaml";

const STACK_FILE = /^Pulumi\.([A-Za-z0-9][A-Za-z0-9_.-]*)\.yaml$/;

/**
 * The fleet of a platform: every stack in `<root>/stacks/` whose `socle:platformStack` ends with
 * `/<platformStack>` (HOSTERS-SHARED conventions of issue #10), sorted by name. A stack file that cannot be read
 * or parsed is not a member (the commands that read members validate them and say why).
 */
export function fleetOf(root: string, platformStack: string): string[] {
  const dir = join(root, "stacks");
  if (!existsSync(dir)) return [];
  const members: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = STACK_FILE.exec(file);
    if (!m) continue;
    let value: unknown;
    try {
      const doc = parseDocument(readRegularFile(join(dir, file), READ_LIMITS.configBytes, "stack file"), { uniqueKeys: false });
      value = (doc.toJS({ maxAliasCount: READ_LIMITS.yamlAliases }) as { config?: Record<string, unknown> } | null)?.config?.["socle:platformStack"];
    } catch {
      continue;
    }
    if (typeof value === "string" && value.endsWith(`/${platformStack}`)) members.push(m[1]!);
  }
  return members.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
