import { relative } from "node:path";
import { excerpt, ISSUES_SHOWN_MAX, type ConfigError } from "../config/issues";

/** A configuration error as the operator reads it: one numbered entry per problem, all at once. */
export function formatConfigError(err: ConfigError, cwd: string = process.cwd()): string {
  const file = err.file.startsWith("/") ? relative(cwd, err.file) || err.file : err.file;
  const lines = [`socle: ${file}: ${err.issues.length} configuration error${err.issues.length === 1 ? "" : "s"}`];
  let lastAllowed: string | undefined;
  err.issues.slice(0, ISSUES_SHOWN_MAX).forEach((issue, i) => {
    const line = (issue as { line?: number }).line;
    const where = line !== undefined ? ` (line ${line})` : "";
    const value = issue.value === undefined ? "" : ` = ${excerpt(issue.value)}`;
    lines.push(`  ${i + 1}. ${bounded(issue.path)}${where}${value}: ${issue.problem}`);
    if (issue.allowed) lines.push(`     allowed: ${issue.allowed === lastAllowed ? "(as above)" : bounded(issue.allowed, 2000)}`);
    lastAllowed = issue.allowed;
    lines.push(`     fix: ${bounded(issue.fix, 400)}`);
  });
  if (err.issues.length > ISSUES_SHOWN_MAX) lines.push(`  … and ${err.issues.length - ISSUES_SHOWN_MAX} more: correct these first`);
  return lines.join("\n") + "\n";
}

/** Key paths and fixes quote keys the user wrote: cut them too. */
function bounded(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
