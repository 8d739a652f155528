import { cannotRead, jsonDepthExceeded, readRegularFile, READ_LIMITS, ReadProblem } from "../../config/read-limits";
import { InputError } from "../errors";
import { findJsonSyntaxError, lineColumnAt } from "./json-position";

/** Reads a regular file of bounded size (see READ_LIMITS); a folder, FIFO, looping link or oversized file is an InputError. */
export function readText(file: string, shown: string, maxBytes: number = READ_LIMITS.inputBytes, what = "file"): string {
  try {
    return readRegularFile(file, maxBytes, what);
  } catch (e) {
    if (e instanceof ReadProblem) throw new InputError(e.message, shown);
    throw new InputError(cannotRead(e).message, shown);
  }
}

/** Parses JSON; a syntax error becomes an InputError with the line and column of the first problem. */
export function parseJson(text: string, shown: string): unknown {
  const deep = jsonDepthExceeded(text);
  if (deep >= 0) throw new InputError(`is nested more than ${READ_LIMITS.depth} levels deep (the limit)`, shown, lineColumnAt(text, deep));
  try {
    return JSON.parse(text);
  } catch (e) {
    const issue = findJsonSyntaxError(text);
    if (!issue) throw new InputError(`is not valid JSON: ${(e as Error).message}`, shown);
    throw new InputError(`is not valid JSON: ${issue.problem}`, shown, lineColumnAt(text, issue.offset));
  }
}
