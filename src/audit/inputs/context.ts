/**
 * The audit context, shared with the CrossGuard pack: defined in policies/context.ts (the pack imports nothing
 * outside policies/); this module adds the input error `socle audit` reports for invalid stack metadata.
 */
import { StackMetadataError, parseStackMetadata as parseMetadata, type StackMetadata } from "../../../policies/context";
import { InputError } from "../errors";

export { DEFAULT_ALLOWED_REGIONS, DEFAULT_MIN_LOG_RETENTION_DAYS, buildContext, type ContextOverrides, type StackMetadata } from "../../../policies/context";

/** Validates the stack's `socle` output; `where` is the JSON path of that output, for error messages. */
export function parseStackMetadata(value: unknown, file: string, where: string): StackMetadata {
  try {
    return parseMetadata(value, where);
  } catch (e) {
    if (e instanceof StackMetadataError) throw new InputError(e.problem, file, { path: e.path });
    throw e;
  }
}
