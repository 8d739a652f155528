import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

/** The Pulumi project's name, from `Pulumi.yaml` at the repository's root. */
export function projectName(root: string): string {
  const project = parseYaml(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { name?: string };
  if (!project?.name) throw new Error(`${join(root, "Pulumi.yaml")} has no name`);
  return project.name;
}
