import { existsSync, linkSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { checkBackend, checkSecretsProvider, FleetOptionError, runFleet, type FleetEngine } from "../fleet/engine";
import { JournalError, newJournal, parseJournal, resumeJournal, serializeJournal, type Journal, type Operation } from "../fleet/journal";
import { fleetOf, platformStacks } from "../fleet/members";
import { aroundPlatform, boundTenants } from "../fleet/binding-order";
import { operatorObjects, operatorYaml } from "../fleet/operator";
import { checkOutputDir, ownedFile, OutputError, writeOwnedFiles, type OutputFile } from "../render/output-dir";
import type { AutomationEngine as AutomationEngineClass } from "../fleet/automation";
import type { Io } from "./io";
import { lazy } from "./lazy";

const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
const MAX_CONCURRENCY = 64;

const RUN_HELP = (op: Operation) => `
Runs \`pulumi ${op}\` on every tenant stack of a platform (the stacks whose socle:platformStack ends
with /<platform>) through the Pulumi Automation API: the \`pulumi\` CLI must be installed. The state
backend is self-managed: --backend or PULUMI_BACKEND_URL (file://, s3://…?endpoint=…, postgres://);
Pulumi Cloud (US-hosted) is refused. Secrets: passphrase (PULUMI_CONFIG_PASSPHRASE_FILE) or
hashivault://<key> (Vault or OpenBao). See docs/hosters-fleet.md.

Writes out/fleet/<platform>/journal.json (per tenant: pending, running, done, failed) after every
change and out/fleet/<platform>/logs/<tenant>.log when a tenant finishes.

Examples:
  $ PULUMI_BACKEND_URL='s3://socle-state?endpoint=garage.internal:3900&s3ForcePathStyle=true' socle fleet ${op} --platform hebergeur-plateforme
  $ socle fleet ${op} --backend file:///var/lib/socle/state --concurrency 8
  $ socle fleet ${op} --resume                      run only the tenants not done in the last run

Exit codes:
  0  every tenant ${op === "up" ? "updated" : "previewed"}
  1  at least one tenant failed or the run was interrupted (the journal says which; --resume runs the rest)
  2  bad input or options (no platform, no tenant, a refused backend, no journal to resume…): nothing run
  3  internal error (a bug: please report it)
`;

const EXPORT_HELP = `
Writes Pulumi Kubernetes Operator (v2) objects so that the platform cluster runs the tenants' updates:
per tenant a ServiceAccount, its system:auth-delegator binding and a pulumi.com/v1 Stack whose program
comes from your Git mirror, whose state is in your self-managed backend and whose secrets come from a
Secret (passphrase) or Vault/OpenBao. See docs/hosters-fleet.md for what the cluster must provide.

Examples:
  $ socle fleet export --operator --git-url https://git.hebergeur.example/socle.git \\
      --image registry.hebergeur.example/pulumi/pulumi-nodejs:3.150.0-nonroot \\
      --backend 's3://socle-state?endpoint=garage.internal:3900&s3ForcePathStyle=true'

Exit codes:
  0  written (out/fleet/<platform>/operator/pulumi-operator.yaml by default)
  2  bad input or options: nothing written
  3  internal error (a bug: please report it)
`;

interface PlatformOpts {
  platform?: string;
}
interface RunOpts extends PlatformOpts {
  concurrency: string;
  resume?: boolean;
  backend?: string;
  secretsProvider: string;
  pulumiRoot?: string;
  out?: string;
  force?: boolean;
}
interface ExportOpts extends PlatformOpts {
  operator?: boolean;
  gitUrl?: string;
  branch: string;
  image?: string;
  backend?: string;
  secretsProvider: string;
  vaultAddr?: string;
  namespace: string;
  secret: string;
  out?: string;
  force?: boolean;
}

/** For tests: the engine to use instead of the Automation API's. */
export type EngineFactory = (o: { root: string; backend: string; secretsProvider: string; pulumiRoot?: string }) => Promise<FleetEngine & { ready?: () => Promise<void> }>;

export function registerFleetDeploy(program: Command, root: string, io: Io, setCode: (code: number) => void, engineFactory: EngineFactory = automationEngine): void {
  const fleet = program.commands.find((c) => c.name() === "fleet") ?? program.command("fleet").description("Operate every tenant of a platform: render, audit, check, preview, up, export");
  for (const op of ["preview", "up"] as const) {
    fleet
      .command(op)
      .description(op === "up" ? "Update every tenant stack of a platform (pulumi up), a few at a time, resumable" : "Preview every tenant stack of a platform (pulumi preview), a few at a time, resumable")
      .option("--platform <stack>", "the platform stack (default: the only stack of kind platform in stacks/)")
      .option("--concurrency <n>", `tenants at once, 1 to ${MAX_CONCURRENCY}`, "4")
      .option("--resume", "skip the tenants the last run's journal marks done")
      .option("--backend <url>", "self-managed state backend (default: PULUMI_BACKEND_URL)")
      .option("--secrets-provider <p>", "passphrase or hashivault://<key>, for stacks created by this run", "passphrase")
      .option("--pulumi-root <dir>", "use the Pulumi CLI at <dir>/bin/pulumi (default: pulumi on PATH)")
      .option("--out <dir>", "folder for the journal and logs (default: out/fleet/<platform>)")
      .option("--force", "write into an existing folder socle did not create (socle still deletes nothing it did not write)")
      .addHelpText("after", RUN_HELP(op))
      .action(async (opts: RunOpts) => setCode(await guarded(io, `fleet ${op}`, () => runCommand(op, opts, root, io, engineFactory))));
  }
  fleet
    .command("export")
    .description("Write Pulumi Kubernetes Operator Stack objects for every tenant of a platform")
    .option("--operator", "Pulumi Kubernetes Operator objects (the only export format)")
    .option("--platform <stack>", "the platform stack (default: the only stack of kind platform in stacks/)")
    .option("--git-url <url>", "your organisation's Git mirror of this repository (required)")
    .option("--branch <name>", "branch of the mirror to deploy", "main")
    .option("--image <ref>", "workspace image (Pulumi CLI + Node.js) in your registry (required)")
    .option("--backend <url>", "self-managed state backend reachable from the cluster (default: PULUMI_BACKEND_URL)")
    .option("--secrets-provider <p>", "passphrase or hashivault://<key>", "passphrase")
    .option("--vault-addr <url>", "Vault or OpenBao address, with hashivault://")
    .option("--namespace <ns>", "namespace of the Stack objects and workspaces", "socle-fleet")
    .option("--secret <name>", "Secret in that namespace with passphrase or vault-token, and the backend's credentials", "socle-fleet")
    .option("--out <dir>", "output folder (default: out/fleet/<platform>/operator)")
    .option("--force", "write into an existing folder socle did not create (socle still deletes nothing it did not write)")
    .addHelpText("after", EXPORT_HELP)
    .action(async (opts: ExportOpts) => setCode(await guarded(io, "fleet export", () => exportCommand(opts, root, io))));
}

async function guarded(io: Io, what: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FleetOptionError || e instanceof JournalError || e instanceof OutputError) {
      io.err(`socle ${what}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function automationEngine(o: { root: string; backend: string; secretsProvider: string; pulumiRoot?: string }) {
  // Loaded on use: no other command loads the Automation API.
  const { AutomationEngine } = await lazy<{ AutomationEngine: typeof AutomationEngineClass }>(() => require("../fleet/automation"), () => import("../fleet/automation"));
  return new AutomationEngine({ workDir: o.root, backend: o.backend, secretsProvider: o.secretsProvider, ...(o.pulumiRoot ? { pulumiRoot: o.pulumiRoot } : {}) });
}

function platformOf(root: string, given: string | undefined): string {
  if (given !== undefined) {
    if (!STACK_NAME.test(given) || !existsSync(join(root, "stacks", `Pulumi.${given}.yaml`))) {
      throw new FleetOptionError(`--platform ${JSON.stringify(given)}: no stacks/Pulumi.${given}.yaml; platform stacks: ${platformStacks(root).join(", ") || "none"}`);
    }
    return given;
  }
  const all = platformStacks(root);
  if (all.length === 1) return all[0];
  throw new FleetOptionError(all.length === 0 ? "no stack of kind platform in stacks/: create one, or pass --platform <stack>" : `several platform stacks (${all.join(", ")}): pass --platform <stack>`);
}

function tenantsOf(root: string, platform: string): string[] {
  const tenants = fleetOf(root, platform);
  if (tenants.length === 0) throw new FleetOptionError(`platform ${platform} has no tenant: no stack in stacks/ has socle:platformStack ending with /${platform} (add one with \`socle tenant add\`)`);
  return tenants;
}

async function runCommand(op: Operation, opts: RunOpts, root: string, io: Io, engineFactory: EngineFactory): Promise<number> {
  const platform = platformOf(root, opts.platform);
  const tenants = tenantsOf(root, platform);
  if (!/^[0-9]{1,3}$/.test(opts.concurrency) || Number(opts.concurrency) < 1 || Number(opts.concurrency) > MAX_CONCURRENCY) {
    throw new FleetOptionError(`--concurrency ${JSON.stringify(opts.concurrency)}: give a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  const concurrency = Number(opts.concurrency);
  const backend = checkBackend(opts.backend, process.env);
  const secretsProvider = checkSecretsProvider(opts.secretsProvider);
  const outDir = resolve(opts.out ?? join(root, "out", "fleet", platform));
  const protect = [{ path: root, what: "the repository" }];
  checkOutputDir(outDir, protect, !!opts.force);

  let journal: Journal;
  const logged = new Set<string>();
  if (opts.resume) {
    const text = ownedFile(outDir, "deploy", "journal.json");
    if (text === undefined) throw new FleetOptionError(`--resume: no journal in ${outDir} (no earlier run there): run without --resume`);
    journal = resumeJournal(parseJournal(text), platform, op, tenants);
    // The logs of tenants already done are kept (the writer deletes what a run no longer lists).
    for (const t of Object.keys(journal.tenants)) if (journal.tenants[t].status === "done" && existsSync(join(outDir, "logs", `${t}.log`))) logged.add(t);
  } else journal = newJournal(platform, op, tenants);

  const engine = await engineFactory({ root, backend, secretsProvider, ...(opts.pulumiRoot ? { pulumiRoot: resolve(opts.pulumiRoot) } : {}) });
  if (engine.ready) {
    try {
      await engine.ready();
    } catch (e) {
      throw new FleetOptionError(`the pulumi CLI cannot be used (${firstLine(e)}): install it on PATH or pass --pulumi-root <dir> (its bin/pulumi)`);
    }
  }

  const record = (j: Journal, finished?: { tenant: string; log: string }) => {
    const files: OutputFile[] = [["journal.json", serializeJournal(j)]];
    for (const t of logged) {
      if (t === finished?.tenant) continue;
      const rel = `logs/${t}.log`;
      files.push([rel, (p: string) => linkSync(join(outDir, rel), p)]);
    }
    if (finished) files.push([`logs/${finished.tenant}.log`, finished.log]);
    writeOwnedFiles(outDir, "deploy", files, { force: !!opts.force, protect });
    if (finished) logged.add(finished.tenant);
  };

  const pending = Object.values(journal.tenants).filter((e) => e.status !== "done").length;
  const skipped = tenants.length - pending;
  io.out(`socle fleet ${op}: platform ${platform}, ${tenants.length} tenant(s)${skipped ? `, ${skipped} already done (skipped)` : ""}, ${Math.min(concurrency, Math.max(pending, 1))} at a time\n`);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once("SIGINT", onSigint);
  let finishedCount = 0;
  let final: Journal | undefined;
  let platformOk = true;
  // A platform that binds tenants of this fleet is updated before and after them (src/fleet/binding-order.ts).
  const bound = boundTenants(join(root, "stacks", `Pulumi.${platform}.yaml`)).filter((t) => tenants.includes(t));
  let latest = journal;
  let platformLog = "";
  try {
    const r = await aroundPlatform(
      engine,
      op,
      platform,
      bound,
      () =>
        runFleet(engine, {
          operation: op,
          concurrency,
          journal,
          record: (j, finished) => record((latest = j), finished),
          signal: abort.signal,
          onFinished: (t, ok, detail) => io.out(`[${++finishedCount}/${pending}] ${t}: ${ok ? "done" : "FAILED"}: ${detail}\n`),
        }),
      (n, outcome) => {
        platformLog += `--- platform ${platform}, ${n === 1 ? "before" : "after"} its tenants ---\n${outcome.log}`;
        record(latest, { tenant: platform, log: platformLog });
        io.out(`platform ${platform} (${n === 1 ? "before" : "after"} its tenants): ${outcome.ok ? "done" : "FAILED"}: ${outcome.summary}\n`);
      },
      abort.signal,
    );
    final = r.tenants;
    platformOk = r.platformOk;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  if (final === undefined) {
    io.out(`the platform's update failed before its tenants: no tenant was run; its log is ${join(outDir, "logs", `${platform}.log`)}\n`);
    return 1;
  }
  const counts = { done: 0, failed: 0, pending: 0, running: 0 };
  for (const e of Object.values(final.tenants)) counts[e.status]++;
  const width = Math.max(6, ...Object.keys(final.tenants).map((t) => t.length));
  io.out(`\n${"tenant".padEnd(width)}  status\n`);
  for (const t of Object.keys(final.tenants)) io.out(`${t.padEnd(width)}  ${final.tenants[t].status}\n`);
  io.out(`\n${counts.done} done, ${counts.failed} failed, ${counts.pending + counts.running} not run; journal ${join(outDir, "journal.json")}, logs in ${join(outDir, "logs")}\n`);
  if (counts.failed + counts.pending + counts.running > 0) {
    io.out(`run \`socle fleet ${op} --resume\` to retry only the tenants not done\n`);
    return 1;
  }
  if (!platformOk) {
    io.out(`the platform's update after its tenants failed (it binds ${bound.join(", ")}): see ${join(outDir, "logs", `${platform}.log`)}, then run \`pulumi up --stack ${platform}\`\n`);
    return 1;
  }
  return 0;
}

async function exportCommand(opts: ExportOpts, root: string, io: Io): Promise<number> {
  if (!opts.operator) throw new FleetOptionError("export needs --operator (Pulumi Kubernetes Operator objects, the only export format)");
  if (!opts.gitUrl) throw new FleetOptionError("--git-url is required: your organisation's Git mirror of this repository (socle has no default pointing to a public host)");
  if (!opts.image) throw new FleetOptionError("--image is required: the Pulumi workspace image mirrored into your organisation's registry");
  const platform = platformOf(root, opts.platform);
  const tenants = tenantsOf(root, platform);
  const backend = checkBackend(opts.backend, process.env);
  const secretsProvider = checkSecretsProvider(opts.secretsProvider);
  const objects = operatorObjects({
    platform,
    tenants,
    gitUrl: opts.gitUrl,
    branch: opts.branch,
    image: opts.image,
    backend,
    secretsProvider,
    ...(opts.vaultAddr !== undefined ? { vaultAddr: opts.vaultAddr } : {}),
    namespace: opts.namespace,
    secretName: opts.secret,
  });
  const outDir = resolve(opts.out ?? join(root, "out", "fleet", platform, "operator"));
  const written = writeOwnedFiles(outDir, "deploy", [["pulumi-operator.yaml", operatorYaml(objects)]], { force: !!opts.force, protect: [{ path: root, what: "the repository" }] });
  io.out(`socle fleet export: ${tenants.length} tenant Stack object(s) of platform ${platform} in ${written[0]}\n`);
  io.out(`the cluster must hold Secret ${opts.namespace}/${opts.secret} (see docs/hosters-fleet.md) before you apply it\n`);
  return 0;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n").find((l) => l.trim())?.trim().slice(0, 300) ?? "unknown error";
}
