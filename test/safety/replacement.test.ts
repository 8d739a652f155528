import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { replacementProblems } from "../../src/render/replacement";
import type { StateExport } from "../../src/render/state";
import { ROOT } from "../helpers/render";

/**
 * Config evolutions of a stack that already has state (the demo, rendered once): each re-render
 * into the same folder either keeps every protected resource and its immutable fields, or is
 * refused (exit 2, nothing written) naming the resource and the migration.
 */
const DEMO = readFileSync(join(ROOT, "stacks/Pulumi.demo.yaml"), "utf8");

interface Evolution {
  readonly name: string;
  readonly edit: (text: string) => string;
  /** True: must be refused (it would delete or replace protected data). */
  readonly refused: boolean;
}

const EVOLUTIONS: readonly Evolution[] = [
  { name: "display name", edit: (t) => t.replace("socle:organizationName: Ministère de la Démonstration", "socle:organizationName: Ministère renommé"), refused: false },
  { name: "registry mirror", edit: (t) => t.replace("registry.demo.socle.test/mirror", "mirror.demo.socle.test/cache"), refused: false },
  { name: "sizing small to medium", edit: (t) => t.replace("socle:sizing: small", "socle:sizing: medium"), refused: true },
  { name: "storage class", edit: (t) => t.replace("storageClass: standard", "storageClass: fast-ssd"), refused: true },
  { name: "disabling an app (chat)", edit: (t) => t.replace("    - chat\n", ""), refused: true },
  { name: "organization", edit: (t) => t.replace("socle:organization: demo", "socle:organization: demo2"), refused: true },
  {
    name: "organization, with the rename migration acknowledged",
    edit: (t) => t.replace("socle:organization: demo", "socle:organization: demo2\n  socle:previousOrganization: demo"),
    refused: false,
  },
  { name: "domain", edit: (t) => t.replace("socle:domain: demo.socle.test", "socle:domain: autre.socle.test"), refused: false },
];

function render(stackFile: string, out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [join(ROOT, "bin/socle.js"), "render", "demo", "--stack-file", stackFile, "--out", out], { cwd: ROOT });
    let stderr = "";
    p.stderr.on("data", (d) => (stderr += d));
    p.stdout.resume();
    p.on("close", (code) => done({ code, stderr }));
  });
}

const readState = (dir: string) => (JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as StateExport).deployment.resources;

let base: string;
let baseline: string;
const results = new Map<string, { code: number | null; stderr: string; out: string }>();

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "socle-evolve-"));
  baseline = join(base, "baseline");
  const first = await render(join(ROOT, "stacks/Pulumi.demo.yaml"), baseline);
  expect(first.code, first.stderr).toBe(0);
  // Two at a time: the machine has two cores.
  for (let i = 0; i < EVOLUTIONS.length; i += 2) {
    await Promise.all(
      EVOLUTIONS.slice(i, i + 2).map(async (e, j) => {
        const out = join(base, `evolution-${i + j}`);
        cpSync(baseline, out, { recursive: true });
        const file = join(base, `Pulumi.evolution-${i + j}.yaml`);
        const text = e.edit(DEMO);
        expect(text, e.name).not.toBe(DEMO);
        writeFileSync(file, text);
        results.set(e.name, { ...(await render(file, out)), out });
      }),
    );
  }
}, 600_000);

describe("config evolutions of a stack with state", () => {
  for (const e of EVOLUTIONS) {
    it(`${e.name}: ${e.refused ? "refused with the migration, nothing written" : "keeps every protected resource and its immutable fields"}`, () => {
      const r = results.get(e.name)!;
      if (e.refused) {
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/is protected and (would be deleted|its immutable field \S+ would change)|socle:organization .*changes the organization of a stack that has state \(it was demo/);
        expect(r.stderr).toMatch(/docs\/migrations\.md#/);
        expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
        expect(readFileSync(join(r.out, "state.json"), "utf8")).toBe(readFileSync(join(baseline, "state.json"), "utf8"));
      } else if (e.name.startsWith("organization")) {
        // Acknowledged: the render proceeds; every stateful resource is new (the migration restores the data).
        expect(r.code, r.stderr).toBe(0);
        expect(replacementProblems(readState(baseline), readState(r.out)).length).toBeGreaterThan(0);
      } else {
        expect(r.code, r.stderr).toBe(0);
        expect(replacementProblems(readState(baseline), readState(r.out))).toEqual([]);
      }
    });
  }
});

/**
 * Every stateful (protected) resource of the demo, pinned: a URN is a resource's identity in every
 * deployed stack. If a refactor changes one, keep the old URN with an `aliases` option, then update
 * this list in the same commit.
 */
const PINNED_PROTECTED_URNS = [
  "urn:pulumi:demo::socle::socle:apps:Chat$kubernetes:yaml:ConfigGroup$kubernetes:core/v1:PersistentVolumeClaim::chat-demo-chat/synapse-media",
  "urn:pulumi:demo::socle::socle:apps:Chat$kubernetes:yaml:ConfigGroup$kubernetes:postgresql.cnpg.io/v1:Cluster::chat-demo-chat/synapse-db",
  "urn:pulumi:demo::socle::socle:apps:Docs$kubernetes:yaml:ConfigGroup$kubernetes:postgresql.cnpg.io/v1:Cluster::docs-demo-docs/docs-db",
  "urn:pulumi:demo::socle::socle:apps:Identity$kubernetes:yaml:ConfigGroup$kubernetes:postgresql.cnpg.io/v1:Cluster::identity-demo-identity/keycloak-db",
  "urn:pulumi:demo::socle::socle:apps:Mail$kubernetes:yaml:ConfigGroup$kubernetes:postgresql.cnpg.io/v1:Cluster::mail-demo-mail/roundcube-db",
  "urn:pulumi:demo::socle::socle:apps:Mail$kubernetes:yaml:ConfigGroup$kubernetes:postgresql.cnpg.io/v1:Cluster::mail-demo-mail/stalwart-db",
  "urn:pulumi:demo::socle::socle:apps:Wiki$kubernetes:yaml:ConfigGroup$kubernetes:core/v1:PersistentVolumeClaim::wiki-demo-wiki/xwiki-data",
  "urn:pulumi:demo::socle::socle:apps:Wiki$kubernetes:yaml:ConfigGroup$kubernetes:postgresql.cnpg.io/v1:Cluster::wiki-demo-wiki/xwiki-db",
  "urn:pulumi:demo::socle::socle:platform:ObjectStorage$kubernetes:yaml:ConfigGroup$kubernetes:apps/v1:StatefulSet::object-storage-socle-storage/garage",
  "urn:pulumi:demo::socle::socle:platform:Observability$kubernetes:yaml:ConfigGroup$kubernetes:apps/v1:StatefulSet::observability-log-store-socle-logging/victoria-logs"
];

describe("stateful resource identity", () => {
  it("the demo's protected resources are exactly the pinned URNs", () => {
    const urns = readState(baseline).filter((r) => r.protect).map((r) => r.urn).sort();
    expect(urns).toEqual([...PINNED_PROTECTED_URNS].sort());
  });
});

describe("the replacement check itself", () => {
  it("finds a protected resource deleted and an immutable field changed", () => {
    const sts = { urn: "urn:a", type: "kubernetes:apps/v1:StatefulSet", custom: true, protect: true, inputs: { spec: { volumeClaimTemplates: [{ spec: { storageClassName: "a" } }] } } };
    const pvc = { urn: "urn:b", type: "kubernetes:core/v1:PersistentVolumeClaim", custom: true, protect: true, inputs: { spec: { storageClassName: "a" } } };
    const changed = { ...sts, inputs: { spec: { volumeClaimTemplates: [{ spec: { storageClassName: "b" } }] } } };
    expect(replacementProblems([sts, pvc], [changed]).map((p) => `${p.urn} ${p.problem}`)).toEqual([
      "urn:a is protected and its immutable field spec.volumeClaimTemplates would change (Kubernetes can only replace it)",
      "urn:b is protected and would be deleted (its URN disappears)",
    ]);
    expect(replacementProblems([{ ...pvc, protect: false }], [])).toEqual([]);
  });
});
