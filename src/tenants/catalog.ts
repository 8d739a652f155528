import { closeSync, constants, existsSync, linkSync, openSync, readdirSync, readSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigError } from "../config/issues";
import { parseConfig } from "../config/parse";
import { projectName } from "../config/project";
import { readStackFile, stackFilePath } from "../config/stack-file";
import { stackNameProblem } from "../config/stack-name";
import { APP_NAMES, SIZING_PROFILES, type AppName, type SizingProfile, type SocleConfig } from "../config/schema";
import { fleetOf } from "../fleet/members";
import { InputError } from "../model/input-error";
import { PLAN_USER_CEILING, tenantHostnames } from "./plans";
import { protectedNamespaceRegex } from "../../charts/platform/capsule";
import { PLATFORM_OWNED_NAMESPACES } from "../../components/platform/capsule";
import { commitTenantsEdit, prepareTenantsEdit } from "./platform-list";

/** What `socle tenant add` is given. */
export interface TenantRequest {
  readonly name: string;
  readonly platform: string;
  readonly plan: string;
  readonly domain: string;
  readonly apps?: readonly string[];
  readonly adminCidrs?: readonly string[];
  readonly organization?: string;
  readonly organizationName?: string;
}

/** A stack's validated configuration, read through the real parser (src/config), as `socle render` reads it. */
export function loadStackConfig(root: string, stack: string): SocleConfig {
  const project = projectName(root);
  const file = stackFilePath(root, stack);
  const sf = readStackFile(file, stack, project);
  return parseConfig(sf.socle, { project, stack, file, lineOf: sf.lineOf, isSecret: sf.isSecret });
}

/** Tenants of a platform as the catalog sees them: the fleet's stack files, each validated. */
export function fleetConfigs(root: string, platform: string): { stack: string; config: SocleConfig }[] {
  return fleetOf(root, platform).map((stack) => ({ stack, config: loadStackConfig(root, stack) }));
}

/** Default admin range of a new tenant when none is given: the documentation range (RFC 5737), to be replaced. */
export const DEFAULT_ADMIN_CIDRS = ["192.0.2.0/24"] as const;

/**
 * The raw `socle:*` keys of a tenant stack (HOSTERS-SHARED conventions of issue #10): kind tenant, target
 * existing, the platform as `<platform organization>/<project>/<platform stack>`, the plan as `socle:sizing`.
 */
export function tenantRawConfig(req: TenantRequest, platformOrg: string, project: string): Record<string, unknown> {
  return {
    kind: "tenant",
    organization: req.organization ?? req.name,
    organizationName: req.organizationName ?? req.name,
    domain: req.domain,
    target: "existing",
    platformStack: `${platformOrg}/${project}/${req.platform}`,
    apps: [...(req.apps ?? ["identity", "wiki"])],
    sizing: req.plan,
    adminCidrs: [...(req.adminCidrs ?? DEFAULT_ADMIN_CIDRS)],
  };
}

export interface Conflict {
  readonly what: "name" | "namespace prefix" | "hostname";
  readonly value: string;
  readonly holder: string;
}

/**
 * What a new tenant would share with the platform or another tenant of it (pure). Namespace prefixes clash when
 * one is a prefix of the other (`a-` claims `a-b-wiki`): Capsule's prefix ownership could not tell them apart.
 */
export function conflicts(
  candidate: { stack: string; organization: string; hostnames: readonly string[] },
  others: readonly { stack: string; organization: string; hostnames: readonly string[] }[],
): Conflict[] {
  const found: Conflict[] = [];
  const prefix = `${candidate.organization}-`;
  for (const o of others) {
    if (o.stack === candidate.stack) found.push({ what: "name", value: candidate.stack, holder: o.stack });
    const theirs = `${o.organization}-`;
    if (theirs.startsWith(prefix) || prefix.startsWith(theirs)) found.push({ what: "namespace prefix", value: prefix, holder: `${o.stack} (${theirs})` });
    for (const h of candidate.hostnames) if (o.hostnames.includes(h)) found.push({ what: "hostname", value: h, holder: o.stack });
  }
  return found;
}

/** The stack file's text: a header saying who wrote it, then the keys as Pulumi reads them. */
export function tenantStackText(req: TenantRequest, raw: Record<string, unknown>): string {
  const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`socle:${k}`, v]));
  return (
    `# Tenant ${req.name} on platform ${req.platform}, plan ${req.plan} (≤ ${thousands(PLAN_USER_CEILING[req.plan as SizingProfile])} users).\n` +
    `# Written by \`socle tenant add\` (docs/hosters.md, onboarding); review socle:adminCidrs before the first \`pulumi up\`.\n` +
    stringify({ config }, { lineWidth: 0 })
  );
}

/**
 * Writes `stacks/Pulumi.<name>.yaml` for a new tenant: the request validated by the real configuration parser,
 * checked against the platform's fleet, then written aside and hard-linked into place (atomic, and never over an
 * existing file). Throws InputError or ConfigError (exit 2) with nothing written.
 */
export function addTenant(root: string, req: TenantRequest): { file: string; config: SocleConfig; platformFile?: string } {
  const nameProblem = stackNameProblem(req.name);
  if (nameProblem) throw new InputError(nameProblem);
  const platformProblem = stackNameProblem(req.platform);
  if (platformProblem) throw new InputError(`--platform: ${platformProblem}`);
  if (!(SIZING_PROFILES as readonly string[]).includes(req.plan)) {
    throw new InputError(`--plan ${JSON.stringify(req.plan.slice(0, 40))} is not a plan: use one of ${SIZING_PROFILES.join(", ")}`);
  }
  for (const a of req.apps ?? []) {
    if (!(APP_NAMES as readonly string[]).includes(a)) throw new InputError(`--apps: ${JSON.stringify(a.slice(0, 40))} is not an app: use ${APP_NAMES.join(", ")}`);
  }
  const platformFile = stackFilePath(root, req.platform);
  if (!existsSync(platformFile)) throw new InputError(`platform stack ${req.platform} does not exist (no stacks/Pulumi.${req.platform}.yaml): create the platform first`);
  const platform = loadStackConfig(root, req.platform);
  if (platform.kind !== "platform") throw new InputError(`stack ${req.platform} is a ${platform.kind} stack, not a platform (socle:kind: platform)`);
  const project = projectName(root);
  const file = stackFilePath(root, req.name);
  const raw = tenantRawConfig(req, platform.organization.id, project);
  // The real parser: what it refuses, `socle render` would refuse.
  const config = parseConfig(raw, { project, stack: req.name, file });
  const hostnames = tenantHostnames(config.apps, config.domain);
  const others = [
    { stack: req.platform, organization: platform.organization.id, hostnames: [] as string[] },
    ...fleetConfigs(root, req.platform).map(({ stack, config: c }) => ({ stack, organization: c.organization.id, hostnames: tenantHostnames(c.apps, c.domain) })),
  ];
  // The platform's Capsule refuses these namespaces to every tenant (its protectedNamespaceRegex, the same the
  // platform's tenancy output gives and `socle render` of the tenant checks): refused here, before anything is written.
  const reserved = new RegExp(protectedNamespaceRegex(PLATFORM_OWNED_NAMESPACES));
  const taken = config.apps.map((app) => `${config.organization.id}-${app}`).filter((ns) => reserved.test(ns));
  if (taken.length) {
    throw new InputError(
      `tenant ${req.name} cannot be added to platform ${req.platform}: its namespaces ${taken.join(", ")} are reserved to the platform (Capsule refuses every namespace matching ${reserved.source}). Choose another --organization; nothing was written.`,
    );
  }
  const found = conflicts({ stack: req.name, organization: config.organization.id, hostnames }, others);
  if (existsSync(file) && !found.some((c) => c.what === "name")) found.unshift({ what: "name", value: req.name, holder: `stacks/Pulumi.${req.name}.yaml` });
  if (found.length) {
    throw new InputError(
      `tenant ${req.name} cannot be added to platform ${req.platform}: ` +
        found.map((c) => `${c.what} ${c.value} is already taken by ${c.holder}`).join("; ") +
        ". Choose another name (or --organization) and domain; nothing was written.",
    );
  }
  // The platform binds its new tenant (socle:tenants): prepared, and validated, before anything is written.
  const edit = prepareTenantsEdit(platformFile, req.platform, project, "add", req.name);
  writeNew(file, tenantStackText(req, raw));
  try {
    commitTenantsEdit(edit);
  } catch (e) {
    // The platform file was not changed: the tenant file just written is taken back, so nothing is left.
    unlinkSync(file);
    throw e;
  }
  return { file, config, ...(edit.changed ? { platformFile } : {}) };
}

/** Written aside, then linked to its name: the file appears whole or not at all, and an existing one is never replaced. */
function writeNew(file: string, text: string): void {
  const tmp = `${file}.socle-tmp-${process.pid}`;
  writeFileSync(tmp, text, { flag: "wx" });
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new InputError(`${file} appeared while socle was writing it: nothing was replaced`);
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/** One line of `socle tenant list`. */
export interface TenantRow {
  readonly tenant: string;
  readonly platform: string;
  readonly organization: string;
  readonly plan: SizingProfile;
  readonly domain: string;
  readonly apps: readonly AppName[];
  readonly users: number;
  /** `pass`/`fail` from out/<tenant>/report.json, `rendered` when only state.json is there, else `never`. */
  readonly lastVerdict: "pass" | "fail" | "rendered" | "unknown" | "never";
}

/** Bytes of report.json read for its `result`: the field comes before the findings (src/report/json.ts). */
const REPORT_HEAD_BYTES = 256 * 1024;

export function lastVerdict(root: string, stack: string): TenantRow["lastVerdict"] {
  const dir = join(root, "out", stack);
  const report = join(dir, "report.json");
  if (existsSync(report)) {
    // A regular file only (a FIFO would block the read); O_NONBLOCK should it be swapped after the check.
    if (!statSync(report).isFile()) return "unknown";
    const fd = openSync(report, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buf = Buffer.alloc(REPORT_HEAD_BYTES);
      const n = readSync(fd, buf, 0, REPORT_HEAD_BYTES, 0);
      const m = /"result"\s*:\s*"(pass|fail)"/.exec(buf.subarray(0, n).toString("utf8"));
      return m ? (m[1] as "pass" | "fail") : "unknown";
    } finally {
      closeSync(fd);
    }
  }
  return existsSync(join(dir, "state.json")) ? "rendered" : "never";
}

/** The fleet of one platform, or of every platform in stacks/ (tenant stacks only), sorted by platform then tenant. */
export function listTenants(root: string, platform?: string): TenantRow[] {
  const platforms = platform !== undefined ? [platform] : platformsIn(root);
  if (platform !== undefined && !existsSync(stackFilePath(root, platform))) throw new InputError(`platform stack ${platform} does not exist (no stacks/Pulumi.${platform}.yaml)`);
  const rows: TenantRow[] = [];
  for (const p of platforms) {
    for (const { stack, config } of fleetConfigs(root, p)) {
      if (config.kind !== "tenant") continue;
      rows.push({
        tenant: stack,
        platform: p,
        organization: config.organization.id,
        plan: config.sizing,
        domain: config.domain,
        apps: config.apps,
        users: PLAN_USER_CEILING[config.sizing],
        lastVerdict: lastVerdict(root, stack),
      });
    }
  }
  return rows;
}

function platformsIn(root: string): string[] {
  const dir = join(root, "stacks");
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const m = /^Pulumi\.([A-Za-z0-9][A-Za-z0-9_.-]*)\.yaml$/.exec(f);
    if (!m) continue;
    try {
      if (loadStackConfig(root, m[1]!).kind === "platform") found.push(m[1]!);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
    }
  }
  return found;
}

/** 50000 → "50,000", the same in every locale. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
