/**
 * Markers written by `socle render` where a real deployment would hold a value the render
 * cannot or must not know. Documented in docs/render.md; tests and the audit recognise them.
 */

/** A value known only after `pulumi up` (cloud IDs, IP addresses, endpoints). */
export const UNKNOWN = "[unknown: known after pulumi up]";

/** Stands in for every secret value, in state.json (as the ciphertext) and in manifests. */
export const SECRET = "[secret]";

/** Pulumi's wire and state signature for a secret value (`{ [SIG_KEY]: SECRET_SIG, ... }`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Pulumi's wire sentinel for an unknown value during preview. */
export const WIRE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A secret as `pulumi stack export` writes it, with the fixed marker in place of the ciphertext. */
export function secretEnvelope(): Record<string, string> {
  return { [SIG_KEY]: SECRET_SIG, ciphertext: SECRET };
}

export function isSecretEnvelope(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}
