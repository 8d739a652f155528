import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { isScalar, visit, type Document } from "yaml";

/**
 * Bounds on what socle reads from files it is given (stack files, waivers, state exports,
 * checkpoints, manifests): each reader checks the file is a regular file of bounded size before
 * reading it, parses YAML with an alias limit and JSON with a depth limit, and reports the limit by
 * name when an input exceeds it.
 */
export const READ_LIMITS = {
  /** A stack file or a waiver file: real ones are a few kilobytes. */
  configBytes: 1024 * 1024,
  /** A state export, checkpoint or manifest file: 20,000 resources fit in well under this. */
  inputBytes: 512 * 1024 * 1024,
  /** YAML aliases expanded in one document (the yaml library's own default, made explicit). */
  yamlAliases: 100,
  /** Nesting of maps and lists. Kubernetes objects inside Pulumi state are under 40 levels deep. */
  depth: 256,
  /** YAML documents in one manifest file, and manifest files in one folder. */
  documents: 100_000,
  /** Files in one manifest folder. */
  files: 100_000,
} as const;

/** Why a file cannot be read, as a phrase that follows the file name. */
export class ReadProblem extends Error {}

/** A system error as a phrase a person can act on, instead of a bare code. */
export function cannotRead(e: unknown): ReadProblem {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === "EACCES" || code === "EPERM") return new ReadProblem("cannot be read: permission denied (check the file's owner and mode, and the folders above it)");
  if (code === "ENOTDIR") return new ReadProblem("does not exist: a part of its path is a file, not a folder");
  return new ReadProblem(`cannot be read (${code ?? "error"})`);
}

/**
 * Reads a regular file of at most `maxBytes`, following symbolic links safely: a dangling or
 * looping link, a folder, a FIFO or a device is refused before any read (a FIFO would block).
 */
export function readRegularFile(path: string, maxBytes: number, what = "file"): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new ReadProblem("is a symbolic link that loops");
    if (code === "ENOENT") throw new ReadProblem("does not exist (or is a symbolic link to nothing)");
    throw cannotRead(e);
  }
  let st;
  try {
    st = statSync(real);
  } catch (e) {
    throw cannotRead(e);
  }
  if (st.isDirectory()) throw new ReadProblem(`is a folder, not a ${what}`);
  if (!st.isFile()) throw new ReadProblem(`is not a regular file (a FIFO, socket or device): give a ${what}`);
  if (st.size > maxBytes) throw new ReadProblem(`is ${st.size} bytes, more than the limit of ${maxBytes} bytes for a ${what}`);
  // O_NONBLOCK: should the path be swapped for a FIFO after the check, the open does not hang.
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw cannotRead(e);
  }
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile()) throw new ReadProblem(`is not a regular file: give a ${what}`);
    const size = Math.min(fst.size, maxBytes + 1);
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off > maxBytes) throw new ReadProblem(`is more than the limit of ${maxBytes} bytes for a ${what}`);
    return buf.subarray(0, off).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * Nesting depth of a JSON text, by scanning it (no recursion, no parse): brackets outside strings.
 * Returns the offset where `max` is first exceeded, or -1.
 */
export function jsonDepthExceeded(text: string, max: number = READ_LIMITS.depth): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

/**
 * Checks a parsed value iteratively: no cycle (a self-referencing YAML alias), depth at most
 * `maxDepth`. Returns a problem phrase, or undefined.
 */
export function treeProblem(value: unknown, maxDepth: number = READ_LIMITS.depth): string | undefined {
  const onPath = new Set<object>();
  // Iterative DFS with explicit exit markers, to detect cycles (an object that contains itself).
  const work: ([unknown, number] | { exit: object })[] = [[value, 0]];
  while (work.length) {
    const item = work.pop()!;
    if (!Array.isArray(item)) {
      onPath.delete(item.exit);
      continue;
    }
    const [v, d] = item;
    if (typeof v !== "object" || v === null) continue;
    if (onPath.has(v)) return "refers to itself (a recursive alias)";
    if (d >= maxDepth) return `is nested more than ${maxDepth} levels deep (the limit)`;
    onPath.add(v);
    work.push({ exit: v });
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (typeof c === "object" && c !== null) work.push([c, d + 1]);
  }
  return undefined;
}

/** The first duplicated key of any map of the document, in linear time (the yaml library's own check is quadratic). */
export function duplicateKey(doc: Document): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? pair.key.value : undefined;
        if (k === undefined) continue;
        if (seen.has(k)) {
          found = { key: String(k), offset: isScalar(pair.key) && pair.key.range ? pair.key.range[0] : 0 };
          return visit.BREAK;
        }
        seen.add(k);
      }
      return undefined;
    },
  });
  return found;
}

