import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { control as backupSchedule } from "../../policies/controls/data/backup-schedule";
import { loadInput } from "../../src/audit/inputs/load";
import { runAuditCommand } from "../../src/audit/command";
import { CONTROLS } from "../../policies/catalog";
import { InputError } from "../../src/model/input-error";
import { parseTenantBinding, planTenantBindings, tenantBindingSchema, type TenantBinding } from "../../src/program/tenants-binding";
import { renderStack, type RenderResult } from "../../src/render/render";
import type { StateResource } from "../../src/render/state";
import { ROOT } from "../helpers/render";

/**
 * The platform binds its tenants (socle:tenants): rendered as `socle fleet render` orders it — the platform
 * (its tenants have no state yet: nothing bound, and it says so), the tenants, the platform again (it binds
 * them), the tenants again (each records the platform's Schedule covering it).
 */
const PLATFORM = "hebergeur-plateforme";
const TENANTS = ["tenant-exemple-a", "tenant-exemple-b"] as const;
const out = mkdtempSync(join(tmpdir(), "socle-binding-"));
const first = new Map<string, RenderResult>();
const last = new Map<string, RenderResult>();

const renderPlatform = (outDir = join(out, PLATFORM), stackFile?: string) => renderStack({ root: ROOT, stack: PLATFORM, outDir, ...(stackFile ? { stackFile } : {}) });
const renderTenant = (stack: string, platformState = join(out, PLATFORM, "state.json"), outDir = join(out, stack)) => renderStack({ root: ROOT, stack, outDir, platformState });

beforeAll(async () => {
  first.set(PLATFORM, await renderPlatform());
  for (const t of TENANTS) first.set(t, await renderTenant(t));
  last.set(PLATFORM, await renderPlatform());
  for (const t of TENANTS) last.set(t, await renderTenant(t));
}, 300_000);

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any; stringData?: Record<string, unknown> };
const resources = (r: RenderResult): StateResource[] => r.state.deployment.resources;
const objects = (r: RenderResult): Obj[] => resources(r).flatMap((x) => (x.custom && x.type.startsWith("kubernetes:") && x.inputs ? [x.inputs as unknown as Obj] : []));
const outputs = (r: RenderResult) => resources(r).find((x) => x.type === "pulumi:pulumi:Stack")!.outputs as Record<string, any>;
const bindingOf = (t: string): TenantBinding => tenantBindingSchema.parse(outputs(last.get(t)!).tenantBinding);
const env = (job: Obj, name: string) => (job.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: any }[]).find((e) => e.name === name)!;

describe("a platform binding its tenants", () => {
  it("binds nothing while its tenants have no state, and says so: their references are unknown, no value is invented", () => {
    const p = first.get(PLATFORM)!;
    expect(p.unboundTenants?.map((t) => t.stack)).toEqual([...TENANTS]);
    expect(Object.values(outputs(p).tenantBackups).map((e: any) => e.status)).toEqual(["pending", "pending"]);
    expect(objects(p).filter((o) => o.metadata?.labels?.["socle.io/tenant"])).toEqual([]);
    for (const t of TENANTS) expect(outputs(first.get(t)!).socle.platformBackups).toBeUndefined();
  });

  it("exports each tenant's namespaces, buckets and retention plainly, and its key only as a secret", () => {
    for (const t of TENANTS) {
      const o = outputs(last.get(t)!);
      const org = t.replace("-exemple", "");
      expect(bindingOf(t)).toEqual({
        version: 1,
        organization: org,
        namespaces: ["chat", "docs", "identity", "mail", "wiki"].map((a) => `${org}-${a}`),
        buckets: [`${org}-backups`, `${org}-docs`],
        backupBucket: `${org}-backups`,
        retentionDays: 30,
      });
      expect(o.objectStorage).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" });
    }
  });

  it("renders one bucket Job per tenant, with that tenant's buckets and key only", () => {
    const jobs = objects(last.get(PLATFORM)!).filter((o) => o.kind === "Job" && o.metadata?.labels?.["socle.io/tenant"]);
    expect(jobs.map((j) => j.metadata.labels!["socle.io/tenant"]).sort()).toEqual(["tenant-a", "tenant-b"]);
    for (const job of jobs) {
      const org = job.metadata.labels!["socle.io/tenant"]!;
      const stack = TENANTS.find((t) => t.replace("-exemple", "") === org)!;
      expect(job.metadata.namespace).toBe("socle-storage");
      expect(job.metadata.name).toMatch(new RegExp(`^garage-tenant-${org}-[0-9a-f]{10}$`));
      expect(env(job, "BUCKETS").value!.split(" ")).toEqual(bindingOf(stack).buckets);
      expect(env(job, "KEY_NAME").value).toBe(`tenant-${org}`);
      expect(env(job, "KEY_ID").valueFrom.secretKeyRef).toEqual({ name: `garage-tenant-${org}-key`, key: "access-key-id" });
      expect(env(job, "KEY_SECRET").valueFrom.secretKeyRef).toEqual({ name: `garage-tenant-${org}-key`, key: "secret-access-key" });
      // No key is allowed on another tenant's bucket: the Job names its own tenant's buckets only.
      const others = TENANTS.filter((t) => t !== stack).flatMap((t) => bindingOf(t).buckets);
      for (const b of others) expect(env(job, "BUCKETS").value!.split(" ")).not.toContain(b);
      const script = job.spec.template.spec.containers[0].command[2] as string;
      for (const op of ["GetClusterHealth", "ImportKey", "GetKeyInfo", "CreateBucket", "GetBucketInfo", "AllowBucketKey"]) expect(script).toContain(`$api/${op}`);
      // Nothing it prints holds the secret: no echo of it, and the answers that could carry it go to /dev/null.
      expect(script).not.toMatch(/echo[^\n]*\$KEY_SECRET/);
      expect(script).toMatch(/ImportKey[^\n]*>\/dev\/null/);
      expect(script).toMatch(/GetKeyInfo[^\n]*>\/dev\/null/);
    }
  });

  it("backs each tenant up in its own bucket with its own key, on a Schedule of exactly its namespaces and retention", () => {
    const objs = objects(last.get(PLATFORM)!);
    for (const t of TENANTS) {
      const b = bindingOf(t);
      const org = b.organization;
      const bsl = objs.find((o) => o.kind === "BackupStorageLocation" && o.metadata.name === `tenant-${org}`)!;
      expect(bsl.metadata.namespace).toBe("velero");
      expect(bsl.spec).toMatchObject({ default: false, objectStorage: { bucket: b.backupBucket, prefix: "velero" }, credential: { name: `velero-tenant-${org}-credentials`, key: "cloud" } });
      expect(bsl.spec.config).toEqual({ region: "on-premises", s3Url: "http://garage.socle-storage.svc:3900", s3ForcePathStyle: "true" });
      const schedules = objs.filter((o) => o.kind === "Schedule" && o.metadata?.labels?.["socle.io/tenant"] === org);
      expect(schedules).toHaveLength(1);
      expect(schedules[0]!.spec.template).toMatchObject({ includedNamespaces: b.namespaces, storageLocation: `tenant-${org}`, ttl: `${b.retentionDays * 24}h0m0s` });
      // Exactly the tenant's namespaces: the ones its Capsule Tenant owns.
      const owned = objects(last.get(t)!).filter((o) => o.kind === "Namespace").map((o) => o.metadata.name).sort();
      expect(schedules[0]!.spec.template.includedNamespaces).toEqual(owned);
    }
    // The platform's own location stays the default, on its own bucket.
    expect(objs.find((o) => o.kind === "BackupStorageLocation" && o.metadata.name === "default")!.spec.objectStorage.bucket).toBe("hebergeur-backups");
  });

  it("holds the tenants' keys only as secrets, in Garage's and Velero's namespaces", () => {
    const p = last.get(PLATFORM)!;
    const secrets = objects(p).filter((o) => o.kind === "Secret" && /tenant-/.test(o.metadata.name));
    expect(secrets.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort()).toEqual([
      "socle-storage/garage-tenant-tenant-a-key",
      "socle-storage/garage-tenant-tenant-b-key",
      "velero/velero-tenant-tenant-a-credentials",
      "velero/velero-tenant-tenant-b-credentials",
    ]);
    for (const s of resources(p).filter((r) => r.type === "kubernetes:core/v1:Secret" && /tenant-/.test(String((r.inputs as any)?.metadata?.name)))) {
      for (const v of Object.values((s.inputs as any).stringData)) expect(v).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" });
    }
    const manifests = readdirSync(join(p.outDir, "manifests")).map((f) => readFileSync(join(p.outDir, "manifests", f), "utf8")).join("\n");
    expect(manifests).not.toContain("socle-render-secret-");
  });

  it("each tenant records the platform's Schedule covering it, and its backup control passes on it", async () => {
    for (const t of TENANTS) {
      const org = t.replace("-exemple", "");
      const recorded = outputs(last.get(t)!).socle.platformBackups;
      expect(recorded).toEqual({ platformStack: "hebergeur/socle/hebergeur-plateforme", storageLocation: `tenant-${org}`, schedules: [expect.objectContaining({ name: `tenant-${org}-nightly`, namespace: "velero", includedNamespaces: bindingOf(t).namespaces })] });
      const input = await loadInput(join(out, t, "state.json"), { today: "2026-11-30" });
      const namespaceResults = backupSchedule.check(input.views, input.context).filter((r) => r.note?.startsWith("namespace ") || r.violations.some((v) => v.message.startsWith("namespace ")));
      expect(namespaceResults.length).toBeGreaterThan(0);
      for (const r of namespaceResults) expect(r.status, JSON.stringify(r.violations)).toBe("pass");
    }
  });

  it("after the binding order, the platform and both tenants pass every mandatory control with their written waivers", async () => {
    for (const stack of [PLATFORM, ...TENANTS]) {
      const lines: string[] = [];
      const code = await runAuditCommand({
        input: join(last.get(stack)!.outDir, "state.json"),
        formats: ["json"],
        outDir: join(last.get(stack)!.outDir, "audit"),
        waiversFile: join(ROOT, "waivers", `${stack}.yaml`),
        today: "2026-11-30",
        controls: CONTROLS,
        log: (l) => lines.push(l),
      });
      expect(lines.at(-1), stack).toMatch(/\(0 mandatory\)/);
      expect(code, stack).toBe(0);
    }
  });

  it("a tenant the platform does not bind still fails the backup control", async () => {
    const file = join(out, "Pulumi.only-a.yaml");
    writeFileSync(file, readFileSync(join(ROOT, "stacks", `Pulumi.${PLATFORM}.yaml`), "utf8").replace(/\n    - tenant-exemple-b\n/, "\n"));
    const dir = join(out, "only-a");
    mkdirSync(dir);
    const platform = await renderStack({ root: ROOT, stack: PLATFORM, stackFile: file, outDir: join(dir, PLATFORM), tenantStates: out });
    expect(Object.keys(outputs(platform).tenantBackups)).toEqual(["tenant-exemple-a"]);
    const b = await renderTenant("tenant-exemple-b", join(dir, PLATFORM, "state.json"), join(dir, "tenant-exemple-b"));
    expect(outputs(b).socle.platformBackups).toBeUndefined();
    const input = await loadInput(join(b.outDir, "state.json"), { today: "2026-11-30" });
    const failing = backupSchedule.check(input.views, input.context).filter((r) => r.status === "fail").flatMap((r) => r.violations.map((v) => v.message));
    expect(failing.find((m) => m.startsWith("namespace tenant-b-wiki "))).toMatch(/^namespace tenant-b-wiki holds volumes but no active Velero Schedule includes it: a tenant's volumes are backed up by its platform, which has not bound this tenant/);
  });
});

describe("binding rules (pure)", () => {
  const binding = (org: string, over: Partial<TenantBinding> = {}): TenantBinding => ({
    version: 1,
    organization: org,
    namespaces: [`${org}-wiki`],
    buckets: [`${org}-backups`],
    backupBucket: `${org}-backups`,
    retentionDays: 30,
    ...over,
  });
  const platform = { buckets: ["hebergeur-backups"], image: "curl", region: "r", s3Url: "http://garage.socle-storage.svc:3900" };

  it("refuses a bucket two tenants (or a tenant and the platform) would share: each key on its own buckets only", () => {
    expect(() => planTenantBindings([{ stack: "a", binding: binding("a") }, { stack: "b", binding: binding("b", { buckets: ["b-backups", "a-backups"] }) }], platform)).toThrow(/bucket a-backups of tenant stack b is also tenant stack a's/);
    expect(() => planTenantBindings([{ stack: "h", binding: binding("hebergeur") }], platform)).toThrow(/bucket hebergeur-backups of tenant stack h is also the platform's/);
    expect(() => planTenantBindings([{ stack: "a", binding: binding("a") }, { stack: "a2", binding: binding("a") }], platform)).toThrow(/same organization a/);
    const plans = planTenantBindings([{ stack: "b", binding: binding("b") }, { stack: "a", binding: binding("a") }], platform);
    expect(plans.map((p) => p.stack)).toEqual(["a", "b"]);
  });

  it("refuses a tenant output naming a namespace or bucket outside the tenant's prefix, or malformed", () => {
    expect(() => parseTenantBinding(binding("a", { namespaces: ["a-wiki", "b-wiki"] }), "a")).toThrow(InputError);
    expect(() => parseTenantBinding(binding("a", { namespaces: ["a-wiki", "b-wiki"] }), "a")).toThrow(/exports b-wiki, outside its prefix a-/);
    expect(() => parseTenantBinding(binding("a", { buckets: ["a-docs"] }), "a")).toThrow(/backup bucket a-backups is not among its buckets/);
    expect(() => parseTenantBinding({ ...binding("a"), version: 2 }, "a")).toThrow(/output `tenantBinding` at version/);
    expect(() => parseTenantBinding(undefined, "a")).toThrow(/tenant stack a: output `tenantBinding`/);
  });
});

describe("a tenant state the platform cannot bind: exit 2 with the fix, nothing written", () => {
  it.each([
    ["without a tenantBinding output (an older socle)", (o: Record<string, any>) => void delete o.tenantBinding, /tenant stack tenant-exemple-a: output `tenantBinding` at \(root\) .*render \(or deploy\) the tenant with this version of socle/],
    ["of another kind", (o: Record<string, any>) => void (o.socle = { ...o.socle, kind: "dedicated" }), /socle:tenants lists tenant-exemple-a, but stack hebergeur\/socle\/tenant-exemple-a is a dedicated stack/],
    ["naming another tenant's namespace", (o: Record<string, any>) => void o.tenantBinding.namespaces.push("tenant-b-wiki"), /exports tenant-b-wiki, outside its prefix tenant-a-/],
  ])("refuses a tenant state %s", async (_what, edit, message) => {
    const dir = mkdtempSync(join(tmpdir(), "socle-binding-bad-"));
    mkdirSync(join(dir, "tenant-exemple-a"));
    const state = JSON.parse(readFileSync(join(out, "tenant-exemple-a", "state.json"), "utf8"));
    edit(state.deployment.resources.find((r: StateResource) => r.type === "pulumi:pulumi:Stack").outputs);
    writeFileSync(join(dir, "tenant-exemple-a", "state.json"), JSON.stringify(state));
    const file = join(dir, "Pulumi.p.yaml");
    writeFileSync(file, readFileSync(join(ROOT, "stacks", `Pulumi.${PLATFORM}.yaml`), "utf8").replace(/\n    - tenant-exemple-b\n/, "\n"));
    const err = await renderStack({ root: ROOT, stack: PLATFORM, stackFile: file, outDir: join(dir, PLATFORM) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(message);
    expect(readdirSync(dir).sort()).toEqual(["Pulumi.p.yaml", "tenant-exemple-a"]);
  });
});

describe("a tenant key given in clear to the platform's render stays secret (canary)", () => {
  it("appears in no file the platform's render writes", async () => {
    const canary = `CANARY${process.pid}x${Date.now().toString(36)}`;
    const dir = mkdtempSync(join(tmpdir(), "socle-binding-canary-"));
    // A tenant's state as `pulumi stack export --show-secrets` would give it: the key in clear inside its secret.
    const tenantOut = join(dir, "tenant-exemple-a");
    mkdirSync(tenantOut);
    const state = JSON.parse(readFileSync(join(out, "tenant-exemple-a", "state.json"), "utf8"));
    const root = state.deployment.resources.find((r: StateResource) => r.type === "pulumi:pulumi:Stack");
    root.outputs.objectStorage = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { buckets: ["tenant-a-backups"], accessKeyId: `GK${canary}`, secretAccessKey: `${canary}-secret` } };
    writeFileSync(join(tenantOut, "state.json"), JSON.stringify(state));
    const file = join(dir, "Pulumi.p.yaml");
    writeFileSync(file, readFileSync(join(ROOT, "stacks", `Pulumi.${PLATFORM}.yaml`), "utf8").replace(/\n    - tenant-exemple-b\n/, "\n"));
    const p = await renderStack({ root: ROOT, stack: PLATFORM, stackFile: file, outDir: join(dir, PLATFORM) });
    expect(Object.keys(outputs(p).tenantBackups)).toEqual(["tenant-exemple-a"]);
    const all = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? all(join(d, e.name)) : [join(d, e.name)]));
    const leaks = all(join(dir, PLATFORM)).filter((f) => readFileSync(f, "utf8").includes(canary));
    expect(leaks).toEqual([]);
    // The search can fail: the canary is in the tenant's state it read.
    expect(readFileSync(join(tenantOut, "state.json"), "utf8")).toContain(canary);
  }, 120_000);
});
