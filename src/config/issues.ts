import type { ConfigIssue } from "../model/issues";

/** A configuration problem, as the user must read it (defined in the bottom layer, shared with the cloud's checks). */
export type { ConfigIssue };

/** Thrown when the configuration is invalid; carries every issue at once. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`${file}: ${issues.length} configuration error(s)`);
    this.name = "ConfigError";
  }
}

/** Characters of a value an error message may show. */
export const EXCERPT_MAX = 40;
/** Issues a message lists before summing up the rest. */
export const ISSUES_SHOWN_MAX = 20;

/**
 * A value as an error message may show it: short, with credentials in URLs masked, long strings
 * cut with their length, lists and maps described by their size. Never more than about 80 characters.
 */
export function excerpt(value: unknown): string {
  if (typeof value === "string") {
    const masked = value.replace(/(\/\/)[^/?#@]*@/g, "$1[redacted]@");
    const shown = masked.length > EXCERPT_MAX ? `${masked.slice(0, EXCERPT_MAX)}…` : masked;
    return JSON.stringify(shown) + (masked.length > EXCERPT_MAX ? ` (${value.length} characters)` : "");
  }
  if (Array.isArray(value)) return `(a list of ${value.length})`;
  if (value !== null && typeof value === "object") return `(a map of ${Object.keys(value).length} keys)`;
  return String(value);
}
