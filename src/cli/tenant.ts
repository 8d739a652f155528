import { existsSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import type { Command } from "commander";
import { ConfigError } from "../config/issues";
import { InputError } from "../model/input-error";
import { formatConfigError } from "./format";
import type { Io } from "./io";
import { lazy } from "./lazy";

type Catalog = typeof import("../tenants/catalog");
type Remove = typeof import("./tenant-remove");

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

const list = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...v.split(",").map((s) => s.trim()).filter((s) => s !== "")];

const TENANT_HELP = `
Examples:
  $ socle tenant add mairie-exemple --platform hebergeur-plateforme --plan small --domain mairie-exemple.fr --apps identity,wiki,mail
  $ socle tenant list --platform hebergeur-plateforme --format json
  $ socle tenant remove mairie-exemple                       cordon, export, retain (purge is never implicit)
  $ socle tenant remove mairie-exemple --export-manifest manifest.json --step purge

Exit codes: 0 done, 2 bad input or refused (a taken name, namespace prefix or hostname; an unknown tenant;
a purge without a verified export): nothing written. Onboarding and offboarding: docs/hosters.md.
`;

/** Runs an action, mapping bad input to exit 2 with its message. */
async function guarded(io: Io, setCode: (c: number) => void, what: string, run: () => Promise<number> | number): Promise<void> {
  try {
    setCode(await run());
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`socle tenant ${what}: ${err.message}\n`);
      setCode(2);
    } else if (err instanceof ConfigError) {
      io.err(formatConfigError(err));
      setCode(2);
    } else throw err;
  }
}

export function registerTenant(program: Command, root: string, io: Io, setCode: (code: number) => void): void {
  const tenant = program.command("tenant").description("Tenants of a platform: add one (a validated stack file), list the fleet, offboard one").addHelpText("after", TENANT_HELP);

  tenant
    .command("add")
    .description("Write stacks/Pulumi.<name>.yaml for a new tenant of a platform, refusing a name, namespace prefix or hostname already taken")
    .argument("<name>", "the tenant's stack name")
    .requiredOption("--platform <stack>", "the platform stack (stacks/Pulumi.<stack>.yaml, socle:kind platform)")
    .requiredOption("--plan <plan>", "small (≤ 500 users), medium (≤ 5,000) or large (≤ 50,000): the sizing profile")
    .requiredOption("--domain <domain>", "the tenant's DNS domain; apps are served at <prefix>.<domain>")
    .option("--apps <list>", "apps, comma-separated or repeated: identity, wiki, docs, chat, mail (default identity,wiki)", list)
    .option("--admin-cidrs <list>", "admin networks, comma-separated or repeated (default 192.0.2.0/24, a placeholder to replace)", list)
    .option("--organization <id>", "organization id, the namespace prefix (default: the name)")
    .option("--organization-name <text>", "the organization's display name (default: the name)")
    .action(async (name: string, o: { platform: string; plan: string; domain: string; apps?: string[]; adminCidrs?: string[]; organization?: string; organizationName?: string }) =>
      guarded(io, setCode, "add", async () => {
        const { addTenant } = await lazy<Catalog>(() => require("../tenants/catalog"), () => import("../tenants/catalog"));
        const { file, config, platformFile } = addTenant(root, { name, ...o });
        io.out(`socle tenant add: wrote ${shown(file)} (organization ${config.organization.id}, plan ${config.sizing}, apps ${config.apps.join(", ")})\n`);
        if (platformFile) io.out(`socle tenant add: ${o.platform} binds ${name} (socle:tenants in ${shown(platformFile)}): render ${name}, then ${o.platform} (or socle fleet render --platform ${o.platform})\n`);
        return 0;
      }),
    );

  tenant
    .command("list")
    .description("The fleet: each tenant's plan, domain, apps, users (the plan's ceiling) and last render/audit verdict")
    .option("--platform <stack>", "only this platform's tenants")
    .option("--format <format>", "table or json", "table")
    .action(async (o: { platform?: string; format: string }) =>
      guarded(io, setCode, "list", async () => {
        if (o.format !== "table" && o.format !== "json") throw new InputError(`--format must be table or json, got ${JSON.stringify(o.format.slice(0, 40))}`);
        const { listTenants, thousands } = await lazy<Catalog>(() => require("../tenants/catalog"), () => import("../tenants/catalog"));
        const rows = listTenants(root, o.platform);
        if (o.format === "json") {
          io.out(JSON.stringify({ tenants: rows }, null, 2) + "\n");
          return 0;
        }
        const head = ["tenant", "platform", "plan", "users", "domain", "apps", "last verdict"];
        const cells = rows.map((r) => [r.tenant, r.platform, r.plan, `≤ ${thousands(r.users)}`, r.domain, r.apps.join(","), r.lastVerdict]);
        const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
        const line = (c: readonly string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join("  ").trimEnd();
        io.out([line(head), line(widths.map((w) => "-".repeat(w))), ...cells.map(line), `${rows.length} tenant(s)`].join("\n") + "\n");
        return 0;
      }),
    );

  tenant
    .command("remove")
    .description("Offboard a tenant in explicit, resumable steps (cordon, export, retain, purge) recorded in out/tenants/<name>/journal.json")
    .argument("<name>", "the tenant's stack name")
    .option("--step <step>", "run the steps up to and including this one: cordon, export, retain or purge (default retain: purge is never implicit)")
    .option("--resume", "re-run a step an interrupted run left running")
    .option("--retention-days <n>", "days the data is kept after the export before it may be purged (default 21)")
    .option("--export-manifest <file>", "manifest.json written by the verification Job: records the export as verified")
    .option("--export-dir <folder>", "local copies of the artifacts: socle recomputes their SHA-256 against the manifest")
    .option("--export-bucket <bucket>", "bucket the export goes to (default: the tenant's own backup bucket)")
    .option("--s3-region <region>", "region the object store signs requests for (default: the tenant's socle:region)")
    .option("--now <timestamp>", "the time to record, ISO 8601 UTC (tests and replays); default now")
    .action(async (name: string, o: { step?: string; resume?: boolean; retentionDays?: string; exportManifest?: string; exportDir?: string; exportBucket?: string; s3Region?: string; now?: string }) =>
      guarded(io, setCode, "remove", async () => {
        if (!existsSync(join(root, "stacks", `Pulumi.${name}.yaml`)) || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
          throw new InputError(`unknown tenant ${JSON.stringify(name.slice(0, 60))}: no stacks/Pulumi.<name>.yaml (see \`socle tenant list\`)`);
        }
        const { tenantRemove } = await lazy<Remove>(() => require("./tenant-remove"), () => import("./tenant-remove"));
        return tenantRemove({ root, name, ...o, io });
      }),
    );
}
