import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

/**
 * Names read, by `Pulumi.yaml` path: a fleet thread renders hundreds of stacks of one project. Read again
 * when the file changed (size or modification time), so an edited project is never answered from memory.
 */
const names = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly name: string }>();

/** The Pulumi project's name, from `Pulumi.yaml` at the repository's root. */
export function projectName(root: string): string {
  const file = join(root, "Pulumi.yaml");
  const st = statSync(file);
  const hit = names.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.name;
  const project = parseYaml(readFileSync(file, "utf8")) as { name?: string };
  if (!project?.name) throw new Error(`${file} has no name`);
  names.set(file, { mtimeMs: st.mtimeMs, size: st.size, name: project.name });
  return project.name;
}
