import { createHash } from "node:crypto";
import { request, type RequestOptions } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import { rootCertificates } from "node:tls";

/**
 * A minimal client of the OCI distribution API (https://github.com/opencontainers/distribution-spec,
 * spec.md "Pulling manifests"; the Docker registry's token scheme in distribution/distribution
 * docs/spec/auth/token.md): resolves `<name>:<tag>` to the digest the registry serves, over HTTPS only,
 * trusting the system CAs plus the ones given (the organisation's CA, from `NODE_EXTRA_CA_CERTS`).
 * There is no option to skip certificate verification.
 */

/** Manifest media types asked for, indexes first so a multi-arch tag resolves to its index, never to one platform. */
export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
] as const;

export const INDEX_MEDIA_TYPES: readonly string[] = MANIFEST_ACCEPT.slice(0, 2);

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface RegistryClientOptions {
  /** PEM certificates trusted besides Node's bundled roots. */
  readonly ca?: readonly string[];
  /** Credentials for a registry host (`host[:port]`), or undefined for anonymous access. */
  readonly credentials?: (host: string) => Credentials | undefined;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

export type RegistryErrorKind = "unreachable" | "unauthorized" | "not-found" | "protocol";

/** A registry answer socle cannot use, worded for the operator (never carries a credential). */
export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

export interface Resolved {
  readonly digest: string;
  readonly mediaType: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_TOKEN_BYTES = 64 * 1024;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** `registry.example.fr:5000/prefix` → host `registry.example.fr:5000`, prefix `prefix`. */
export function splitRegistry(registry: string): { host: string; prefix: string } {
  const trimmed = registry.replace(/\/+$/, "");
  const slash = trimmed.indexOf("/");
  return slash < 0 ? { host: trimmed, prefix: "" } : { host: trimmed.slice(0, slash), prefix: trimmed.slice(slash + 1) };
}

/** `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` → scheme and parameters. */
export function parseChallenge(header: string | undefined): { scheme: string; params: Record<string, string> } | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? "";
  return { scheme: m[1]!.toLowerCase(), params };
}

export class RegistryClient {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly opts: RegistryClientOptions = {}) {}

  /**
   * Digest of `<host>/<name>:<reference>` as the registry serves it: `HEAD /v2/<name>/manifests/<reference>`
   * and its `Docker-Content-Digest`; when a registry omits that header, the sha256 of the manifest body (GET).
   */
  async resolve(host: string, name: string, reference: string): Promise<Resolved> {
    const where = `${host}/${name}:${reference}`;
    const path = `/v2/${name}/manifests/${encodeURIComponent(reference)}`;
    const headers = { accept: MANIFEST_ACCEPT.join(", ") };
    const head = await this.authorized(host, name, "HEAD", path, headers, where);
    if (head.status === 404) throw new RegistryError("not-found", `${where}: the registry has no such manifest (HTTP 404): check the tag, or copy it into the registry with \`socle images mirror\``);
    if (head.status !== 200) throw new RegistryError("protocol", `${where}: HEAD ${path} answered HTTP ${head.status}; expected 200`);
    const mediaType = String(head.headers["content-type"] ?? "").split(";")[0]!.trim();
    const digest = head.headers["docker-content-digest"];
    if (typeof digest === "string" && digest !== "") {
      if (!DIGEST.test(digest)) throw new RegistryError("protocol", `${where}: the registry answered digest ${JSON.stringify(digest.slice(0, 80))}, which is not sha256:<64 hex>`);
      return { digest, mediaType };
    }
    const get = await this.authorized(host, name, "GET", path, headers, where, MAX_MANIFEST_BYTES);
    if (get.status !== 200) throw new RegistryError("protocol", `${where}: GET ${path} answered HTTP ${get.status}; expected 200`);
    return { digest: `sha256:${createHash("sha256").update(get.body).digest("hex")}`, mediaType: String(get.headers["content-type"] ?? mediaType).split(";")[0]!.trim() };
  }

  /** One request, answering the registry's challenge once (Bearer token or Basic) when it asks for one. */
  private async authorized(host: string, name: string, method: string, path: string, headers: Record<string, string>, where: string, maxBytes = 0): Promise<Answer> {
    const scope = `repository:${name}:pull`;
    const cached = this.tokens.get(`${host} ${scope}`);
    const first = await this.send(`https://${host}${path}`, method, cached ? { ...headers, authorization: cached } : headers, where, maxBytes);
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers["www-authenticate"] as string | undefined);
    const creds = this.opts.credentials?.(host);
    let authorization: string;
    if (challenge?.scheme === "bearer") {
      authorization = `Bearer ${await this.token(host, challenge.params, scope, creds, where)}`;
    } else if (challenge?.scheme === "basic") {
      if (!creds) throw unauthorized(where, host, "asks for a user name and password");
      authorization = basic(creds);
    } else {
      throw new RegistryError("unauthorized", `${where}: the registry answered HTTP 401 without a Bearer or Basic challenge`);
    }
    this.tokens.set(`${host} ${scope}`, authorization);
    const second = await this.send(`https://${host}${path}`, method, { ...headers, authorization }, where, maxBytes);
    if (second.status === 401 || second.status === 403) throw unauthorized(where, host, `refused the credentials (HTTP ${second.status})`);
    return second;
  }

  /** Token endpoint of a Bearer challenge: `GET <realm>?service=…&scope=…`, with Basic credentials when there are some. */
  private async token(host: string, params: Record<string, string>, scope: string, creds: Credentials | undefined, where: string): Promise<string> {
    const realm = params.realm;
    if (!realm) throw new RegistryError("protocol", `${where}: the registry's Bearer challenge names no realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError("protocol", `${where}: the registry's token realm ${JSON.stringify(realm.slice(0, 200))} is not a URL`);
    }
    if (url.protocol !== "https:") throw new RegistryError("protocol", `${where}: the token realm ${url.origin} is not HTTPS; socle sends credentials over HTTPS only`);
    if (params.service) url.searchParams.set("service", params.service);
    url.searchParams.set("scope", params.scope ?? scope);
    const answer = await this.send(url.toString(), "GET", creds ? { authorization: basic(creds) } : {}, where, MAX_TOKEN_BYTES);
    if (answer.status === 401 || answer.status === 403) throw unauthorized(where, host, `token endpoint ${url.origin}${url.pathname} refused ${creds ? "the credentials" : "anonymous access"} (HTTP ${answer.status})`);
    if (answer.status !== 200) throw new RegistryError("protocol", `${where}: token endpoint ${url.origin}${url.pathname} answered HTTP ${answer.status}`);
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse(answer.body.toString("utf8")) as typeof body;
    } catch {
      throw new RegistryError("protocol", `${where}: token endpoint ${url.origin}${url.pathname} answered something that is not JSON`);
    }
    const token = typeof body.token === "string" && body.token ? body.token : typeof body.access_token === "string" ? body.access_token : "";
    if (!token) throw new RegistryError("protocol", `${where}: token endpoint ${url.origin}${url.pathname} answered no token`);
    return token;
  }

  private send(url: string, method: string, headers: Record<string, string>, where: string, maxBytes: number): Promise<Answer> {
    const timeout = this.opts.timeoutMs ?? 15_000;
    const u = new URL(url);
    const options: RequestOptions = {
      method,
      headers: { "user-agent": "socle-images", ...headers },
      timeout,
      // The bundled roots plus the organisation's CA: verification stays on, always.
      ...(this.opts.ca && this.opts.ca.length > 0 ? { ca: [...rootCertificates, ...this.opts.ca] } : {}),
      rejectUnauthorized: true,
    };
    return new Promise((resolve, reject) => {
      const req = request(u, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (maxBytes > 0 && size > maxBytes) {
            req.destroy(new RegistryError("protocol", `${where}: ${u.origin}${u.pathname} answered more than ${maxBytes} bytes`));
            return;
          }
          if (maxBytes > 0) chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new RegistryError("unreachable", `${where}: ${u.host} did not answer within ${timeout} ms`)));
      req.on("error", (err: Error & { code?: string }) => {
        if (err instanceof RegistryError) return reject(err);
        const tls = err.code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(err.code);
        reject(
          new RegistryError(
            "unreachable",
            tls
              ? `${where}: the TLS certificate of ${u.host} is not trusted (${err.code}): put the organisation's CA in a PEM file and set NODE_EXTRA_CA_CERTS to it`
              : `${where}: cannot reach ${u.host} (${err.code ?? err.message}): check the registry address and that this machine can reach it over HTTPS`,
          ),
        );
      });
      req.end();
    });
  }
}

function basic(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
}

function unauthorized(where: string, host: string, what: string): RegistryError {
  return new RegistryError(
    "unauthorized",
    `${where}: the registry ${what}: set SOCLE_REGISTRY_USERNAME and SOCLE_REGISTRY_PASSWORD, or log in so that a Docker config.json (DOCKER_CONFIG, ~/.docker/config.json, or REGISTRY_AUTH_FILE) has an \`auths\` entry for ${host}`,
  );
}
