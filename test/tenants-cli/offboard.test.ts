import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { loadInput } from "../../src/audit/inputs/load";
import { loadStackConfig } from "../../src/tenants/catalog";
import { readJournal, removeTenant, type Journal } from "../../src/tenants/offboard";
import { tenantAState } from "../usage/fixture";
import { cli, fleetRoot } from "./fleet-fixture";

const T = "tenant-exemple-a";
const T0 = "2026-01-01T09:00:00Z";

function rootWithState(): string {
  const root = fleetRoot();
  mkdirSync(join(root, "out", T), { recursive: true });
  writeFileSync(join(root, "out", T, "state.json"), JSON.stringify(tenantAState()));
  return root;
}

const dir = (root: string) => join(root, "out", "tenants", T);
const journal = (root: string): Journal => JSON.parse(readFileSync(join(dir(root), "journal.json"), "utf8")) as Journal;
const docs = (file: string) => parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string }; spec: Record<string, unknown> });

/** The manifest the verification Job would write for this journal's export. */
function manifest(root: string, over: (m: { tenant: string; prefix: string; artifacts: { name: string; sha256: string; bytes: number; verified: boolean }[] }) => void = () => {}): string {
  const j = journal(root);
  const m = { tenant: T, prefix: j.export!.prefix, artifacts: j.export!.artifacts.map((name) => ({ name, sha256: createHash("sha256").update(name).digest("hex"), bytes: name.length, verified: true })) };
  over(m);
  const file = join(root, "manifest.json");
  writeFileSync(file, JSON.stringify(m));
  return file;
}

describe("socle tenant remove", () => {
  it("runs cordon, export and retain, rendering what each applies, and stops before purge", async () => {
    const root = rootWithState();
    const r = await cli(root, ["tenant", "remove", T, "--now", T0]);
    expect(r.code, r.err).toBe(0);
    const j = journal(root);
    expect(Object.fromEntries(Object.entries(j.steps).map(([k, v]) => [k, v.state]))).toEqual({ cordon: "done", export: "done", retain: "done", purge: "pending" });
    expect(j.steps.export).toEqual({ state: "done", startedAt: T0, finishedAt: T0 });
    expect(j.retainUntil).toBe("2026-01-22T09:00:00Z"); // 21 days, the default
    expect(j.export).toMatchObject({ bucket: "tenant-a-backups", endpoint: "https://s3.hebergeur.test", prefix: "offboarding/tenant-exemple-a/20260101T090000Z" });
    expect(j.export!.artifacts).toEqual(["tenant-a-wiki--db--wiki-db.dump", "tenant-a-mail--volume--data-stalwart-0.tar", "tenant-a-wiki--volume--wiki-files.tar"]);
    const cordon = docs(join(dir(root), "cordon", "scale-to-zero.yaml"));
    expect(cordon.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}:${String(o.spec["replicas"])}`)).toEqual(["StatefulSet/tenant-a-mail/stalwart:0", "Deployment/tenant-a-wiki/wiki:0"]);
    const jobs = docs(join(dir(root), "export", "jobs.yaml"));
    expect(jobs.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      "Job/tenant-a-wiki/offboard-export-db-wiki-db",
      "Job/tenant-a-mail/offboard-export-vol-data-stalwart-0",
      "Job/tenant-a-wiki/offboard-export-vol-wiki-files",
      "NetworkPolicy/tenant-a-mail/allow-offboard-export-out",
      "NetworkPolicy/tenant-a-wiki/allow-offboard-export-out",
      "NetworkPolicy/tenant-a-wiki/allow-offboard-export-to-wiki-db",
    ]);
    const text = readFileSync(join(dir(root), "export", "jobs.yaml"), "utf8");
    expect(text).toMatch(/pg_dump/);
    expect(text).toMatch(/value: wiki-db-rw/);
    expect(text).toMatch(/sha256sum/);
    expect(text).toMatch(/claimName: wiki-files\n\s+readOnly: true/);
    expect(readFileSync(join(dir(root), "export", "verify-job.yaml"), "utf8")).toMatch(/sha256sum -c/);
  });

  it("refuses to purge without a verified export (exit 2), and nothing is purged", async () => {
    const root = rootWithState();
    await cli(root, ["tenant", "remove", T, "--now", T0]);
    const r = await cli(root, ["tenant", "remove", T, "--step", "purge", "--now", "2026-03-01T00:00:00Z"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/purge refused: the export of tenant-exemple-a is not verified/);
    expect(journal(root).steps.purge.state).toBe("pending");
    expect(existsSync(join(dir(root), "purge", "plan.md"))).toBe(false);
  });

  it("refuses a manifest that misses an artifact, marks one unverified, or belongs to another export", async () => {
    const root = rootWithState();
    await cli(root, ["tenant", "remove", T, "--now", T0]);
    const later = ["--step", "purge", "--now", "2026-03-01T00:00:00Z"];
    const missing = manifest(root, (m) => void m.artifacts.pop());
    expect((await cli(root, ["tenant", "remove", T, "--export-manifest", missing, ...later])).err).toMatch(/wiki-files.tar is missing from it/);
    const unverified = manifest(root, (m) => void (m.artifacts[0]!.verified = false));
    expect((await cli(root, ["tenant", "remove", T, "--export-manifest", unverified, ...later])).err).toMatch(/wiki-db.dump is not verified/);
    const other = manifest(root, (m) => void (m.prefix = "offboarding/x/1"));
    const r = await cli(root, ["tenant", "remove", T, "--export-manifest", other, ...later]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not this export's/);
    expect(journal(root).verification).toBeUndefined();
    expect(journal(root).steps.purge.state).toBe("pending");
  });

  it("checks local copies' SHA-256 against the manifest when --export-dir is given", async () => {
    const root = rootWithState();
    await cli(root, ["tenant", "remove", T, "--now", T0]);
    const local = join(root, "export-copy");
    mkdirSync(local);
    for (const a of journal(root).export!.artifacts) writeFileSync(join(local, a), a); // the manifest's sums are of the names
    writeFileSync(join(local, "tenant-a-wiki--volume--wiki-files.tar"), "tampered");
    const bad = await cli(root, ["tenant", "remove", T, "--export-manifest", manifest(root), "--export-dir", local, "--now", T0]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/wiki-files.tar: the local copy's SHA-256 is/);
    writeFileSync(join(local, "tenant-a-wiki--volume--wiki-files.tar"), "tenant-a-wiki--volume--wiki-files.tar");
    const good = await cli(root, ["tenant", "remove", T, "--export-manifest", manifest(root), "--export-dir", local, "--now", T0]);
    expect(good.code, good.err).toBe(0);
    expect(journal(root).verification).toMatchObject({ artifacts: 3, localCopiesChecked: true, verifiedAt: T0 });
  });

  it("purges only once the export is verified and the retention has run out", async () => {
    const root = rootWithState();
    // The platform binds both tenants; the purge unbinds this one only, keeping the file's comments.
    const platformFile = join(root, "stacks", "Pulumi.hebergeur-plateforme.yaml");
    writeFileSync(platformFile, readFileSync(platformFile, "utf8") + "  # bound tenants (socle tenant add)\n  socle:tenants:\n    - tenant-exemple-a # first\n    - tenant-exemple-b\n");
    await cli(root, ["tenant", "remove", T, "--now", T0, "--retention-days", "30"]);
    expect(journal(root).retainUntil).toBe("2026-01-31T09:00:00Z");
    const early = await cli(root, ["tenant", "remove", T, "--export-manifest", manifest(root), "--step", "purge", "--now", "2026-01-15T00:00:00Z"]);
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/retention of tenant-exemple-a's data runs until 2026-01-31T09:00:00Z/);
    expect(journal(root).verification).toBeDefined(); // the verification is kept: it was valid
    expect(loadStackConfig(root, "hebergeur-plateforme").tenants).toEqual(["tenant-exemple-a", "tenant-exemple-b"]);
    const r = await cli(root, ["tenant", "remove", T, "--step", "purge", "--now", "2026-02-01T00:00:00Z"]);
    expect(r.code, r.err).toBe(0);
    expect(journal(root).steps.purge).toEqual({ state: "done", startedAt: "2026-02-01T00:00:00Z", finishedAt: "2026-02-01T00:00:00Z" });
    const plan = readFileSync(join(dir(root), "purge", "plan.md"), "utf8");
    expect(plan).toMatch(/pulumi destroy --stack tenant-exemple-a/);
    expect(plan).toMatch(/namespace tenant-a-wiki/);
    expect(plan).toMatch(/no longer lists the tenant in socle:tenants/);
    expect(r.out).toMatch(/hebergeur-plateforme no longer binds tenant-exemple-a/);
    const platform = readFileSync(platformFile, "utf8");
    expect(platform).toContain("# bound tenants (socle tenant add)");
    expect(loadStackConfig(root, "hebergeur-plateforme").tenants).toEqual(["tenant-exemple-b"]);
  });

  it("resumes after an interrupted step: the journal shows it running, a plain re-run refuses, --resume completes it", async () => {
    const root = rootWithState();
    const config = loadStackConfig(root, T);
    const views = (await loadInput(join(root, "out", T, "state.json"), { today: "1970-01-01" })).views;
    const base = { root, tenant: T, config, views, now: new Date(T0), curlImage: "registry.test/curl:8" };
    expect(() =>
      removeTenant({
        ...base,
        onStepStart: (s) => {
          if (s === "export") throw new Error("killed"); // the process dies while the export step runs
        },
      }),
    ).toThrow("killed");
    const j = readJournal(root, T)!;
    expect(j.steps.cordon.state).toBe("done");
    expect(j.steps.export).toEqual({ state: "running", startedAt: T0 });
    expect(j.steps.retain.state).toBe("pending");
    const plain = await cli(root, ["tenant", "remove", T, "--now", "2026-01-01T10:00:00Z"]);
    expect(plain.code).toBe(2);
    expect(plain.err).toMatch(/step export of tenant-exemple-a was interrupted \(running since 2026-01-01T09:00:00Z\).*--resume/);
    const resumed = await cli(root, ["tenant", "remove", T, "--resume", "--now", "2026-01-01T10:00:00Z"]);
    expect(resumed.code, resumed.err).toBe(0);
    const after = readJournal(root, T)!;
    expect(after.steps.cordon).toEqual({ state: "done", startedAt: T0, finishedAt: T0 }); // not re-run
    expect(after.steps.export).toEqual({ state: "done", startedAt: "2026-01-01T10:00:00Z", finishedAt: "2026-01-01T10:00:00Z" });
    expect(after.steps.retain.state).toBe("done");
  });

  it("refuses an unknown tenant, a stack that is not a tenant, and a bad --step, with exit 2", async () => {
    const root = rootWithState();
    const unknown = await cli(root, ["tenant", "remove", "nobody"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown tenant "nobody"/);
    const platform = await cli(root, ["tenant", "remove", "hebergeur-plateforme"]);
    expect(platform.code).toBe(2);
    expect(platform.err).toMatch(/is a platform stack, not a tenant/);
    const step = await cli(root, ["tenant", "remove", T, "--step", "delete"]);
    expect(step.code).toBe(2);
    expect(step.err).toMatch(/--step must be one of cordon, export, retain, purge/);
    expect(existsSync(dir(root))).toBe(false);
  });
});
