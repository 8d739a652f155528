/** Small readers for untyped resource properties: every check reads JSON it does not trust. */

/** Stands for a value Pulumi cannot know yet (`pulumi preview` of a resource computed from another's outputs). */
export const UNKNOWN_MARKER = "[unknown]";

/** A value known only after deployment: the pack's marker, or socle render's `[unknown: known after pulumi up]`. */
export const isUnknown = (v: unknown): boolean => typeof v === "string" && v.startsWith("[unknown");

export type Json = Readonly<Record<string, unknown>>;

export const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export const asRecord = (v: unknown): Json => (isRecord(v) ? v : {});

export const asArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export const nonEmptyString = (v: unknown): v is string => typeof v === "string" && v.trim().length > 0;

/** Records of an array, with their index (so that violation paths point at the right element). */
export function records(v: unknown): readonly { readonly item: Json; readonly index: number }[] {
  const out: { item: Json; index: number }[] = [];
  asArray(v).forEach((item, index) => {
    if (isRecord(item)) out.push({ item, index });
  });
  return out;
}

/** Integer from a number or a decimal string (`"30"`); undefined otherwise. */
export function asInteger(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
  return undefined;
}
