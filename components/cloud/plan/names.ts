import { createHash } from "node:crypto";

/** The stricter of OpenStack's and Outscale's name limits we meet (a DNS label: hostnames come from names). */
export const MAX_NAME_LENGTH = 63;

/**
 * A cloud resource name: `<org>-<part>-<part>`, lowercase DNS label characters only, at most 63 characters.
 * A name that would be longer is cut and suffixed with a short hash of the whole, so it stays unique.
 */
export function resourceName(org: string, ...parts: readonly (string | number)[]): string {
  const raw = [org, ...parts.map(String)]
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  if (raw.length <= MAX_NAME_LENGTH) return raw;
  const hash = createHash("sha256").update(raw).digest("hex").slice(0, 8);
  return `${raw.slice(0, MAX_NAME_LENGTH - 9).replace(/-$/, "")}-${hash}`;
}
