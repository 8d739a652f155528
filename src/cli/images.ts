import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { ConfigError } from "../config/issues";
import { readStackFile, stackFilePath } from "../config/stack-file";
import { IMAGES, type ImageEntry } from "../images/catalog";
import { credentialsFrom, CredentialsError } from "../images/credentials";
import { LOCK_API_VERSION, LOCK_KIND, programLockPath, readLock, writeLock, type ImagesLock, type LockedChart, type LockedImage } from "../images/lock";
import { mirroredRepository } from "../images/ref";
import { RegistryClient, RegistryError, splitRegistry, type Resolved } from "../images/registry";
import { ALL_CHARTS, chartMirrorPath, chartSource, type PinnedChart } from "../../charts/platform/releases";
import { projectName } from "../config/project";
import { formatConfigError } from "./format";
import type { Io } from "./io";

/**
 * `socle images lock|verify|mirror`: the supply chain of the catalog's images and the platform's charts
 * through the organisation's registry (`<mirror>/<original registry>/<path>`), in the spirit of Carvel kbld.
 * Exit codes: 0 done, 1 drift (verify), 2 bad input (registry unreachable or refusing, unknown tag, bad lock).
 */

const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9._-]+)*$/;
const CONCURRENCY = 4;

interface Target {
  readonly kind: "image" | "chart";
  readonly name: string;
  /** Repository below the mirror, without the mirror's prefix. */
  readonly path: string;
  readonly reference: string;
  readonly image?: ImageEntry;
  readonly chart?: PinnedChart;
}

class InputError extends Error {}

export interface ImagesOptions {
  readonly root: string;
  readonly registry?: string;
  readonly stack?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
}

export function registerImages(program: Command, root: string, io: Io, setCode: (c: number) => void): void {
  const images = program.command("images").description("Lock, verify and mirror the images and charts socle deploys, through the organisation's registry");
  const common = (c: Command) =>
    c
      .option("--registry <mirror>", "the organisation's registry, e.g. registry.example.fr/mirror (default: the stack's socle:registryMirror)")
      .option("--stack <stack>", "read socle:registryMirror from stacks/Pulumi.<stack>.yaml");
  common(images.command("lock").description("Resolve every image and chart tag to the digest the registry serves; write images.lock.yaml")).action(
    async (o: { registry?: string; stack?: string }) => setCode(await imagesLock({ root, ...o }, io)),
  );
  common(images.command("verify").description("Resolve again and report every digest that moved since the lock (exit 1)")).action(
    async (o: { registry?: string; stack?: string }) => setCode(await imagesVerify({ root, ...o }, io)),
  );
  common(images.command("mirror").description("Print (or with --run, execute) the copies that fill the registry from upstream"))
    .option("--run", "execute the copies with skopeo (and helm for charts of HTTP repositories) on this machine")
    .action(async (o: { registry?: string; stack?: string; run?: boolean }) => setCode(await imagesMirror({ root, ...o }, io)));
}

/** The mirror: `--registry`, else the stack's `socle:registryMirror`, else (verify) the lock's. */
function mirrorOf(opts: ImagesOptions, lock?: ImagesLock): string {
  let mirror = opts.registry;
  if (!mirror && opts.stack) {
    if (!/^[A-Za-z0-9_.-]+$/.test(opts.stack)) throw new InputError(`stack name ${JSON.stringify(opts.stack)} is not valid: use letters, digits, '-', '_' and '.', as in stacks/Pulumi.<stack>.yaml`);
    const file = readStackFile(stackFilePath(opts.root, opts.stack), opts.stack, projectName(opts.root));
    const value = file.socle.registryMirror;
    if (typeof value !== "string" || value === "") throw new InputError(`stack ${opts.stack} sets no socle:registryMirror: set it in stacks/Pulumi.${opts.stack}.yaml, or pass --registry <mirror>`);
    mirror = value;
  }
  if (!mirror && lock) mirror = lock.registry;
  if (!mirror) throw new InputError("no registry to read from: pass --registry <mirror> (e.g. registry.example.fr/mirror) or --stack <stack> whose socle:registryMirror is set");
  mirror = mirror.replace(/\/+$/, "");
  if (!REGISTRY.test(mirror)) throw new InputError(`registry ${JSON.stringify(mirror)} is not a registry host with an optional path, such as registry.example.fr/mirror (no scheme: socle always uses HTTPS)`);
  return mirror;
}

function targets(): Target[] {
  const images = Object.entries(IMAGES as Record<string, ImageEntry>).map(([name, image]): Target => ({ kind: "image", name, path: image.repository, reference: image.tag, image }));
  const charts = Object.entries(ALL_CHARTS as Record<string, PinnedChart>).map(([name, chart]): Target => ({ kind: "chart", name, path: chartMirrorPath(chart), reference: chart.version, chart }));
  const byName = (a: Target, b: Target) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...images.sort(byName), ...charts.sort(byName)];
}

function client(env: NodeJS.ProcessEnv, host: string): RegistryClient {
  const caFile = env.NODE_EXTRA_CA_CERTS;
  let ca: string[] = [];
  if (caFile) {
    if (!existsSync(caFile)) throw new InputError(`NODE_EXTRA_CA_CERTS names ${caFile}, which does not exist: point it at the organisation's CA certificate (PEM)`);
    const pem = readFileSync(caFile, "utf8");
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new InputError(`NODE_EXTRA_CA_CERTS names ${caFile}, which holds no PEM certificate`);
    ca = [pem];
  }
  return new RegistryClient({ ca, credentials: credentialsFrom(env, host) });
}

async function resolveAll(reg: RegistryClient, mirror: string, list: readonly Target[]): Promise<{ ok: Map<string, Resolved>; errors: string[] }> {
  const { host, prefix } = splitRegistry(mirror);
  const ok = new Map<string, Resolved>();
  const errors: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const t = list[next++]!;
      const name = prefix ? `${prefix}/${t.path}` : t.path;
      try {
        ok.set(`${t.kind}:${t.name}`, await reg.resolve(host, name, t.reference));
      } catch (err) {
        if (!(err instanceof RegistryError)) throw err;
        errors.push(`${t.kind} ${t.name}: ${err.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
  errors.sort();
  return { ok, errors };
}

/** Runs a subcommand body, mapping bad input to exit 2 with its message. */
async function guarded(io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(formatConfigError(err));
      return 2;
    }
    if (err instanceof InputError || err instanceof CredentialsError || err instanceof RegistryError) {
      io.err(`socle images: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function imagesLock(opts: ImagesOptions, io: Io): Promise<number> {
  return guarded(io, async () => {
    const env = opts.env ?? process.env;
    const file = programLockPath(env);
    // A lock that cannot be read is not overwritten: it may hold someone's edits; the message says how to proceed.
    const previous = readLock(file);
    const mirror = mirrorOf(opts);
    const reg = client(env, splitRegistry(mirror).host);
    const list = targets();
    const { ok, errors } = await resolveAll(reg, mirror, list);
    if (errors.length > 0) {
      io.err(`socle images lock: ${errors.length} of ${list.length} references could not be resolved at ${mirror}; ${file} is unchanged:\n${errors.map((e) => `  - ${e}`).join("\n")}\n`);
      return 2;
    }
    const now = utc((opts.now ?? (() => new Date()))());
    const keep = (digest: string, old?: { digest: string; resolvedAt: string }) => (old && old.digest === digest ? old.resolvedAt : now);
    const images: LockedImage[] = [];
    const charts: LockedChart[] = [];
    const notes: string[] = [];
    for (const t of list) {
      const r = ok.get(`${t.kind}:${t.name}`)!;
      if (t.image) {
        const old = previous?.images.find((i) => i.name === t.name && i.repository === t.image!.repository && i.tag === t.image!.tag);
        images.push({ name: t.name, sourceRegistry: t.image.repository.split("/")[0]!, repository: t.image.repository, tag: t.image.tag, digest: r.digest, mediaType: r.mediaType, resolvedAt: keep(r.digest, old) });
        if (t.image.digest && t.image.digest !== r.digest) notes.push(`image ${t.name}: the registry serves ${r.digest}, the catalog's public source says ${t.image.digest}: the lock wins; check the copy (\`socle images mirror\` copies with --preserve-digests)`);
      } else if (t.chart) {
        const old = previous?.charts.find((c) => c.name === t.name && c.version === t.chart!.version);
        charts.push({ name: t.name, source: chartSource(t.chart), mirrorPath: t.path, version: t.chart.version, digest: r.digest, mediaType: r.mediaType, resolvedAt: keep(r.digest, old) });
      }
    }
    writeLock(file, { apiVersion: LOCK_API_VERSION, kind: LOCK_KIND, registry: mirror, images, charts });
    io.out(`socle images lock: ${images.length} images and ${charts.length} charts resolved at ${mirror}; wrote ${file}\n${notes.map((n) => `  note: ${n}\n`).join("")}`);
    return 0;
  });
}

export function imagesVerify(opts: ImagesOptions, io: Io): Promise<number> {
  return guarded(io, async () => {
    const env = opts.env ?? process.env;
    const file = programLockPath(env);
    const lock = readLock(file);
    if (!lock) throw new InputError(`${file} does not exist: run \`socle images lock --registry <mirror>\` first`);
    const mirror = mirrorOf(opts, lock);
    const reg = client(env, splitRegistry(mirror).host);
    const list = targets();
    const { ok, errors } = await resolveAll(reg, mirror, list);
    if (errors.length > 0) {
      io.err(`socle images verify: ${errors.length} of ${list.length} references could not be resolved at ${mirror}:\n${errors.map((e) => `  - ${e}`).join("\n")}\n`);
      return 2;
    }
    const drift: string[] = [];
    for (const t of list) {
      const served = ok.get(`${t.kind}:${t.name}`)!.digest;
      const locked =
        t.kind === "image"
          ? lock.images.find((i) => i.name === t.name && i.repository === t.image!.repository && i.tag === t.image!.tag)
          : lock.charts.find((c) => c.name === t.name && c.version === t.chart!.version);
      const ref = `${mirroredRepository(t.path, mirror)}:${t.reference}`;
      if (!locked) drift.push(`${t.kind} ${t.name}: ${ref} is not in the lock (it renders by tag): run \`socle images lock\``);
      else if (locked.digest !== served) drift.push(`${t.kind} ${t.name}: ${ref} now serves ${served}, the lock says ${locked.digest} (resolved ${locked.resolvedAt}): the tag moved`);
    }
    if (drift.length > 0) {
      io.out(`socle images verify: ${drift.length} drift(s) at ${mirror}:\n${drift.map((d) => `  - ${d}`).join("\n")}\n`);
      return 1;
    }
    io.out(`socle images verify: ${list.length} references at ${mirror} match ${file}\n`);
    return 0;
  });
}

/** The copies that fill the mirror from upstream, as argument vectors (run without a shell). */
export function mirrorCopies(mirror: string): { readonly what: string; readonly argv: readonly string[] }[] {
  const out: { what: string; argv: string[] }[] = [];
  for (const t of targets()) {
    const dest = `docker://${mirroredRepository(t.path, mirror)}:${t.reference}`;
    if (t.image) {
      // A known digest is copied by digest, so what lands under the tag is what the catalog's source named.
      const src = t.image.digest ? `docker://${t.image.repository}@${t.image.digest}` : `docker://${t.image.repository}:${t.image.tag}`;
      out.push({ what: `image ${t.name}`, argv: ["skopeo", "copy", "--all", "--preserve-digests", src, dest] });
    } else if (t.chart) {
      if (t.chart.chart.startsWith("oci://")) {
        out.push({ what: `chart ${t.name}`, argv: ["skopeo", "copy", "--all", "--preserve-digests", `docker://${t.path}:${t.reference}`, dest] });
      } else {
        // A chart of an HTTP repository is no OCI artifact upstream: helm packages it as one on push,
        // at oci://<mirror>/<repository host>/<chart>:<version>.
        const dir = `socle-charts/${t.name}`;
        const parent = t.path.slice(0, t.path.lastIndexOf("/"));
        out.push({ what: `chart ${t.name}`, argv: ["helm", "pull", t.chart.chart, "--repo", t.chart.repo!, "--version", t.chart.version, "--destination", dir] });
        out.push({ what: `chart ${t.name}`, argv: ["helm", "push", `${dir}/${t.chart.chart}-${t.chart.version}.tgz`, `oci://${mirror}/${parent}`] });
      }
    }
  }
  return out;
}

const shellQuote = (a: string) => (/^[A-Za-z0-9@%_+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

export function imagesMirror(opts: ImagesOptions & { run?: boolean }, io: Io): Promise<number> {
  return guarded(io, async () => {
    const mirror = mirrorOf(opts);
    const copies = mirrorCopies(mirror);
    if (!opts.run) {
      io.out(
        `# socle images mirror: ${copies.length} copies from upstream into ${mirror} (run on a machine that reaches both;\n` +
          `# skopeo and helm read credentials from REGISTRY_AUTH_FILE / ~/.docker/config.json). Then: socle images lock --registry ${mirror}\n` +
          copies.map((c) => c.argv.map(shellQuote).join(" ")).join("\n") +
          "\n",
      );
      return 0;
    }
    // zx runs each step without a shell (arguments passed as an array) and stops at the first failure.
    const { $ } = await import("zx");
    const sh = $({ quiet: true, nothrow: true });
    for (const [i, c] of copies.entries()) {
      io.out(`[${i + 1}/${copies.length}] ${c.argv.map(shellQuote).join(" ")}\n`);
      const r = await sh`${c.argv}`;
      if (r.exitCode !== 0) {
        const stderr = r.stderr.split("\n").filter(Boolean).slice(-3).join(" / ");
        throw new InputError(`${c.what}: ${c.argv[0]} exited with ${r.exitCode ?? "a signal"}: ${stderr || "no message"} (copies before this one are done; run again to resume)`);
      }
    }
    io.out(`socle images mirror: ${copies.length} copies done into ${mirror}; now run socle images lock --registry ${mirror}\n`);
    return 0;
  });
}
