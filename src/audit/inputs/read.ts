import { readFileSync } from "node:fs";
import { InputError } from "../errors";
import { findJsonSyntaxError, lineColumnAt } from "./json-position";

export function readText(file: string, shown: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, shown);
  }
}

/** Parses JSON; a syntax error becomes an InputError with the line and column of the first problem. */
export function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const issue = findJsonSyntaxError(text);
    if (!issue) throw new InputError(`is not valid JSON: ${(e as Error).message}`, shown);
    throw new InputError(`is not valid JSON: ${issue.problem}`, shown, lineColumnAt(text, issue.offset));
  }
}
