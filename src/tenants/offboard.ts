import { createHash } from "node:crypto";
import { closeSync, existsSync, lstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { z } from "zod";
import type { ResourceView } from "../../policies/types";
import { READ_LIMITS } from "../config/read-limits";
import { parseJson, readText } from "../audit/inputs/read";
import type { SocleConfig } from "../config/schema";
import { InputError } from "../model/input-error";
import { writeOwnedFiles } from "../render/output-dir";
import { cordonObjects, exportObjects, tenantData, verifyObject, type ExportPlan } from "./export-jobs";
import { projectName } from "../config/project";
import { commitTenantsEdit, prepareTenantsEdit } from "./platform-list";

/**
 * Offboarding a tenant (`socle tenant remove`): explicit steps, in order, each recorded in a journal
 * (out/tenants/<tenant>/journal.json) with its state and timestamps, so that an interrupted run resumes where
 * it stopped. socle renders what each step applies, for review; it runs nothing against a cluster.
 *
 * - cordon: the tenant's Deployments and StatefulSets scaled to zero (logins and writes stop).
 * - export: Jobs dumping each database and archiving each volume to the tenant's bucket, with SHA-256 files,
 *   and a verification Job that writes manifest.json when every checksum matches.
 * - retain: the tenant's data is kept `retentionDays` (default 21) after the export, for the tenant to check it.
 * - purge: refused unless the export is verified (the verification Job's manifest, given with
 *   --export-manifest, lists every planned artifact as verified) and the retention has run out.
 */
export const STEPS = ["cordon", "export", "retain", "purge"] as const;
export type Step = (typeof STEPS)[number];
export const DEFAULT_RETENTION_DAYS = 21;

const ISO = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
const stepState = z
  .object({
    state: z.enum(["pending", "running", "done", "failed"]),
    startedAt: ISO.optional(),
    finishedAt: ISO.optional(),
    error: z.string().max(2000).optional(),
  })
  .strict();

const journalSchema = z
  .object({
    socleJournal: z.literal(1),
    tenant: z.string(),
    retentionDays: z.number().int().min(0).max(3650),
    steps: z.object({ cordon: stepState, export: stepState, retain: stepState, purge: stepState }).strict(),
    export: z
      .object({ bucket: z.string(), endpoint: z.string(), region: z.string(), prefix: z.string(), artifacts: z.array(z.string()).max(10_000) })
      .strict()
      .optional(),
    verification: z
      .object({ manifestSha256: z.string().regex(/^[0-9a-f]{64}$/), verifiedAt: ISO, artifacts: z.number().int(), localCopiesChecked: z.boolean() })
      .strict()
      .optional(),
    retainUntil: ISO.optional(),
  })
  .strict();

export type Journal = z.infer<typeof journalSchema>;

/** The manifest the verification Job writes (export-jobs.ts verifyObject). */
export const exportManifestSchema = z
  .object({
    tenant: z.string(),
    prefix: z.string(),
    artifacts: z
      .array(z.object({ name: z.string().min(1).max(300), sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits"), bytes: z.number().int().min(0), verified: z.boolean() }).strict())
      .max(10_000),
  })
  .strict();

export interface RemoveOptions {
  readonly root: string;
  readonly tenant: string;
  readonly config: SocleConfig;
  /** The tenant's rendered state (loaded by the caller: rendered first when absent). */
  readonly views: readonly ResourceView[];
  /** Run the steps up to and including this one; default: up to retain (purge is never implicit). */
  readonly step?: Step;
  readonly resume?: boolean;
  readonly now: Date;
  readonly retentionDays?: number;
  readonly exportManifest?: string;
  /** A folder with local copies of the artifacts: their SHA-256 is recomputed and compared with the manifest. */
  readonly exportDir?: string;
  readonly exportBucket?: string;
  readonly s3Region?: string;
  readonly curlImage: string;
  /** Called when a step's work begins (after the journal records it running): tests simulate an interruption here. */
  readonly onStepStart?: (step: Step) => void;
  readonly log?: (line: string) => void;
}

/** A small JSON file socle reads back (bounded, depth-checked): an unreadable or malformed one is an InputError ending with `hint`. */
function readJsonFile(file: string, what: string, hint: string): { readonly text: string; readonly value: unknown } {
  try {
    const text = readText(file, file, READ_LIMITS.configBytes, what);
    return { text, value: parseJson(text, file) };
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${e.problem}: ${hint}`, file, e.position);
    throw e;
  }
}

export function journalDir(root: string, tenant: string): string {
  return join(root, "out", "tenants", tenant);
}

export function readJournal(root: string, tenant: string): Journal | undefined {
  const file = join(journalDir(root, tenant), "journal.json");
  if (!existsSync(file)) return undefined;
  const { value } = readJsonFile(file, "journal", "socle writes it; restore it or remove the folder to start the offboarding again");
  const parsed = journalSchema.safeParse(value);
  if (!parsed.success) throw new InputError(`is not an offboarding journal (${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message})`, file);
  return parsed.data;
}

function newJournal(tenant: string, retentionDays: number): Journal {
  const pending = { state: "pending" as const };
  return { socleJournal: 1, tenant, retentionDays, steps: { cordon: pending, export: pending, retain: pending, purge: pending } };
}

const stamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const yaml = (objects: readonly unknown[]): string => objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");

/** Every file of the folder, from the journal (writeOwnedFiles replaces the whole set each time: nothing stale is left). */
function files(j: Journal, opts: RemoveOptions): [string, string][] {
  const out: [string, string][] = [["journal.json", JSON.stringify(j, null, 2) + "\n"]];
  const data = tenantData(opts.views);
  if (j.steps.cordon.state === "done") out.push(["cordon/scale-to-zero.yaml", yaml(cordonObjects(opts.tenant, data))]);
  if (j.export && (j.steps.export.state === "done" || j.steps.export.state === "running")) {
    const plan: ExportPlan = j.export;
    const { objects } = exportObjects(opts.tenant, data, plan, opts.curlImage);
    out.push(["export/jobs.yaml", yaml(objects)]);
    const ns = data.databases.find((d) => data.credentialsIn.has(d.namespace))?.namespace ?? [...data.credentialsIn].sort()[0];
    if (ns) out.push(["export/verify-job.yaml", yaml([verifyObject(opts.tenant, ns, plan, opts.curlImage)])]);
  }
  if (j.steps.purge.state === "done") {
    out.push([
      "purge/plan.md",
      [
        `# Purge of tenant ${opts.tenant}`,
        "",
        `Export verified: ${j.verification!.artifacts} artifact(s), manifest SHA-256 ${j.verification!.manifestSha256}, at ${j.verification!.verifiedAt}.`,
        `Retention ran out: ${j.retainUntil}.`,
        "",
        "What the purge deletes (the tenant's stack, its protected resources included):",
        ...data.namespaces.map((n) => `- namespace ${n} and everything in it`),
        ...data.databases.map((d) => `- database cluster ${d.namespace}/${d.cluster} (its volumes with it)`),
        ...data.volumes.map((v) => `- volume claim ${v.namespace}/${v.claim}`),
        "",
        "Commands (run by the operator; socle runs nothing against the cluster):",
        "",
        "```",
        `pulumi state unprotect --all --stack ${opts.tenant} --yes`,
        `pulumi destroy --stack ${opts.tenant}`,
        `pulumi stack rm ${opts.tenant}`,
        "```",
        "",
        "The export stays in the tenant's bucket, under its prefix: it is the tenant's to take.",
        "",
        "The platform no longer lists the tenant in socle:tenants: its next `pulumi up` deletes the tenant's bucket Job,",
        "Velero BackupStorageLocation and Schedule and their Secrets. The buckets and the tenant's key stay in Garage until",
        "the tenant has taken its export: then `garage bucket delete` each `<organization>-…` bucket and `garage key delete`",
        "the key `tenant-<organization>` (socle deletes no data).",
        "",
      ].join("\n"),
    ]);
  }
  return out;
}

function save(j: Journal, opts: RemoveOptions): void {
  writeOwnedFiles(journalDir(opts.root, opts.tenant), "offboard", files(j, opts), { protect: [{ path: join(opts.root, "stacks"), what: "the stacks folder" }] });
}

/** Checks the verification Job's manifest against the planned artifacts; records it in the journal. */
function verifyExport(j: Journal, opts: RemoveOptions): Journal["verification"] {
  const file = opts.exportManifest!;
  const { text, value } = readJsonFile(file, "export manifest", "give the manifest.json the verification Job uploaded");
  const parsed = exportManifestSchema.safeParse(value);
  if (!parsed.success) throw new InputError(`is not an export manifest: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, file);
  const m = parsed.data;
  const plan = j.export!;
  const problems: string[] = [];
  if (m.tenant !== opts.tenant) problems.push(`it is the manifest of tenant ${JSON.stringify(m.tenant.slice(0, 60))}, not ${opts.tenant}`);
  if (m.prefix !== plan.prefix) problems.push(`its prefix ${JSON.stringify(m.prefix.slice(0, 120))} is not this export's (${plan.prefix})`);
  const byName = new Map(m.artifacts.map((a) => [a.name, a]));
  for (const a of plan.artifacts) {
    const got = byName.get(a);
    if (!got) problems.push(`${a} is missing from it`);
    else if (!got.verified) problems.push(`${a} is not verified`);
    else if (opts.exportDir !== undefined) {
      const local = join(opts.exportDir, a);
      if (!existsSync(local)) problems.push(`${a} has no local copy in ${opts.exportDir}`);
      else {
        const sum = sha256File(local);
        if (sum !== got.sha256) problems.push(`${a}: the local copy's SHA-256 is ${sum}, the manifest says ${got.sha256}`);
      }
    }
  }
  if (problems.length) throw new InputError(`does not verify the export, so nothing may be purged: ${problems.slice(0, 10).join("; ")}${problems.length > 10 ? `; and ${problems.length - 10} more` : ""}`, file);
  return { manifestSha256: createHash("sha256").update(text).digest("hex"), verifiedAt: stamp(opts.now), artifacts: plan.artifacts.length, localCopiesChecked: opts.exportDir !== undefined };
}

/** Runs the pending steps up to `opts.step`; returns the journal. InputError (exit 2) on a refusal, with the journal saved. */
export function removeTenant(opts: RemoveOptions): Journal {
  let j = readJournal(opts.root, opts.tenant) ?? newJournal(opts.tenant, opts.retentionDays ?? DEFAULT_RETENTION_DAYS);
  if (opts.retentionDays !== undefined && j.steps.retain.state !== "done") j = { ...j, retentionDays: opts.retentionDays };
  const last = STEPS.indexOf(opts.step ?? "retain");
  const log = opts.log ?? (() => {});
  // An export manifest may be given whenever the export is done: its verification is recorded at once.
  if (opts.exportManifest !== undefined) {
    if (j.steps.export.state !== "done" || !j.export) throw new InputError(`--export-manifest: the export of ${opts.tenant} is not done yet: run \`socle tenant remove ${opts.tenant} --step export\` first`);
    j = { ...j, verification: verifyExport(j, opts) };
    save(j, opts);
    log(`export verified: ${j.verification!.artifacts} artifact(s)`);
  }
  for (const step of STEPS.slice(0, last + 1)) {
    const s = j.steps[step];
    if (s.state === "done") continue;
    if (s.state === "running" && !opts.resume) {
      throw new InputError(`step ${step} of ${opts.tenant} was interrupted (running since ${s.startedAt}): check what it applied, then run again with --resume`);
    }
    // Refusals that need nothing run: checked before the step is marked running.
    if (step === "purge") {
      const refusal = !j.verification
        ? `the export of ${opts.tenant} is not verified: run the verification Job (out/tenants/${opts.tenant}/export/verify-job.yaml) and give its manifest.json with --export-manifest`
        : j.retainUntil !== undefined && opts.now.getTime() < Date.parse(j.retainUntil)
          ? `the retention of ${opts.tenant}'s data runs until ${j.retainUntil}: purge after that date`
          : undefined;
      if (refusal) throw new InputError(`purge refused: ${refusal}. Nothing was purged.`);
    }
    j = { ...j, steps: { ...j.steps, [step]: { state: "running", startedAt: stamp(opts.now) } } };
    save(j, opts);
    try {
      opts.onStepStart?.(step);
      j = runStep(step, j, opts);
    } catch (e) {
      if (e instanceof InputError) {
        j = { ...j, steps: { ...j.steps, [step]: { ...j.steps[step], state: "failed", finishedAt: stamp(opts.now), error: e.problem } } };
        save(j, opts);
      }
      throw e;
    }
    j = { ...j, steps: { ...j.steps, [step]: { state: "done", startedAt: j.steps[step].startedAt, finishedAt: stamp(opts.now) } } };
    save(j, opts);
    log(`${step}: done`);
  }
  return j;
}

function runStep(step: Step, j: Journal, opts: RemoveOptions): Journal {
  switch (step) {
    case "cordon":
      return j;
    case "export": {
      const data = tenantData(opts.views);
      if (!data.objectStore && opts.exportBucket === undefined) {
        throw new InputError(`the state of ${opts.tenant} declares no object store (no Barman Cloud ObjectStore): give --export-bucket and check the endpoint`);
      }
      if (data.credentialsIn.size === 0) throw new InputError(`the state of ${opts.tenant} has no ${"backup-s3-credentials"} Secret: the export Jobs have no key to upload with`);
      const endpoint = data.objectStore?.endpoint ?? "";
      const base: ExportPlan = {
        bucket: opts.exportBucket ?? data.objectStore!.bucket,
        endpoint,
        region: opts.s3Region ?? opts.config.cloud.region,
        prefix: `offboarding/${opts.tenant}/${stamp(opts.now).replace(/[-:]/g, "")}`,
        artifacts: [],
      };
      const { artifacts } = exportObjects(opts.tenant, data, base, opts.curlImage);
      if (artifacts.length === 0) throw new InputError(`the state of ${opts.tenant} holds no database or volume to export`);
      return { ...j, export: { ...base, artifacts } };
    }
    case "retain":
      return { ...j, retainUntil: stamp(new Date(opts.now.getTime() + j.retentionDays * 86_400_000)) };
    case "purge": {
      // The platform stops binding the tenant (socle:tenants): its next render or `pulumi up` deletes the
      // tenant's bucket Job, BackupStorageLocation, Schedule and their Secrets (src/program/tenants-binding.ts).
      const platform = opts.config.platformStack?.split("/").pop();
      const file = platform !== undefined ? join(opts.root, "stacks", `Pulumi.${platform}.yaml`) : undefined;
      if (platform === undefined || file === undefined || !existsSync(file)) {
        opts.log?.(`platform stack file of ${opts.tenant} not found: remove ${opts.tenant} from its platform's socle:tenants by hand`);
        return j;
      }
      const edit = prepareTenantsEdit(file, platform, projectName(opts.root), "remove", opts.tenant);
      commitTenantsEdit(edit);
      opts.log?.(edit.changed ? `${platform} no longer binds ${opts.tenant} (socle:tenants): render or \`pulumi up\` ${platform}` : `${platform} did not bind ${opts.tenant} (socle:tenants)`);
      return j;
    }
  }
}

/** SHA-256 of a regular file's bytes, read in chunks (an artifact may be many gigabytes). */
export function sha256File(path: string): string {
  if (!lstatSync(path).isFile()) throw new InputError("is not a regular file", path);
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
