import type { AppName, SizingProfile } from "../config/schema";

/**
 * A tenant's plan IS its sizing profile (`socle:sizing`, src/config/schema.ts SIZING_PROFILES). Each profile is
 * sized for a ceiling of users, as README.md's configuration table states (`socle:sizing`: small ≤ 500 users,
 * medium ≤ 5,000, large ≤ 50,000). The ceiling is what metering divides a tenant's cost by, unless the operator
 * gives the real number of users (`socle usage --users`).
 */
export const PLAN_USER_CEILING: Readonly<Record<SizingProfile, number>> = { small: 500, medium: 5_000, large: 50_000 };

/**
 * First label of each app's public hostname, `<prefix>.<domain>`: the `hostPrefix` of each AppModule in
 * src/program/apps/ (identity.ts "auth", wiki.ts "wiki", docs.ts "docs", chat.ts "chat", mail.ts "mail").
 * Copied here so that `socle tenant` does not load the components (and the Pulumi SDK) to read five strings;
 * test/tenants-cli/catalog.test.ts fails when the two disagree.
 */
export const APP_HOST_PREFIX: Readonly<Record<AppName, string>> = { identity: "auth", wiki: "wiki", docs: "docs", chat: "chat", mail: "mail" };

/** The public hostnames a tenant's apps serve. */
export function tenantHostnames(apps: readonly AppName[], domain: string): string[] {
  return [...new Set(apps.map((a) => `${APP_HOST_PREFIX[a]}.${domain}`))].sort();
}
