import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { InputError } from "../model/input-error";

/**
 * Output folders socle owns. socle writes only into a folder it created (it holds the marker file
 * below) or one the operator hands over with `--force`; it deletes only the files it listed in that
 * marker; a lock file serializes concurrent writers; every file is written aside and renamed into place.
 *
 * Anchors: Terraform and Pulumi never touch files they did not write; `helm template --output-dir`
 * and `kubectl` never delete.
 */

/** The marker: its presence says socle created the folder; its content lists what each writer wrote. */
export const MARKER_FILE = ".socle-output.json";
export const LOCK_FILE = ".socle-output.lock";
const MARKER_VERSION = 1;
/** How long a writer waits for another one on the same folder before failing cleanly. */
const DEFAULT_LOCK_WAIT_MS = 10 * 60 * 1000;

/** An output folder socle will not write into: exit 2, with what to do. */
export class OutputError extends InputError {
  constructor(problem: string, dir: string) {
    super(problem, dir);
    this.name = "OutputError";
  }
}

/** Who writes into a folder: `socle render` and `socle audit` share `out/<stack>`; `socle tenant remove` writes `out/tenants/<tenant>` ("offboard"); `socle fleet render|audit|check` writes its fleet report as "fleet" and `socle fleet preview|up|export` its journal, logs and objects as "deploy", both in `out/fleet/<platform>`. */
export type Writer = "render" | "audit" | "offboard" | "deploy" | "fleet";

interface Marker {
  readonly socle: number;
  /** Relative paths (`/` separators) each writer wrote, sorted. */
  readonly files: Partial<Record<Writer, string[]>>;
}

export interface OutputOptions {
  /** Write into an existing folder socle did not create (it keeps every file it did not write). */
  readonly force?: boolean;
  /** Paths the output must not contain: the repository, the stack file, the inputs, the working directory. */
  readonly protect?: readonly Guard[];
  /** Milliseconds to wait for another writer; default 10 minutes. */
  readonly lockWaitMs?: number;
}

/** A path the output folder must not contain; `unlessOwned`: allowed when it is a file socle wrote in that folder. */
export interface Guard {
  readonly path: string;
  readonly what: string;
  readonly unlessOwned?: boolean;
}

/** A file to write: path relative to the output folder (`/` separators), and its content, or a function that writes it at the path it is given (streamed reports). */
export type OutputFile = readonly [relPath: string, content: string | ((path: string) => void)];

/**
 * Writes `files` into `outDir` on behalf of `writer`, replacing what that writer wrote there before
 * and removing its files that are no longer produced. Throws OutputError (nothing written) when the
 * folder is not socle's, would contain a protected path, or is locked for too long.
 */
export function writeOwnedFiles(outDir: string, writer: Writer, files: readonly OutputFile[], opts: OutputOptions = {}): string[] {
  const dir = resolvePath(outDir);
  checkContainment(dir, outDir, opts.protect ?? []);
  for (const [rel] of files) checkRelative(rel);
  const created = ensureFolder(dir, outDir, !!opts.force);
  const release = acquireLock(dir, outDir, opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  try {
    const marker = created ? emptyMarker() : readMarker(dir, outDir, !!opts.force);
    const previous = new Set(marker.files[writer] ?? []);
    const next = [...new Set(files.map(([rel]) => rel))].sort();
    // Refuse before writing anything: a folder where one of our files must go, or a file of the
    // other writer's, is not ours to replace.
    for (const rel of next) {
      const target = join(dir, rel);
      const st = lstatOrUndefined(target);
      if (st && !st.isFile()) throw new OutputError(`holds ${rel}, which is not a regular file: remove it or choose another output folder`, outDir);
      for (const [other, list] of Object.entries(marker.files)) {
        if (other !== writer && list?.includes(rel)) throw new OutputError(`holds ${rel}, written by socle ${other}: choose another output folder`, outDir);
      }
    }
    const tmp = mkdtempSync(join(dir, ".socle-tmp-"));
    try {
      try {
        files.forEach(([, content], i) => (typeof content === "string" ? writeFileSync(join(tmp, String(i)), content) : content(join(tmp, String(i)))));
      } catch (e) {
        // Nothing was moved in yet: a folder this call created goes again (it holds only the lock and the staging folder).
        if (created) {
          rmSync(tmp, { recursive: true, force: true });
          rmSync(join(dir, MARKER_FILE), { force: true }); // the empty marker this call wrote when it created the folder
          release();
          try {
            rmdirSync(dir); // only when empty: another run may have taken the folder since
          } catch {
            // not empty: left as it is
          }
        }
        throw e;
      }
      // While files move, the marker lists old and new: an interrupted run leaves nothing unlisted.
      writeMarker(dir, { ...marker, files: { ...marker.files, [writer]: [...new Set([...previous, ...next])].sort() } });
      files.forEach(([rel], i) => {
        const target = join(dir, rel);
        mkdirSync(dirname(target), { recursive: true });
        renameSync(join(tmp, String(i)), target);
      });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    for (const rel of previous) {
      if (next.includes(rel)) continue;
      const target = join(dir, rel);
      if (lstatOrUndefined(target)?.isFile()) unlinkSync(target);
      removeEmptyParents(dir, dirname(target));
    }
    writeMarker(dir, { ...marker, files: { ...marker.files, [writer]: next } });
    return next.map((rel) => join(outDir, rel));
  } finally {
    release();
  }
}

/** The checks writeOwnedFiles makes before writing, without creating anything: for a command to fail before its work. */
export function checkOutputDir(outDir: string, protect: OutputOptions["protect"] = [], force = false): void {
  const dir = resolvePath(outDir);
  checkContainment(dir, outDir, protect);
  const st = statOrUndefined(dir);
  if (!st && lstatOrUndefined(dir)) throw new OutputError("is a symbolic link to nothing (dangling or looping): remove it or choose another output folder", outDir);
  if (st && !st.isDirectory()) throw new OutputError("exists and is not a folder: remove it or choose another output folder", outDir);
  if (st && !force && !existsSync(join(dir, MARKER_FILE))) throw new OutputError(notOursMessage(), outDir);
  if (!st) {
    const parent = statOrUndefined(dirname(dir));
    if (parent && !parent.isDirectory()) throw new OutputError(`cannot be created: ${dirname(dir)} is not a folder`, outDir);
  }
}

function notOursMessage(): string {
  return `exists and was not created by socle (no ${MARKER_FILE} in it): choose a new folder, remove this one, or pass --force to write into it (socle then replaces only its own files and deletes nothing else)`;
}

/** The content of a file `writer` wrote in `outDir` (listed in its marker), or undefined. */
export function ownedFile(outDir: string, writer: Writer, rel: string): string | undefined {
  const dir = resolvePath(outDir);
  if (!existsSync(join(dir, MARKER_FILE))) return undefined;
  try {
    if (!readMarker(dir, outDir, false).files[writer]?.includes(rel)) return undefined;
    const st = lstatSync(join(dir, rel));
    return st.isFile() ? readFileSync(join(dir, rel), "utf8") : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves `p` through the symbolic links of its deepest existing ancestor. */
export function resolvePath(p: string): string {
  let cur = resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      const real = realpathSync(cur);
      return rest.length ? join(real, ...rest.reverse()) : real;
    } catch {
      const parent = dirname(cur);
      if (parent === cur) return resolve(p);
      rest.push(basename(cur));
      cur = parent;
    }
  }
}

/** True when `inner` is `outer` or inside it. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function checkContainment(dir: string, shown: string, protect: readonly Guard[]): void {
  if (dirname(dir) === dir) throw new OutputError("is the root of the file system: choose a folder of its own, such as out/<stack>", shown);
  for (const { path, what, unlessOwned } of protect) {
    const real = resolvePath(path);
    if (isWithin(real, dir)) {
      if (unlessOwned && ownedBySocle(dir, real)) continue;
      throw new OutputError(`would contain ${what} (${path}): socle replaces files in its output folder; choose a folder of its own, such as out/<stack>`, shown);
    }
  }
}

/** True when `file` is listed in the marker of `dir` (a state.json socle render wrote beside the reports). */
function ownedBySocle(dir: string, file: string): boolean {
  if (!existsSync(join(dir, MARKER_FILE))) return false;
  try {
    const marker = readMarker(dir, dir, false);
    const rel = relative(dir, file).split(sep).join("/");
    return Object.values(marker.files).some((list) => list?.includes(rel));
  } catch {
    return false;
  }
}

function checkRelative(rel: string): void {
  const n = normalize(rel);
  if (isAbsolute(rel) || n.startsWith("..") || n === "." || n.split(sep).some((s) => s === MARKER_FILE || s === LOCK_FILE)) {
    throw new Error(`internal: output file name ${JSON.stringify(rel)} is not a plain relative path`);
  }
}

/**
 * Creates the folder with its marker (atomically: a sibling folder renamed into place), or checks
 * that the existing one is a folder. Returns true when this call created it.
 */
function ensureFolder(dir: string, shown: string, force: boolean): boolean {
  const st = statOrUndefined(dir);
  if (!st && lstatOrUndefined(dir)) throw new OutputError("is a symbolic link to nothing (dangling or looping): remove it or choose another output folder", shown);
  if (st) {
    if (!st.isDirectory()) throw new OutputError("exists and is not a folder: remove it or choose another output folder", shown);
    if (!existsSync(join(dir, MARKER_FILE)) && !force) {
      throw new OutputError(notOursMessage(), shown);
    }
    return false;
  }
  const parent = dirname(dir);
  const pst = statOrUndefined(parent);
  if (pst && !pst.isDirectory()) throw new OutputError(`cannot be created: ${parent} is not a folder`, shown);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.socle-new-`));
  writeMarker(staging, emptyMarker());
  try {
    renameSync(staging, dir);
    return true;
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    // Another run created it first: use theirs, if it is a socle folder.
    if (code === "ENOTEMPTY" || code === "EEXIST") {
      ensureFolder(dir, shown, force);
      return false;
    }
    throw e;
  }
}

function emptyMarker(): Marker {
  return { socle: MARKER_VERSION, files: {} };
}

function readMarker(dir: string, shown: string, force: boolean): Marker {
  const file = join(dir, MARKER_FILE);
  const st = lstatOrUndefined(file);
  if (!st) return emptyMarker(); // --force on a folder socle did not create
  if (!st.isFile() || st.size > 4 * 1024 * 1024) throw new OutputError(`holds a ${MARKER_FILE} that is not socle's marker: remove it or choose another folder`, shown);
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as Marker;
    if (m?.socle !== MARKER_VERSION || typeof m.files !== "object" || m.files === null) throw new Error("shape");
    const files: Partial<Record<Writer, string[]>> = {};
    for (const w of ["render", "audit", "offboard", "deploy", "fleet"] as const) {
      const list = (m.files as Record<string, unknown>)[w];
      if (list === undefined) continue;
      if (!Array.isArray(list) || !list.every((f) => typeof f === "string")) throw new Error("shape");
      // Never delete outside the folder, whatever the marker says.
      files[w] = list.filter((f) => { try { checkRelative(f); return true; } catch { return false; } });
    }
    return { socle: MARKER_VERSION, files };
  } catch {
    if (force) return emptyMarker();
    throw new OutputError(`holds a ${MARKER_FILE} socle cannot read: remove the folder, or pass --force`, shown);
  }
}

function writeMarker(dir: string, marker: Marker): void {
  const tmp = join(dir, `${MARKER_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(marker, null, 2) + "\n");
  renameSync(tmp, join(dir, MARKER_FILE));
}

function removeEmptyParents(root: string, dir: string): void {
  while (dir !== root && isWithin(dir, root)) {
    try {
      if (readdirSync(dir).length > 0) return;
      rmdirSync(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}

/**
 * Takes the folder's lock file (created exclusively), waiting while another live process holds
 * it. A lock left by a process that no longer runs on this host is taken over.
 */
function acquireLock(dir: string, shown: string, waitMs: number): () => void {
  const file = join(dir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() }));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const holder = readLock(file);
    if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new OutputError(
        `is in use by another socle run${holder ? ` (process ${holder.pid} on ${holder.host})` : ""}: wait for it to finish, or remove ${LOCK_FILE} if no socle runs`,
        shown,
      );
    }
    sleep(50 + Math.floor(Math.random() * 100));
  }
}

function readLock(file: string): { pid: number; host: string } | undefined {
  const st = lstatOrUndefined(file);
  if (st && !st.isFile()) throw new OutputError(`holds a ${LOCK_FILE} that is not a regular file: remove it`, dirname(file));
  if (st && st.size > 4096) throw new OutputError(`holds a ${LOCK_FILE} that is not socle's (too large): remove it if no socle runs`, dirname(file));
  try {
    const v = JSON.parse(readFileSync(file, "utf8")) as { pid?: unknown; host?: unknown };
    return typeof v.pid === "number" && typeof v.host === "string" ? { pid: v.pid, host: v.host } : undefined;
  } catch {
    return undefined; // being written: wait
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}
