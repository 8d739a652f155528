/**
 * The peers a workload will call, derived from its own configuration: env values, command and args, the
 * ConfigMaps it mounts or reads, and CloudNativePG connection Secrets it reads (`host`, `uri`…). A peer is
 * resolved to a Service of the render (then to the pods it selects) or to a Gateway listener hostname.
 */
import type { KubernetesObject } from "../../policies/types";
import { find, inventory, type Inventory } from "./inventory";
import { ANNOTATIONS, asArray, asString, containers, isObject, nameOf, type PodTemplate } from "./k8s";
import { podRefs } from "./refs";
import type { CheckModel } from "./types";

export interface Need {
  readonly host: string;
  readonly port?: number;
  readonly scheme?: string;
  /** Where the address was read. */
  readonly path: string;
  /** What kind of setting named it: an env var (with its name), a command/args word, a mounted config file, a CloudNativePG connection Secret. */
  readonly from: "env" | "args" | "config" | "secret";
  readonly envName?: string;
  readonly service?: KubernetesObject;
  /** The Gateway listener serving this hostname, when the host is one. */
  readonly gateway?: { readonly gateway: KubernetesObject; readonly listener: Record<string, unknown> };
}

const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  redis: 6379,
  rediss: 6379,
  valkey: 6379,
  smtp: 25,
  smtps: 465,
  submission: 587,
  imap: 143,
  imaps: 993,
  ldap: 389,
  ldaps: 636,
};

const URL_RE = /\b([a-z][a-z0-9+.-]{1,15}):\/\/(?:[^\s/@"'<>]+@)?([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?/gi;
const SVC_RE = /\b([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.svc(?:\.cluster\.local)?\.?(?::(\d{1,5}))?\b/gi;
/** Env names of a host setting, whose port may be in the sibling `…_PORT`. */
const HOST_SUFFIX = /(HOST|HOSTNAME|SERVER)$/;
/** `host: name`, `"host": "name"`, `host = "name"` in a configuration file. */
const CONFIG_HOST_RE = /["']?\b(?:host|hostname|server|address)["']?\s*[:=]\s*["']?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)["']?\s*(?:[,}\n]|$)/gi;
/** Bounds: strings longer than this are read in their first part only. */
const MAX_TEXT = 200_000;

/** Strings a pod's configuration holds, with the path of each. */
interface Text {
  readonly text: string;
  readonly path: string;
  readonly from: "env" | "args" | "config";
  readonly envName?: string;
}

function configTexts(inv: Inventory, pod: PodTemplate): Text[] {
  const out: Text[] = [];
  for (const c of containers(pod)) {
    asArray(c.container.env).forEach((e, i) => {
      if (isObject(e) && typeof e.value === "string") out.push({ text: e.value, path: `${c.path}.env[${i}].value`, from: "env", envName: String(e.name) });
    });
    for (const f of ["command", "args"] as const) asArray(c.container[f]).forEach((a, i) => typeof a === "string" && out.push({ text: a, path: `${c.path}.${f}[${i}]`, from: "args" }));
  }
  const seen = new Set<string>();
  for (const ref of podRefs(pod)) {
    if (ref.kind !== "ConfigMap" || seen.has(ref.name)) continue;
    seen.add(ref.name);
    const cm = find(inv, "ConfigMap", pod.namespace, ref.name);
    if (!cm || !isObject(cm.data) || cm.metadata.annotations?.[ANNOTATIONS.producedBy]) continue;
    for (const [k, v] of Object.entries(cm.data)) if (typeof v === "string") out.push({ text: v, path: `ConfigMap/${pod.namespace}/${ref.name} data.${k}`, from: "config" });
  }
  return out;
}

function serviceFor(inv: Inventory, model: CheckModel, host: string, podNs: string): KubernetesObject | undefined {
  const h = host.toLowerCase().replace(/\.$/, "");
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(h);
  if (m) return find(inv, "Service", m[2]!, m[1]!);
  const parts = h.split(".");
  if (parts.length === 1) return find(inv, "Service", podNs, h);
  if (parts.length === 2 && model.objects.some((o) => o.kind === "Namespace" && nameOf(o) === parts[1])) return find(inv, "Service", parts[1]!, parts[0]!);
  return undefined;
}

function gatewayFor(model: CheckModel, host: string): Need["gateway"] {
  const h = host.toLowerCase();
  for (const gw of model.objects) {
    if (gw.kind !== "Gateway" || !isObject(gw.spec)) continue;
    for (const l of asArray(gw.spec.listeners)) {
      if (!isObject(l) || typeof l.hostname !== "string") continue;
      const lh = l.hostname.toLowerCase();
      if (lh === h || (lh.startsWith("*.") && h.endsWith(lh.slice(1)) && !h.slice(0, -lh.length + 1).includes("."))) return { gateway: gw, listener: l };
    }
  }
  return undefined;
}

/**
 * Settings that name hosts without calling them: accepted host names and origins, and the URLs a browser
 * follows (OIDC authorization and logout endpoints, redirects, websocket and public URLs).
 */
const NOT_A_CALL = /(ALLOWED_HOSTS|TRUSTED_ORIGINS|CORS|ORIGIN|AUTHORIZATION_ENDPOINT|AUTH_ENDPOINT|LOGOUT|REDIRECT|WS_URL|PUBLIC|FRONTEND)/i;

/** Env names of server-to-server calls to an identity provider (back channel). */
export const BACK_CHANNEL = /(TOKEN|USERINFO|USER_ENDPOINT|JWKS|ISSUER|DISCOVERY|WELL_KNOWN|INTROSPECT)/i;

/** Env names of connection settings. */
export const CONNECTION = /(HOST|URL|URI|ENDPOINT|ADDR|ADDRESS|SERVER|DSN|BROKER)S?$/i;

const CNPG_HOST_KEYS = new Set(["host", "uri", "jdbc-uri", "fqdn-uri", "fqdn-jdbc-uri"]);

const needsCache = new WeakMap<CheckModel, Map<PodTemplate, Need[]>>();

/** Every peer the pod's configuration names, resolved where the render allows. */
export function podNeeds(model: CheckModel, pod: PodTemplate): Need[] {
  let perModel = needsCache.get(model);
  if (!perModel) needsCache.set(model, (perModel = new Map()));
  const cached = perModel.get(pod);
  if (cached) return cached;
  const inv = inventory(model);
  const out: Need[] = [];
  const seen = new Set<string>();
  const add = (n: Need) => {
    const k = `${n.path}|${n.host.toLowerCase().replace(/\.$/, "")}|${n.port ?? ""}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(n);
  };
  const texts = configTexts(inv, pod);
  /** `DB_HOST` → the numeric value of `DB_PORT` in the same container's env, when there is one. */
  const siblingPort = (t: Text): number | undefined => {
    if (t.envName === undefined || !HOST_SUFFIX.test(t.envName)) return undefined;
    const portName = t.envName.replace(HOST_SUFFIX, "PORT");
    const container = t.path.slice(0, t.path.lastIndexOf(".env["));
    const p = texts.find((x) => x.envName === portName && x.path.startsWith(`${container}.env[`));
    return p && /^\d{1,5}$/.test(p.text.trim()) ? Number(p.text.trim()) : undefined;
  };
  for (const t of texts) {
    const { text: raw, path, from, envName } = t;
    if (envName !== undefined && NOT_A_CALL.test(envName)) continue;
    const origin = { from, ...(envName !== undefined ? { envName } : {}) };
    const sibling = siblingPort(t);
    // A connection setting whose whole value is a Service name of the namespace: `DB_HOST=docs-db-rw`.
    if (envName !== undefined && HOST_SUFFIX.test(envName) && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(raw.trim())) {
      const service = find(inv, "Service", pod.namespace, raw.trim());
      if (service) add({ host: raw.trim(), path, ...origin, ...(sibling !== undefined ? { port: sibling } : {}), service });
    }
    // In config files, `host: name` / `"host": "name"` naming a Service of the namespace.
    if (from === "config") {
      for (const m of raw.slice(0, MAX_TEXT).matchAll(CONFIG_HOST_RE)) {
        const service = find(inv, "Service", pod.namespace, m[1]!);
        if (service) add({ host: m[1]!, path, ...origin, service });
      }
    }
    const text = raw.length > MAX_TEXT ? raw.slice(0, MAX_TEXT) : raw;
    for (const m of text.matchAll(URL_RE)) {
      const scheme = m[1]!.toLowerCase();
      const host = m[2]!;
      const port = m[3] ? Number(m[3]) : (sibling ?? DEFAULT_PORTS[scheme]);
      const service = serviceFor(inv, model, host, pod.namespace);
      const gateway = service ? undefined : gatewayFor(model, host);
      if (!service && !gateway) continue;
      add({ host, scheme, path, ...origin, ...(port !== undefined ? { port } : {}), ...(service ? { service } : {}), ...(gateway ? { gateway } : {}) });
    }
    for (const m of text.matchAll(SVC_RE)) {
      const host = m[0]!.replace(/:\d+$/, "");
      const service = serviceFor(inv, model, host, pod.namespace);
      if (!service) continue;
      const port = m[3] ? Number(m[3]) : sibling;
      add({ host, path, ...origin, ...(port !== undefined ? { port } : {}), service });
    }
  }
  // CloudNativePG connection Secrets: `host`/`uri` keys point at the cluster's read-write Service on 5432.
  for (const ref of podRefs(pod)) {
    if (ref.kind !== "Secret" || !ref.key || !CNPG_HOST_KEYS.has(ref.key)) continue;
    const secret = find(inv, "Secret", pod.namespace, ref.name);
    const by = asString(secret?.metadata.annotations?.[ANNOTATIONS.producedBy]);
    const m = by ? /^CloudNativePG Cluster [^/]+\/(.+)$/.exec(by) : null;
    if (!m) continue;
    const service = find(inv, "Service", pod.namespace, `${m[1]}-rw`);
    if (service) add({ host: `${m[1]}-rw`, port: 5432, scheme: "postgresql", path: ref.path, from: "secret", service });
  }
  perModel.set(pod, out);
  return out;
}

