import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Name and version written in every report, read from the package manifest. */
export function toolInfo(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}
