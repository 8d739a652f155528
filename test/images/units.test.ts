import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ALL_CHARTS, chartFrom, chartMirrorPath, CERT_MANAGER_CHART, ENVOY_GATEWAY_CHART } from "../../charts/platform/releases";
import { registriesConfig } from "../../components/cloud/plan/cloud-init";
import { imagesLock, imagesMirror, mirrorCopies } from "../../src/cli/images";
import { IMAGES } from "../../src/images/catalog";
import { credentialsFrom, CredentialsError } from "../../src/images/credentials";
import { parseLock, serializeLock, writeLock, type ImagesLock } from "../../src/images/lock";
import { catalogImage } from "../../src/images/ref";
import { parseChallenge, splitRegistry } from "../../src/images/registry";
import { ConfigError } from "../../src/config/issues";

const ROOT = resolve(__dirname, "..", "..");
const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
const tmp = () => mkdtempSync(join(tmpdir(), "socle-images-"));
const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
};

describe("registry protocol helpers", () => {
  it("parses Bearer and Basic challenges", () => {
    expect(parseChallenge('Bearer realm="https://auth.example.fr/token",service="registry.example.fr",scope="repository:a/b:pull"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.example.fr/token", service: "registry.example.fr", scope: "repository:a/b:pull" },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: "basic", params: { realm: "x" } });
    expect(parseChallenge(undefined)).toBeUndefined();
  });

  it("splits a mirror into host and path prefix", () => {
    expect(splitRegistry("registry.example.fr:5000/mirror/sub/")).toEqual({ host: "registry.example.fr:5000", prefix: "mirror/sub" });
    expect(splitRegistry("registry.example.fr")).toEqual({ host: "registry.example.fr", prefix: "" });
  });
});

describe("images lock file", () => {
  const lockOf = (digests: string[]): ImagesLock => ({
    apiVersion: "socle.io/v1",
    kind: "ImagesLock",
    registry: "registry.example.fr/mirror",
    images: Object.entries(IMAGES).map(([name, e], i) => ({ name, sourceRegistry: e.repository.split("/")[0]!, repository: e.repository, tag: e.tag, digest: `sha256:${digests[i % digests.length]}`, mediaType: "application/vnd.oci.image.index.v1+json", resolvedAt: "2026-11-30T12:00:00Z" })),
    charts: [{ name: "velero", source: "https://vmware-tanzu.github.io/helm-charts#velero", mirrorPath: "vmware-tanzu.github.io/helm-charts/velero", version: "12.1.0", digest: `sha256:${digests[0]}`, mediaType: "application/vnd.oci.image.manifest.v1+json", resolvedAt: "2026-11-30T12:00:00Z" }],
  });

  it("round-trips, and the same lock in any order gives the same bytes", () => {
    fc.assert(
      fc.property(fc.array(hex, { minLength: 1, maxLength: 5 }), (digests) => {
        const lock = lockOf(digests);
        const text = serializeLock(lock);
        expect(serializeLock({ ...lock, images: [...lock.images].reverse() })).toBe(text);
        expect(parseLock(text, "images.lock.yaml")).toEqual({ ...lock, images: [...lock.images].sort((a, b) => (a.name < b.name ? -1 : 1)) });
      }),
      { numRuns: 25 },
    );
  });

  it("refuses a malformed lock with every problem located, aliases and duplicates included", () => {
    const bad = (text: string) => {
      try {
        parseLock(text, "images.lock.yaml");
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).issues.map((i) => `${i.path}: ${i.problem}`);
      }
      throw new Error("accepted");
    };
    expect(bad("apiVersion: socle.io/v2\nkind: ImagesLock\nregistry: r\nimages: []\ncharts: []\n")[0]).toMatch(/^apiVersion:/);
    expect(bad("a: &x [1]\nb: *x\n").join()).toMatch(/alias/i);
    const text = serializeLock(lockOf(["a".repeat(64)]));
    const dup = text.replace(/- name: xwiki/, "- name: valkey");
    expect(bad(dup).join()).toMatch(/listed twice/);
    expect(bad("[unclosed").length).toBeGreaterThan(0);
  });

  it("pins a catalog image from the lock only for the very tag it locked", () => {
    const lock = lockOf(["b".repeat(64)]);
    expect(catalogImage("velero", "registry.example.fr/mirror", lock)).toBe(`registry.example.fr/mirror/docker.io/velero/velero:${IMAGES.velero.tag}@sha256:${"b".repeat(64)}`);
    const stale = { ...lock, images: lock.images.map((i) => (i.name === "velero" ? { ...i, tag: "v0.0.1" } : i)) };
    expect(catalogImage("velero", "registry.example.fr/mirror", stale)).toBe(`registry.example.fr/mirror/docker.io/velero/velero:${IMAGES.velero.tag}`);
    // A catalog digest from a public source stays when the lock has none.
    expect(catalogImage("xwiki", undefined, undefined)).toBe(`docker.io/library/xwiki:${IMAGES.xwiki.tag}@${IMAGES.xwiki.digest}`);
  });

  it("writes through a temporary file and leaves nothing else", () => {
    const dir = tmp();
    const file = join(dir, "images.lock.yaml");
    writeLock(file, lockOf(["c".repeat(64)]));
    expect(parseLock(readFileSync(file, "utf8"), file).images).toHaveLength(Object.keys(IMAGES).length);
    expect(require("node:fs").readdirSync(dir)).toEqual(["images.lock.yaml"]);
  });
});

describe("registry credentials", () => {
  it("reads a Docker config.json auths entry, keyed by host or URL, and never from anything else", () => {
    const dir = tmp();
    writeFileSync(join(dir, "config.json"), JSON.stringify({ auths: { "https://registry.example.fr/v2/": { auth: Buffer.from("ops:pa:ss").toString("base64") } } }));
    const creds = credentialsFrom({ DOCKER_CONFIG: dir, HOME: dir }, "registry.example.fr");
    expect(creds("registry.example.fr")).toEqual({ username: "ops", password: "pa:ss" });
    expect(creds("other.example.fr")).toBeUndefined();
    expect(credentialsFrom({ HOME: dir, SOCLE_REGISTRY_USERNAME: "u", SOCLE_REGISTRY_PASSWORD: "p" }, "registry.example.fr")("registry.example.fr")).toEqual({ username: "u", password: "p" });
  });

  it("refuses a broken auth file or half of the environment pair, without quoting a secret", () => {
    const dir = tmp();
    writeFileSync(join(dir, "config.json"), JSON.stringify({ auths: { "registry.example.fr": { auth: Buffer.from("no-colon-secret").toString("base64") } } }));
    expect(() => credentialsFrom({ DOCKER_CONFIG: dir, HOME: dir }, "registry.example.fr")).toThrow(CredentialsError);
    expect(() => credentialsFrom({ DOCKER_CONFIG: dir, HOME: dir }, "registry.example.fr")).not.toThrow(/no-colon-secret/);
    expect(() => credentialsFrom({ HOME: dir, SOCLE_REGISTRY_USERNAME: "u" }, "r")).toThrow(/must be set together/);
  });
});

describe("charts and nodes in the mirror layout", () => {
  it("places every chart at <mirror>/<original location>/<chart>", () => {
    expect(chartMirrorPath(ENVOY_GATEWAY_CHART)).toBe("docker.io/envoyproxy/gateway-helm");
    expect(chartMirrorPath(CERT_MANAGER_CHART)).toBe("charts.jetstack.io/cert-manager");
    expect(chartFrom(CERT_MANAGER_CHART, "registry.example.fr/mirror/")).toEqual({ ...CERT_MANAGER_CHART, repo: undefined, chart: "oci://registry.example.fr/mirror/charts.jetstack.io/cert-manager" });
    expect(chartFrom(CERT_MANAGER_CHART, undefined)).toBe(CERT_MANAGER_CHART);
  });

  it("rewrites every upstream registry to the mirror, and RKE2's system images to the mirror's docker.io/rancher", () => {
    const cfg = registriesConfig("registry.example.fr:5000/mirror") as { mirrors: Record<string, { endpoint: string[]; rewrite: Record<string, string> }> };
    expect(cfg.mirrors["quay.io"]).toEqual({ endpoint: ["https://registry.example.fr:5000"], rewrite: { "^(.*)$": "mirror/quay.io/$1" } });
    expect(cfg.mirrors["registry.example.fr:5000"]!.rewrite).toEqual({ "^mirror/rancher/(.*)$": "mirror/docker.io/rancher/$1" });
    expect(parse(JSON.stringify(cfg))).toEqual(cfg);
  });
});

describe("socle images mirror", () => {
  it("copies every image (by digest when the catalog knows it) and every chart into the mirror layout", () => {
    const copies = mirrorCopies("registry.example.fr/mirror");
    const xwiki = copies.find((c) => c.what === "image xwiki")!;
    expect(xwiki.argv).toEqual(["skopeo", "copy", "--all", "--preserve-digests", `docker://docker.io/library/xwiki@${IMAGES.xwiki.digest}`, `docker://registry.example.fr/mirror/docker.io/library/xwiki:${IMAGES.xwiki.tag}`]);
    expect(copies.filter((c) => c.what.startsWith("image ")).length).toBe(Object.keys(IMAGES).length);
    for (const name of Object.keys(ALL_CHARTS)) expect(copies.some((c) => c.what === `chart ${name}`), name).toBe(true);
    const push = copies.find((c) => c.what === "chart certManager" && c.argv[1] === "push")!;
    expect(push.argv.at(-1)).toBe("oci://registry.example.fr/mirror/charts.jetstack.io");
  });

  it("--run executes each copy through zx and stops at the first failure with exit 2 (fake skopeo and helm on PATH)", async () => {
    const dir = tmp();
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const log = join(dir, "calls.log");
    for (const tool of ["skopeo", "helm"]) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${log}\ncase "$*" in *gateway-helm*) echo "denied: upstream unreachable" >&2; exit 1;; esac\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const c = io();
      expect(await imagesMirror({ root: ROOT, registry: "registry.example.fr/mirror", run: true }, c.io)).toBe(2);
      expect(c.err.join("")).toMatch(/chart envoyGateway: skopeo exited with 1: denied: upstream unreachable/);
      const calls = readFileSync(log, "utf8").trim().split("\n");
      // Every copy up to the failing one ran, in order; none after it.
      const failing = mirrorCopies("registry.example.fr/mirror").findIndex((c) => c.what === "chart envoyGateway");
      expect(calls.length).toBe(failing + 1);
      expect(calls.at(-1)).toContain("gateway-helm");
      expect(calls[0]).toMatch(/^skopeo copy --all --preserve-digests docker:\/\//);
    } finally {
      process.env.PATH = path;
    }
  });

  it("refuses a registry with a scheme, and a stack without socle:registryMirror, with exit 2", async () => {
    const a = io();
    expect(await imagesLock({ root: ROOT, registry: "https://registry.example.fr", env: {} }, a.io)).toBe(2);
    expect(a.err.join("")).toMatch(/no scheme: socle always uses HTTPS/);
    // A project whose one stack sets no mirror (every example stack of this repository sets one).
    const root = mkdtempSync(join(tmpdir(), "socle-nomirror-"));
    mkdirSync(join(root, "stacks"));
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
    writeFileSync(
      join(root, "stacks", "Pulumi.nomirror.yaml"),
      "config:\n  socle:kind: dedicated\n  socle:organization: org\n  socle:organizationName: Org\n  socle:domain: org.test\n  socle:target: existing\n  socle:region: on-premises\n  socle:adminCidrs: [192.0.2.0/24]\n",
    );
    const b = io();
    expect(await imagesLock({ root, stack: "nomirror", env: {} }, b.io)).toBe(2);
    expect(b.err.join("")).toMatch(/sets no socle:registryMirror/);
  });
});
