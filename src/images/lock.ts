import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { parseDocument, stringify } from "yaml";
import { z } from "zod";
import { ConfigError, type ConfigIssue } from "../config/issues";

/**
 * The images lock (`images.lock.yaml` at the repository root), written by `socle images lock`: for every
 * catalog image and pinned chart, the digest the organisation's registry served for its tag, and when.
 * `socle render` and `pulumi up` pin every image from it (src/program); `socle images verify` re-resolves
 * and reports drift. Like Carvel kbld's lock output: tags stay readable, digests decide what runs.
 */

export const LOCK_FILE = "images.lock.yaml";
export const LOCK_API_VERSION = "socle.io/v1";
export const LOCK_KIND = "ImagesLock";
const MAX_LOCK_BYTES = 2 * 1024 * 1024;
const MAX_ENTRIES = 1000;

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256: followed by 64 lowercase hex digits");
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "must be a catalog key (letters, digits, '.', '_', '-')");
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "must be a UTC time such as 2026-11-30T12:00:00Z");

const LockedImage = z
  .object({
    name,
    /** Upstream registry the image comes from, e.g. `docker.io`. */
    sourceRegistry: z.string().min(1).max(255),
    /** Full upstream repository, e.g. `docker.io/library/xwiki`. */
    repository: z.string().min(1).max(512),
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, "must be an OCI tag"),
    digest,
    mediaType: z.string().max(255),
    resolvedAt: timestamp,
  })
  .strict();

const LockedChart = z
  .object({
    name,
    /** Where the chart comes from upstream: an `oci://` reference, or `<repository URL>#<chart>`. */
    source: z.string().min(1).max(512),
    /** Repository of the chart in the mirror, below the mirror's address. */
    mirrorPath: z.string().min(1).max(512),
    version: z.string().min(1).max(128),
    digest,
    mediaType: z.string().max(255),
    resolvedAt: timestamp,
  })
  .strict();

const Lock = z
  .object({
    apiVersion: z.literal(LOCK_API_VERSION),
    kind: z.literal(LOCK_KIND),
    /** The registry the digests were read from (`socle:registryMirror`). */
    registry: z.string().min(1).max(255),
    images: z.array(LockedImage).max(MAX_ENTRIES),
    charts: z.array(LockedChart).max(MAX_ENTRIES),
  })
  .strict();

export type LockedImage = z.infer<typeof LockedImage>;
export type LockedChart = z.infer<typeof LockedChart>;
export type ImagesLock = z.infer<typeof Lock>;

const FIX = "run `socle images lock` to write it again (or restore it from version control)";

/** The lock the program pins from: `SOCLE_IMAGES_LOCK` when set (tests, CI), else `images.lock.yaml` at the repository root. */
export function programLockPath(env: NodeJS.ProcessEnv): string {
  return env.SOCLE_IMAGES_LOCK || join(__dirname, "..", "..", LOCK_FILE);
}

/** Parses lock file text; every problem at once, as a ConfigError (exit 2 in the CLI). */
export function parseLock(text: string, file: string): ImagesLock {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, maxAliasCount: 0 } as never);
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => ({ path: "(yaml)", value: undefined, problem: e.message.split("\n")[0]!, fix: FIX })));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 0 });
  } catch (e) {
    throw new ConfigError(file, [{ path: "(yaml)", value: undefined, problem: (e as Error).message.split("\n")[0]!, fix: FIX }]);
  }
  const parsed = Lock.safeParse(data);
  if (!parsed.success) {
    const issues: ConfigIssue[] = parsed.error.issues.slice(0, 20).map((i) => ({
      path: i.path.length ? i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") : "(document)",
      value: undefined,
      problem: i.message,
      fix: FIX,
    }));
    throw new ConfigError(file, issues);
  }
  const lock = parsed.data;
  const dup = (xs: readonly { name: string }[]) => xs.map((x) => x.name).find((n, i, all) => all.indexOf(n) !== i);
  const dupImage = dup(lock.images);
  const dupChart = dup(lock.charts);
  if (dupImage || dupChart) {
    throw new ConfigError(file, [{ path: dupImage ? "images" : "charts", value: dupImage ?? dupChart, problem: "is listed twice", fix: FIX }]);
  }
  return lock;
}

/** Reads the lock file; undefined when there is none (every image then renders from the catalog). */
export function readLock(file: string): ImagesLock | undefined {
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  if (size > MAX_LOCK_BYTES) throw new ConfigError(file, [{ path: "(file)", value: undefined, problem: `is ${size} bytes, more than the ${MAX_LOCK_BYTES} a lock file may hold`, fix: FIX }]);
  return parseLock(readFileSync(file, "utf8"), file);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The lock's text: sorted entries, fixed key order; same lock, same bytes. */
export function serializeLock(lock: ImagesLock): string {
  const ordered: ImagesLock = {
    apiVersion: lock.apiVersion,
    kind: lock.kind,
    registry: lock.registry,
    images: [...lock.images].sort(byName).map((i) => ({ name: i.name, sourceRegistry: i.sourceRegistry, repository: i.repository, tag: i.tag, digest: i.digest, mediaType: i.mediaType, resolvedAt: i.resolvedAt })),
    charts: [...lock.charts].sort(byName).map((c) => ({ name: c.name, source: c.source, mirrorPath: c.mirrorPath, version: c.version, digest: c.digest, mediaType: c.mediaType, resolvedAt: c.resolvedAt })),
  };
  Lock.parse(ordered);
  return `# Written by \`socle images lock\`: the digest the organisation's registry served for every image and chart.\n# Do not edit by hand; \`socle images verify\` reports drift. docs/images.md explains it.\n${stringify(ordered, { lineWidth: 0 })}`;
}

/** Writes the lock through a temporary file in the same folder and a rename: never half-written. */
export function writeLock(file: string, lock: ImagesLock): void {
  const text = serializeLock(lock);
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, text, { flag: "wx" });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The locked digest of `repository:tag`, only when the lock names that very tag (a changed catalog tag is not pinned by a stale digest). */
export function lockedDigest(lock: ImagesLock | undefined, repository: string, tag: string): string | undefined {
  return lock?.images.find((i) => i.repository === repository && i.tag === tag)?.digest;
}

export function lockedChart(lock: ImagesLock | undefined, name: string, version: string): LockedChart | undefined {
  return lock?.charts.find((c) => c.name === name && c.version === version);
}
