import type { z } from "zod";
import { ConfigError, excerpt, type ConfigIssue } from "./issues";
import { statSync } from "node:fs";
import { adminExposureProblems } from "../../policies/controls/lib/address-ranges";
import {
  LIMITS,
  OUTSCALE_SECNUMCLOUD_REGION,
  rawConfigSchema,
  type CloudConfig,
  type RawConfig,
  type SocleConfig,
} from "./schema";

export const NAMESPACE = "socle";

export interface ParseContext {
  readonly project: string;
  readonly stack: string;
  /** The stack file the keys came from, for messages. */
  readonly file: string;
  /** Line of a key path in the stack file, when known (`["domain"]`, `["openstack", "workerPools", 0]`). */
  readonly lineOf?: (path: readonly (string | number)[]) => number | undefined;
  /**
   * Whether the value at a key path is stored encrypted (`secure:` in the stack file, `pulumi config set
   * --secret`). Keys that must be secrets (an upstream provider's client secret) are refused when this
   * says no, or when it is not given.
   */
  readonly isSecret?: (path: readonly (string | number)[]) => boolean;
}

/** Key paths whose values are secrets: never echoed in a message. */
const SECRET_PATH = /\.clientSecret$/;

function redact(issue: ConfigIssue): ConfigIssue {
  return SECRET_PATH.test(issue.path) && issue.value !== undefined ? { ...issue, value: "[secret]" } : issue;
}

/** Extra cross-field checks contributed by other parts (e.g. the cloud planner); pure. */
export type ConfigCheck = (config: SocleConfig) => readonly ConfigIssue[];

/**
 * Validates the raw `socle:*` keys (names without the prefix) and returns the typed configuration.
 * Throws a ConfigError carrying every problem at once.
 */
export function parseConfig(raw: Record<string, unknown>, ctx: ParseContext, checks: readonly ConfigCheck[] = []): SocleConfig {
  const result = rawConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(ctx.file, byLine(result.error.issues.flatMap((i) => toIssues(i, raw, ctx)).map(redact)));
  }
  const issues: ConfigIssue[] = [];
  const config = normalize(result.data, ctx, issues, "apps" in raw);
  if (issues.length === 0) for (const check of checks) issues.push(...check(config));
  if (issues.length > 0) throw new ConfigError(ctx.file, byLine(issues.map((i) => withLine(redact(i), ctx))));
  return config;
}

function normalize(raw: RawConfig, ctx: ParseContext, issues: ConfigIssue[], appsGiven: boolean): SocleConfig {
  const need = (key: string, fix: string) =>
    issues.push({ path: `${NAMESPACE}:${key}`, value: undefined, problem: "is required here", fix });
  let cloud: CloudConfig | undefined;
  switch (raw.target) {
    case "openstack":
      if (!raw.openstack) need("openstack", "add a socle:openstack block (externalNetwork, qualifiedRegions, image, controlPlaneFlavor, workerPools) for target openstack");
      if (!raw.region) need("region", "set socle:region to your OpenStack region, one of socle:openstack.qualifiedRegions");
      if (raw.openstack && raw.region) cloud = { target: "openstack", region: raw.region, settings: raw.openstack };
      break;
    case "outscale":
      if (!raw.outscale) need("outscale", "add a socle:outscale block (at least objectStorageEndpoint, the OOS endpoint of the region) for target outscale");
      else cloud = { target: "outscale", region: raw.region ?? OUTSCALE_SECNUMCLOUD_REGION, settings: raw.outscale };
      break;
    case "existing": {
      const settings = raw.existing ?? defaultsOf("existing");
      cloud = { target: "existing", region: raw.region ?? settings.region, settings };
      break;
    }
  }
  for (const other of ["openstack", "outscale", "existing"] as const) {
    if (other !== raw.target && raw[other] !== undefined) {
      issues.push({
        path: `${NAMESPACE}:${other}`,
        value: "(a settings block)",
        problem: `applies to target ${other}, but socle:target is ${raw.target}`,
        fix: `remove socle:${other}, or set socle:target to ${other}`,
      });
    }
  }
  if (raw.kind === "tenant" && !raw.platformStack) {
    need("platformStack", "set socle:platformStack to the platform stack this tenant runs on, as org/project/stack");
  }
  if (raw.kind !== "tenant" && raw.platformStack) {
    issues.push({
      path: `${NAMESPACE}:platformStack`,
      value: raw.platformStack,
      problem: `is only used by tenant stacks, but socle:kind is ${raw.kind}`,
      fix: "remove socle:platformStack, or set socle:kind to tenant",
    });
  }
  if (raw.kind !== "platform" && raw.tenants.length > 0) {
    issues.push({
      path: `${NAMESPACE}:tenants`,
      value: raw.tenants.slice(0, 5),
      problem: `lists the tenants a platform binds, but socle:kind is ${raw.kind}`,
      fix: "remove socle:tenants from this stack (a tenant names its platform with socle:platformStack), or set socle:kind to platform",
    });
  }
  if (raw.kind === "platform" && raw.tenants.length > 0 && raw.target !== "existing") {
    issues.push({
      path: `${NAMESPACE}:tenants`,
      value: raw.tenants.slice(0, 5),
      problem: `binds tenants into the platform's in-cluster Garage, which only target existing runs (socle:target is ${raw.target})`,
      fix: "remove socle:tenants, or run the platform on target existing",
    });
  }
  {
    const seen = new Set<string>();
    raw.tenants.forEach((t, i) => {
      if (seen.has(t)) issues.push({ path: `${NAMESPACE}:tenants[${i}]`, value: t, problem: "is listed twice", fix: "list each tenant stack once (socle tenant remove edits the list)" });
      if (t === ctx.stack) issues.push({ path: `${NAMESPACE}:tenants[${i}]`, value: t, problem: "is this platform stack itself", fix: "list the platform's tenant stacks only" });
      seen.add(t);
    });
  }
  if (raw.tlsIssuer === "acme" && !raw.acmeServer) {
    need("acmeServer", "set socle:acmeServer to your ACME directory URL (a sovereign CA), or use socle:tlsIssuer internal-ca");
  }
  const pools = raw.target === "openstack" ? raw.openstack?.workerPools : raw.target === "outscale" ? raw.outscale?.workerPools : undefined;
  const nodes = (pools ?? []).reduce((n, p) => n + p.count, 0);
  if (nodes > LIMITS.nodes) {
    issues.push({
      path: `${NAMESPACE}:${raw.target}.workerPools`,
      value: `(${pools!.length} pools, ${nodes} nodes)`,
      problem: `asks for ${nodes} worker nodes; socle plans at most ${LIMITS.nodes} nodes per cluster`,
      fix: `lower the counts of socle:${raw.target}.workerPools to ${LIMITS.nodes} nodes in all, or split the deployment into several clusters`,
    });
  }
  for (const { index, problem } of adminExposureProblems(raw.adminCidrs, { 4: raw.adminCidrMinPrefix, 6: 48 })) {
    issues.push({
      path: index < 0 ? `${NAMESPACE}:adminCidrs` : `${NAMESPACE}:adminCidrs[${index}]`,
      value: index < 0 ? undefined : raw.adminCidrs[index],
      problem,
      allowed: `ranges of /${raw.adminCidrMinPrefix} or smaller (socle:adminCidrMinPrefix: ${raw.adminCidrMinPrefix}), whose public addresses together fit in one /${raw.adminCidrMinPrefix}`,
      fix: "list the administration networks themselves (the bastion or VPN exit addresses), or raise socle:adminCidrMinPrefix only if a wider range is really an administration network",
    });
  }
  if (raw.target === "existing" && raw.existing?.kubeconfigPath) {
    const path = raw.existing.kubeconfigPath;
    let problem: string | undefined;
    try {
      if (!statSync(path).isFile()) problem = "is not a regular file";
    } catch (e) {
      problem = (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`;
    }
    if (problem) {
      issues.push({ path: `${NAMESPACE}:existing.kubeconfigPath`, value: path, problem, fix: "give the absolute path of the cluster's kubeconfig file, or remove the key to use the ambient kubeconfig" });
    }
  }
  if (raw.opencost && raw.kind !== "platform") {
    issues.push({
      path: `${NAMESPACE}:opencost`,
      value: "(a settings block)",
      problem: `deploys OpenCost on a hoster's platform, but socle:kind is ${raw.kind}`,
      fix: "remove socle:opencost, or set it on the platform stack (socle:kind platform)",
    });
  }
  if (raw.monitoring && raw.kind === "tenant") {
    issues.push({
      path: `${NAMESPACE}:monitoring`,
      value: "(a settings block)",
      problem: "configures the platform's Prometheus, but socle:kind is tenant (a tenant runs no Prometheus)",
      fix: "remove socle:monitoring, or set it on the platform stack",
    });
  }
  const apps = raw.kind === "platform" ? [] : [...new Set(raw.apps)].sort();
  if (raw.kind === "platform" && raw.apps.length > 0 && appsGiven) {
    issues.push({
      path: `${NAMESPACE}:apps`,
      value: raw.apps,
      problem: "a platform stack runs platform services only; apps belong to tenant stacks",
      fix: "remove socle:apps from this stack and enable them on each tenant stack",
    });
  }
  const federation = raw.identityFederation;
  if (federation) {
    const seen = new Set<string>();
    federation.providers.forEach((p, i) => {
      const at = ["identityFederation", "providers", i] as const;
      if (seen.has(p.alias)) {
        issues.push({ path: formatPath([...at, "alias"]), value: p.alias, problem: "is used by another provider", fix: "give each provider of socle:identityFederation.providers its own alias" });
      }
      seen.add(p.alias);
      if (!ctx.isSecret?.([...at, "clientSecret"])) {
        issues.push({
          path: formatPath([...at, "clientSecret"]),
          value: "[secret]",
          problem: "is stored in clear in the stack file; the client secret at an upstream provider must be a Pulumi secret",
          fix: `store it encrypted: pulumi config set --secret --path 'socle:identityFederation.providers[${i}].clientSecret' <secret> (the stack file then holds a secure: value)`,
        });
      }
    });
    if (apps.length === 0 || (raw.kind === "tenant" && !apps.includes("identity"))) {
      // Tenant stacks without identity, or platform stacks, have no realm to federate.
      issues.push({ path: `${NAMESPACE}:identityFederation`, value: "(a settings block)", problem: "needs the identity app, which this stack does not run", fix: "remove socle:identityFederation, or enable identity in socle:apps" });
    }
  }
  // Every app signs in through the identity provider.
  if (apps.length > 0 && !apps.includes("identity") && raw.kind !== "tenant") apps.unshift("identity");
  return {
    project: ctx.project,
    stack: ctx.stack,
    kind: raw.kind,
    organization: { id: raw.organization, name: raw.organizationName, ...(raw.previousOrganization ? { previousId: raw.previousOrganization } : {}) },
    domain: raw.domain,
    cloud: cloud ?? { target: "existing", region: "unknown", settings: defaultsOf("existing") },
    apps: apps as SocleConfig["apps"],
    sizing: raw.sizing,
    registryMirror: raw.registryMirror,
    adminCidrs: raw.adminCidrs,
    adminCidrMinPrefix: raw.adminCidrMinPrefix,
    tls: { issuer: raw.tlsIssuer, acmeServer: raw.acmeServer, acmeEmail: raw.acmeEmail },
    platformStack: raw.platformStack,
    tenants: [...new Set(raw.tenants)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    gatewayClass: raw.gatewayClass,
    logs: { retentionDays: raw.logRetentionDays },
    backups: { retentionDays: raw.backupRetentionDays },
    provider: raw.provider,
    ...(federation ? { identityFederation: federation } : {}),
    chat: { federationAllowlist: raw.chat?.federation ? [...new Set(raw.chat.federation)].sort() : [] },
    ...(raw.opencost ? { opencost: { priceSheet: raw.opencost.priceSheet } } : {}),
    monitoring: monitoringOf(raw, cloud),
  };
}

/**
 * The nodes' address ranges Prometheus scrapes the kubelets at: the setting, else the network the stack
 * provisions its nodes in (`networkCidr`: OpenStack VMs and Magnum's fixed subnet are subnets of it,
 * components/cloud/openstack/network.ts and magnum.ts; Outscale VMs' subnets are cut from it,
 * components/cloud/outscale/network.ts, and an OKS project's network is it, oks.ts `cidr`), else none.
 */
function monitoringOf(raw: RawConfig, cloud: CloudConfig | undefined): SocleConfig["monitoring"] {
  if (raw.kind === "tenant") return { nodeCidrs: [], source: "none" };
  const set = raw.monitoring?.nodeCidrs;
  if (set) return { nodeCidrs: [...new Set(set)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), source: "setting" };
  if (cloud && cloud.target !== "existing") return { nodeCidrs: [cloud.settings.networkCidr], source: "cloud network" };
  return { nodeCidrs: [], source: "none" };
}

function defaultsOf<K extends "existing">(key: K): NonNullable<RawConfig[K]> {
  const shape = rawConfigSchema.shape[key].unwrap();
  return shape.parse({}) as NonNullable<RawConfig[K]>;
}

function toIssues(issue: z.core.$ZodIssue, raw: Record<string, unknown>, ctx: ParseContext): ConfigIssue[] {
  const base = issue.path as (string | number)[];
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(base);
    const allowedText = allowed.join(", ");
    return issue.keys.map((key, i) => {
      const path = [...base, key];
      // Suggestions for the first keys only: messages show the first ones, and the search is not free.
      const suggestion = i < SUGGESTIONS_MAX ? closest(key, allowed) : undefined;
      return withLine(
        {
          path: formatPath(path),
          value: valueAt(raw, path),
          problem: "is not a known setting",
          allowed: allowedText,
          fix: `remove it, or correct its name${suggestion ? ` (did you mean ${suggestion}?)` : ""}`,
        },
        ctx,
      );
    });
  }
  const value = valueAt(raw, base);
  const path = formatPath(base);
  let problem = issue.message;
  let allowed: string | undefined;
  let fix = `correct ${path} in the stack file`;
  if (issue.code === "invalid_value") {
    allowed = issue.values.map(String).join(", ");
    problem = value === undefined ? "is required" : "is not an allowed value";
    fix = `set ${path} to one of: ${allowed}`;
  } else if (issue.code === "invalid_type") {
    if (value === undefined) {
      problem = "is required";
      fix = `add ${path} (${issue.expected}) to the stack file`;
    } else {
      problem = `must be ${article(issue.expected)}, got ${describe(value)}`;
      fix = `write ${path} as ${article(issue.expected)}`;
    }
  } else if (issue.code === "too_small" || issue.code === "too_big") {
    fix = `change ${path} so that it ${issue.message.replace(/^Too (small|big): expected \S+ to /, "")}`;
  } else if (issue.code === "invalid_format" || issue.code === "custom") {
    fix = `set ${path} to a value that ${problem.replace(/^(must be|is not)\b/, "is")}`;
  }
  return [withLine({ path, value, problem, allowed, fix }, ctx)];
}

/** In the order the operator reads the stack file: by line, keys without a line last. */
function byLine(issues: readonly (ConfigIssue & { line?: number })[]): ConfigIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.index - b.index)
    .map(({ issue }) => issue);
}

function withLine(issue: ConfigIssue, ctx: ParseContext): ConfigIssue & { line?: number } {
  if (!ctx.lineOf) return issue;
  const segments = parsePath(issue.path);
  for (let n = segments.length; n > 0; n--) {
    const line = ctx.lineOf(segments.slice(0, n));
    if (line !== undefined) return { ...issue, line };
  }
  return issue;
}

export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = `${NAMESPACE}:${String(path[0] ?? "")}`;
  for (const seg of path.slice(1)) out += typeof seg === "number" ? `[${seg}]` : `.${String(seg)}`;
  return out;
}

function parsePath(path: string): (string | number)[] {
  const body = path.startsWith(`${NAMESPACE}:`) ? path.slice(NAMESPACE.length + 1) : path;
  const out: (string | number)[] = [];
  for (const m of body.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

function valueAt(raw: unknown, path: readonly (string | number | symbol)[]): unknown {
  let cur: unknown = raw;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg as string | number];
  }
  return cur;
}

function allowedKeys(path: readonly (string | number | symbol)[]): string[] {
  let schema: unknown = rawConfigSchema;
  for (const seg of path) {
    let s = schema as { shape?: Record<string, unknown>; unwrap?: () => unknown; element?: unknown };
    while (s && typeof s.unwrap === "function" && !s.shape) s = s.unwrap() as typeof s;
    if (typeof seg === "number") schema = s.element;
    else schema = s.shape?.[seg as string];
  }
  let s = schema as { shape?: Record<string, unknown>; unwrap?: () => unknown };
  while (s && typeof s.unwrap === "function" && !s.shape) s = s.unwrap() as typeof s;
  return Object.keys(s?.shape ?? {}).map((k) => (path.length === 0 ? `${NAMESPACE}:${k}` : k));
}

/** Unknown keys of one map that get a "did you mean" suggestion. */
const SUGGESTIONS_MAX = 100;

function closest(key: string, allowed: readonly string[]): string | undefined {
  if (key.length > 100) return undefined;
  const bare = (k: string) => k.replace(`${NAMESPACE}:`, "").toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(bare(key), bare(candidate));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a map";
  return `${typeof value} ${excerpt(value)}`;
}
