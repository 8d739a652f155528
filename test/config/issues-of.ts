import { expect } from "vitest";
import { ConfigError, parseConfig, type ConfigIssue } from "../../src/config";

/** The issues `parseConfig` refuses `raw` with; fails the test when it accepts it or throws anything else. */
export function configIssues(raw: Record<string, unknown>, ctx: Parameters<typeof parseConfig>[1]): ConfigIssue[] {
  try {
    parseConfig(raw, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).issues];
  }
  throw new Error("expected a ConfigError");
}
