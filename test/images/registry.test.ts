import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ALL_CHARTS, chartMirrorPath, type PinnedChart } from "../../charts/platform/releases";
import { imagesLock, imagesVerify } from "../../src/cli/images";
import { IMAGES, type ImageEntry } from "../../src/images/catalog";
import { credentialsFrom } from "../../src/images/credentials";
import { readLock } from "../../src/images/lock";
import { RegistryClient, RegistryError } from "../../src/images/registry";
import { renderStack } from "../../src/render/render";
import { valueImages } from "./mirror-stack";
import { missingBinaries, PASSWORD, pushWithUmociAndSkopeo, startRegistry, USER, type TestRegistry } from "./registry-harness";

const ROOT = resolve(__dirname, "..", "..");
const PREFIX = "mirror";
const missing = missingBinaries();
// In CI, .ci/run installs docker-registry, skopeo, umoci and apache2-utils: these tests must run there.
if (missing.length > 0 && process.env.SOCLE_CI) throw new Error(`SOCLE_CI is set (.ci/run) but ${missing.join(", ")} are missing: .ci/run installs them`);
if (missing.length > 0) console.warn(`test/images/registry.test.ts skipped: ${missing.join(", ")} not installed (apt-get install docker-registry skopeo umoci apache2-utils)`);

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
};

describe.skipIf(missing.length > 0)("socle images against a real registry (docker-registry, TLS, token auth)", () => {
  let reg: TestRegistry;
  let work: string;
  let lockFile: string;
  let env: NodeJS.ProcessEnv;
  const pushed = new Map<string, string>();
  const mirror = () => `${reg.host}/${PREFIX}`;

  beforeAll(async () => {
    reg = await startRegistry({ auth: "token" });
    work = mkdtempSync(join(tmpdir(), "socle-lock-"));
    lockFile = join(work, "images.lock.yaml");
    // Credentials come from a Docker config.json (never the stack file); the CA from NODE_EXTRA_CA_CERTS.
    mkdirp(join(work, "docker"));
    writeFileSync(join(work, "docker", "config.json"), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString("base64") } } }));
    env = { HOME: work, DOCKER_CONFIG: join(work, "docker"), NODE_EXTRA_CA_CERTS: reg.caFile, SOCLE_IMAGES_LOCK: lockFile };
    const images = Object.entries(IMAGES as Record<string, ImageEntry>);
    for (const [name, image] of images) {
      const repo = `${PREFIX}/${image.repository}`;
      if (name === "xwiki") pushed.set(`image:${name}`, await pushWithUmociAndSkopeo(reg, repo, image.tag));
      else if (name === "keycloak") pushed.set(`image:${name}`, await reg.pushIndex(repo, image.tag, name));
      else pushed.set(`image:${name}`, await reg.pushImage(repo, image.tag, name));
    }
    for (const [name, chart] of Object.entries(ALL_CHARTS as Record<string, PinnedChart>)) {
      pushed.set(`chart:${name}`, await reg.pushImage(`${PREFIX}/${chartMirrorPath(chart)}`, chart.version, name, "chart"));
    }
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it("refuses a wrong password (401) with a clear message and exit 2, writing no lock", async () => {
    const bad = join(work, "bad-docker");
    mkdirp(bad);
    writeFileSync(join(bad, "config.json"), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${USER}:wrong`).toString("base64") } } }));
    const c = io();
    expect(await imagesLock({ root: ROOT, registry: mirror(), env: { ...env, DOCKER_CONFIG: bad } }, c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/refused the credentials \(HTTP 401\).*SOCLE_REGISTRY_USERNAME/);
    expect(c.err.join("")).not.toContain("wrong");
    expect(existsSync(lockFile)).toBe(false);
  });

  it("refuses an untrusted certificate without NODE_EXTRA_CA_CERTS, and an unreachable registry (exit 2)", async () => {
    const c = io();
    expect(await imagesLock({ root: ROOT, registry: mirror(), env: { ...env, NODE_EXTRA_CA_CERTS: undefined } }, c.io)).toBe(2);
    expect(c.err.join("")).toMatch(/not trusted .*NODE_EXTRA_CA_CERTS/);
    const d = io();
    expect(await imagesLock({ root: ROOT, registry: "127.0.0.1:1/mirror", env }, d.io)).toBe(2);
    expect(d.err.join("")).toMatch(/cannot reach 127\.0\.0\.1:1/);
    expect(existsSync(lockFile)).toBe(false);
  });

  it("locks every catalog image and chart to the digest the registry served; a multi-arch tag keeps its index digest", async () => {
    // Through the real command line, as an operator runs it: the CA reaches the process by NODE_EXTRA_CA_CERTS.
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "bin", "socle.js"), "images", "lock", "--registry", mirror()], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/images and \d+ charts resolved/);
    const lock = readLock(lockFile)!;
    expect(lock.registry).toBe(mirror());
    expect(lock.images.map((i) => i.name).sort()).toEqual(Object.keys(IMAGES).sort());
    for (const i of lock.images) expect(i.digest, i.name).toBe(pushed.get(`image:${i.name}`));
    for (const c of lock.charts) expect(c.digest, c.name).toBe(pushed.get(`chart:${c.name}`));
    const keycloak = lock.images.find((i) => i.name === "keycloak")!;
    expect(keycloak.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(keycloak.sourceRegistry).toBe("quay.io");
    expect(lock.images.find((i) => i.name === "xwiki")!.resolvedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // Nothing half-written is left beside it.
    expect(readdirSync(work).filter((f) => f.includes(".tmp-"))).toEqual([]);
    const c = io();
    expect(await imagesVerify({ root: ROOT, env }, c.io)).toBe(0);
  });

  it("renders the demo with every image pinned @sha256: to what the registry served, and its charts from the mirror", async () => {
    const prev = process.env.SOCLE_IMAGES_LOCK;
    process.env.SOCLE_IMAGES_LOCK = lockFile;
    let out: string;
    try {
      out = (await renderStack({ root: ROOT, stack: "demo", outDir: join(work, "render") })).outDir;
    } finally {
      if (prev === undefined) delete process.env.SOCLE_IMAGES_LOCK;
      else process.env.SOCLE_IMAGES_LOCK = prev;
    }
    const lock = readLock(lockFile)!;
    const served = new Set(lock.images.map((i) => i.digest));
    const images: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) (k === "image" && typeof x === "string" ? images.push(x) : walk(x));
    };
    for (const f of readdirSync(join(out, "manifests"))) for (const d of parseAllDocuments(readFileSync(join(out, "manifests", f), "utf8"))) walk(d.toJS());
    expect(images.length).toBeGreaterThanOrEqual(15);
    for (const image of images) {
      expect(image, image).toMatch(/^registry\.demo\.socle\.test\/mirror\/.+@sha256:[0-9a-f]{64}$/);
      expect(served.has(image.split("@")[1]!), image).toBe(true);
    }
    const state = JSON.parse(readFileSync(join(out, "state.json"), "utf8")) as { deployment: { resources: { type: string; inputs?: Record<string, unknown> }[] } };
    const releases = state.deployment.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    expect(releases.length).toBeGreaterThan(4);
    for (const r of releases) {
      expect(r.inputs!.chart as string).toMatch(/^oci:\/\/registry\.demo\.socle\.test\/mirror\//);
      expect(r.inputs!.repositoryOpts).toBeUndefined();
      // Through each chart's own keys: `image` strings and {registry, repository, tag, digest|sha} objects.
      for (const image of valueImages(r.inputs!.values)) {
        expect(image, image).toMatch(/^registry\.demo\.socle\.test\/mirror\/.+@sha256:[0-9a-f]{64}$/);
        expect(served.has(image.split("@")[1]!), image).toBe(true);
      }
    }
  });

  it("reports a tag moved in the registry (exit 1), and a malformed lock (exit 2)", async () => {
    const velero = (IMAGES as Record<string, ImageEntry>).velero!;
    const moved = await reg.pushImage(`${PREFIX}/${velero.repository}`, velero.tag, "velero-rebuilt");
    const c = io();
    expect(await imagesVerify({ root: ROOT, env }, c.io)).toBe(1);
    const text = c.out.join("");
    expect(text).toContain(`image velero: ${mirror()}/docker.io/velero/velero:${velero.tag} now serves ${moved}`);
    expect(text).not.toContain("image xwiki");

    writeFileSync(lockFile, readFileSync(lockFile, "utf8").replace(/digest: sha256:[0-9a-f]{64}/, "digest: sha256:nothex"));
    const before = readFileSync(lockFile, "utf8");
    const d = io();
    expect(await imagesVerify({ root: ROOT, env }, d.io)).toBe(2);
    expect(d.err.join("")).toMatch(/images\[\d+\]\.digest.*sha256: followed by 64/);
    const e = io();
    expect(await imagesLock({ root: ROOT, registry: mirror(), env }, e.io)).toBe(2);
    expect(readFileSync(lockFile, "utf8")).toBe(before);
  });

  it("reports an unknown tag with exit 2 and the fix", async () => {
    const client = new RegistryClient({ ca: [readFileSync(reg.caFile, "utf8")], credentials: credentialsFrom(env, reg.host) });
    await expect(client.resolve(reg.host, `${PREFIX}/docker.io/velero/velero`, "v0.0.0-none")).rejects.toThrow(/no such manifest \(HTTP 404\).*socle images mirror/);
    await expect(client.resolve(reg.host, `${PREFIX}/docker.io/velero/velero`, "v0.0.0-none")).rejects.toBeInstanceOf(RegistryError);
  });
});

describe.skipIf(missing.length > 0)("socle images against a registry with htpasswd Basic authentication", () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry({ auth: "htpasswd" });
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it("resolves with Basic credentials from the environment, and refuses anonymous access", async () => {
    const digest = await reg.pushIndex("mirror/docker.io/library/busybox", "1.37", "basic");
    const ca = [readFileSync(reg.caFile, "utf8")];
    const env = { HOME: "/nonexistent", SOCLE_REGISTRY_USERNAME: USER, SOCLE_REGISTRY_PASSWORD: PASSWORD };
    const ok = await new RegistryClient({ ca, credentials: credentialsFrom(env, reg.host) }).resolve(reg.host, "mirror/docker.io/library/busybox", "1.37");
    expect(ok).toEqual({ digest, mediaType: "application/vnd.oci.image.index.v1+json" });
    await expect(new RegistryClient({ ca }).resolve(reg.host, "mirror/docker.io/library/busybox", "1.37")).rejects.toThrow(/asks for a user name and password/);
  });
});

function mkdirp(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

