import { createHash, createSign, randomBytes, X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpsServer, request, type Server } from "node:https";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { $, which, type ProcessPromise } from "zx";

/**
 * A real OCI registry for tests: Debian's `docker-registry` (CNCF distribution) on 127.0.0.1 over TLS with a CA
 * made here, with token authentication (distribution docs/configuration.md `auth.token`: realm, service, issuer,
 * rootcertbundle; tokens are JWTs whose `x5c` header chains to the bundle, docs/spec/auth/jwt.md) served by a
 * loopback token server below, or htpasswd Basic authentication. Shell steps run through zx.
 */

export const USER = "socle-ci";
export const PASSWORD = "correct horse battery staple";
const SERVICE = "socle-test-registry";
const ISSUER = "socle-test-issuer";

export const REGISTRY_BINARIES = ["docker-registry", "skopeo", "umoci", "openssl", "htpasswd"] as const;

export function missingBinaries(): string[] {
  return REGISTRY_BINARIES.filter((b) => !which.sync(b, { nothrow: true }));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

export interface TestRegistry {
  readonly dir: string;
  readonly host: string;
  readonly caFile: string;
  /** A JWT for `name` with the given actions, signed like the token server's. */
  token(name: string, actions: readonly string[]): string;
  /** Pushes a blob; returns its digest. */
  pushBlob(name: string, data: Buffer): Promise<string>;
  /** Pushes a manifest under a tag; returns the digest the registry answers. */
  pushManifest(name: string, tag: string, mediaType: string, body: Buffer): Promise<string>;
  /** Pushes a one-layer image (or chart, with the Helm media types); returns its manifest digest. */
  pushImage(name: string, tag: string, seed: string, kind?: "image" | "chart"): Promise<string>;
  /** Pushes a two-platform index (amd64, arm64); returns the index digest. */
  pushIndex(name: string, tag: string, seed: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startRegistry(opts: { auth: "token" | "htpasswd" }): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "socle-registry-"));
  const q = $({ cwd: dir, quiet: true });
  // The CA, the registry's server certificate (SAN 127.0.0.1), and the token signing certificate.
  await q`openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=socle-test-ca -keyout ca.key -out ca.crt -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign`;
  await q`openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr`;
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  await q`openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt`;
  await q`openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=socle-test-token-signer -keyout token.key -out token.crt`;
  mkdirSync(join(dir, "certs"));
  writeFileSync(join(dir, "certs", "ca.crt"), readFileSync(join(dir, "ca.crt")));

  const signingKey = readFileSync(join(dir, "token.key"), "utf8");
  const x5c = new X509Certificate(readFileSync(join(dir, "token.crt"))).raw.toString("base64");
  const sign = (name: string, actions: readonly string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", x5c: [x5c] }));
    const claims = b64url(
      JSON.stringify({ iss: ISSUER, sub: USER, aud: SERVICE, exp: now + 600, nbf: now - 60, iat: now, jti: randomBytes(8).toString("hex"), access: name ? [{ type: "repository", name, actions }] : [] }),
    );
    const s = createSign("RSA-SHA256").update(`${header}.${claims}`).sign(signingKey);
    return `${header}.${claims}.${b64url(s)}`;
  };

  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let tokenServer: Server | undefined;
  let auth: string;
  if (opts.auth === "token") {
    const tokenPort = await freePort();
    // The token endpoint (docs/spec/auth/token.md): Basic credentials in, `{token}` out for the asked scope.
    tokenServer = createHttpsServer({ key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.crt")) }, (req, res) => {
      const url = new URL(req.url ?? "/", `https://127.0.0.1:${tokenPort}`);
      const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
      if (url.pathname !== "/token" || url.searchParams.get("service") !== SERVICE) {
        res.writeHead(400).end();
        return;
      }
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="socle-test"' }).end();
        return;
      }
      const [, name = "", actions = ""] = /^repository:([^:]+):(.*)$/.exec(url.searchParams.get("scope") ?? "") ?? [];
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: sign(name, actions.split(",").filter((a) => a === "pull" || a === "push")) }));
    });
    await new Promise<void>((r) => tokenServer!.listen(tokenPort, "127.0.0.1", r));
    auth = `  token:\n    realm: https://127.0.0.1:${tokenPort}/token\n    service: ${SERVICE}\n    issuer: ${ISSUER}\n    rootcertbundle: ${join(dir, "token.crt")}\n`;
  } else {
    const line = (await q`htpasswd -nbB ${USER} ${PASSWORD}`).stdout.trim();
    writeFileSync(join(dir, "htpasswd"), `${line}\n`);
    auth = `  htpasswd:\n    realm: socle-test\n    path: ${join(dir, "htpasswd")}\n`;
  }
  writeFileSync(
    join(dir, "config.yml"),
    `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, "data")}\n  delete:\n    enabled: true\n` +
      `http:\n  addr: ${host}\n  secret: ${randomBytes(16).toString("hex")}\n  tls:\n    certificate: ${join(dir, "server.crt")}\n    key: ${join(dir, "server.key")}\nauth:\n${auth}`,
  );
  const proc: ProcessPromise = $({ cwd: dir, quiet: true, nothrow: true })`docker-registry serve ${join(dir, "config.yml")}`;
  const ca = readFileSync(join(dir, "ca.crt"), "utf8");

  const call = (method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method, path, headers, ca, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      });
      req.on("error", reject);
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timeout`)));
      req.end(body);
    });

  // Ready when /v2/ answers (401: authentication is on). Bounded: 15 s.
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const r = await call("GET", "/v2/", {});
      if (r.status === 401) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await proc.kill();
      throw new Error(`docker-registry did not start on ${host} within 15 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const authz = (name: string): Record<string, string> =>
    opts.auth === "token" ? { authorization: `Bearer ${sign(name, ["pull", "push"])}` } : { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}` };
  const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

  const pushBlob = async (name: string, data: Buffer): Promise<string> => {
    const digest = sha(data);
    const start = await call("POST", `/v2/${name}/blobs/uploads/`, { ...authz(name), "content-length": "0" });
    if (start.status !== 202) throw new Error(`blob upload start ${name}: HTTP ${start.status} ${start.body}`);
    const loc = new URL(String(start.headers.location), `https://${host}`);
    loc.searchParams.set("digest", digest);
    const put = await call("PUT", `${loc.pathname}${loc.search}`, { ...authz(name), "content-type": "application/octet-stream", "content-length": String(data.length) }, data);
    if (put.status !== 201) throw new Error(`blob upload ${name}: HTTP ${put.status} ${put.body}`);
    return digest;
  };
  const pushManifest = async (name: string, tag: string, mediaType: string, body: Buffer): Promise<string> => {
    const r = await call("PUT", `/v2/${name}/manifests/${tag}`, { ...authz(name), "content-type": mediaType, "content-length": String(body.length) }, body);
    if (r.status !== 201) throw new Error(`manifest ${name}:${tag}: HTTP ${r.status} ${r.body}`);
    return String(r.headers["docker-content-digest"]);
  };
  const manifestOf = async (name: string, seed: string, kind: "image" | "chart", platform?: { architecture: string; os: string }) => {
    const config = Buffer.from(JSON.stringify(kind === "chart" ? { name: seed, version: "0.0.0" } : { architecture: platform?.architecture ?? "amd64", os: "linux", config: { Labels: { seed } }, rootfs: { type: "layers", diff_ids: [] } }));
    const layer = Buffer.from(`layer of ${seed} ${platform?.architecture ?? ""}`);
    const configDigest = await pushBlob(name, config);
    const layerDigest = await pushBlob(name, layer);
    return Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: { mediaType: kind === "chart" ? "application/vnd.cncf.helm.config.v1+json" : "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
        layers: [{ mediaType: kind === "chart" ? "application/vnd.cncf.helm.chart.content.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar+gzip", digest: layerDigest, size: layer.length }],
      }),
    );
  };

  return {
    dir,
    host,
    caFile: join(dir, "ca.crt"),
    token: sign,
    pushBlob,
    pushManifest,
    async pushImage(name, tag, seed, kind = "image") {
      return pushManifest(name, tag, "application/vnd.oci.image.manifest.v1+json", await manifestOf(name, seed, kind));
    },
    async pushIndex(name, tag, seed) {
      const manifests = [];
      for (const architecture of ["amd64", "arm64"]) {
        const body = await manifestOf(name, seed, "image", { architecture, os: "linux" });
        const digest = await pushManifest(name, `${tag}-${architecture}`, "application/vnd.oci.image.manifest.v1+json", body);
        manifests.push({ mediaType: "application/vnd.oci.image.manifest.v1+json", digest, size: body.length, platform: { architecture, os: "linux" } });
      }
      return pushManifest(name, tag, "application/vnd.oci.image.index.v1+json", Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests })));
    },
    async stop() {
      await proc.kill();
      await proc.catch(() => undefined);
      if (tokenServer) await new Promise<void>((r) => tokenServer!.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An OCI image layout made with umoci (one layer holding one file), copied into the registry with skopeo
 * over TLS (the test CA in --dest-cert-dir) with the registry's credentials. Returns the digest skopeo wrote.
 */
export async function pushWithUmociAndSkopeo(reg: TestRegistry, name: string, tag: string): Promise<string> {
  const q = $({ cwd: reg.dir, quiet: true });
  await q`umoci init --layout oci`;
  await q`umoci new --image oci:base`;
  await q`umoci unpack --rootless --image oci:base bundle`;
  writeFileSync(join(reg.dir, "bundle", "rootfs", "hello.txt"), `socle test image ${tag}\n`);
  await q`umoci repack --image oci:base bundle`;
  await q`umoci config --image oci:base --config.cmd=/hello.txt`;
  const digestFile = join(reg.dir, "skopeo.digest");
  await q`skopeo copy --quiet --dest-cert-dir ${join(reg.dir, "certs")} --dest-creds ${`${USER}:${PASSWORD}`} --digestfile ${digestFile} oci:${join(reg.dir, "oci")}:base docker://${reg.host}/${name}:${tag}`;
  return readFileSync(digestFile, "utf8").trim();
}
