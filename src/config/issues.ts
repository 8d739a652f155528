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
