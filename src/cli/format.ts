import { relative } from "node:path";
import type { ConfigError } from "../config/issues";

/** A configuration error as the operator reads it: one numbered entry per problem, all at once. */
export function formatConfigError(err: ConfigError, cwd: string = process.cwd()): string {
  const file = err.file.startsWith("/") ? relative(cwd, err.file) || err.file : err.file;
  const lines = [`socle: ${file}: ${err.issues.length} configuration error${err.issues.length === 1 ? "" : "s"}`];
  err.issues.forEach((issue, i) => {
    const line = (issue as { line?: number }).line;
    const where = line !== undefined ? ` (line ${line})` : "";
    const value = issue.value === undefined ? "" : ` = ${JSON.stringify(issue.value)}`;
    lines.push(`  ${i + 1}. ${issue.path}${where}${value}: ${issue.problem}`);
    if (issue.allowed) lines.push(`     allowed: ${issue.allowed}`);
    lines.push(`     fix: ${issue.fix}`);
  });
  return lines.join("\n") + "\n";
}
