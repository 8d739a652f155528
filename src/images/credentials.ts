import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Credentials } from "./registry";

/**
 * Registry credentials, from the environment or a Docker `config.json` — never from a stack file, which is
 * committed. Order: `SOCLE_REGISTRY_USERNAME`/`SOCLE_REGISTRY_PASSWORD` (for the mirror host only), then the
 * `auths` entry of the first file among `REGISTRY_AUTH_FILE` (skopeo's and podman's auth.json, same format),
 * `$DOCKER_CONFIG/config.json`, `~/.docker/config.json`. An `auths` entry's `auth` is base64 of `user:password`
 * (docker/cli cli/config/configfile/file.go, `decodeAuth`).
 */

const MAX_CONFIG_BYTES = 1024 * 1024;

export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsError";
  }
}

export function authFiles(env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.DOCKER_CONFIG) files.push(join(env.DOCKER_CONFIG, "config.json"));
  files.push(join(env.HOME || homedir(), ".docker", "config.json"));
  return files;
}

/** Host (`host[:port]`) of an `auths` key, which may be a URL such as `https://index.docker.io/v1/`. */
function keyHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, "").split("/")[0]!.toLowerCase();
}

/** The credentials lookup for `socle images`: a function of the registry host. Reads files once, bounded. */
export function credentialsFrom(env: NodeJS.ProcessEnv, mirrorHost: string): (host: string) => Credentials | undefined {
  const fromEnv = env.SOCLE_REGISTRY_USERNAME !== undefined || env.SOCLE_REGISTRY_PASSWORD !== undefined;
  if (fromEnv && (!env.SOCLE_REGISTRY_USERNAME || env.SOCLE_REGISTRY_PASSWORD === undefined)) {
    throw new CredentialsError("SOCLE_REGISTRY_USERNAME and SOCLE_REGISTRY_PASSWORD must be set together (or neither, to use a Docker config.json)");
  }
  const envCreds = fromEnv ? { username: env.SOCLE_REGISTRY_USERNAME!, password: env.SOCLE_REGISTRY_PASSWORD! } : undefined;
  const file = authFiles(env).find((f) => existsSync(f));
  const auths = file ? readAuths(file) : new Map<string, Credentials>();
  return (host) => (envCreds && host.toLowerCase() === mirrorHost.toLowerCase() ? envCreds : auths.get(host.toLowerCase()));
}

export function readAuths(file: string): Map<string, Credentials> {
  const size = statSync(file).size;
  if (size > MAX_CONFIG_BYTES) throw new CredentialsError(`${file}: ${size} bytes, more than the ${MAX_CONFIG_BYTES} a registry auth file may hold`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new CredentialsError(`${file}: not valid JSON; expected a Docker config.json such as {"auths": {"registry.example.fr": {"auth": "<base64 of user:password>"}}}`);
  }
  const auths = (doc as { auths?: unknown })?.auths;
  const out = new Map<string, Credentials>();
  if (auths === undefined) return out;
  if (typeof auths !== "object" || auths === null || Array.isArray(auths)) throw new CredentialsError(`${file}: \`auths\` must be an object keyed by registry host`);
  for (const [key, entry] of Object.entries(auths as Record<string, unknown>)) {
    const e = entry as { auth?: unknown; username?: unknown; password?: unknown } | null;
    if (e && typeof e.auth === "string" && e.auth !== "") {
      const decoded = Buffer.from(e.auth, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      // The message names the entry, never its content.
      if (colon <= 0) throw new CredentialsError(`${file}: auths["${key}"].auth is not base64 of user:password`);
      out.set(keyHost(key), { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) });
    } else if (e && typeof e.username === "string" && typeof e.password === "string") {
      out.set(keyHost(key), { username: e.username, password: e.password });
    }
  }
  return out;
}
