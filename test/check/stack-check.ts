import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runCheckCommand } from "../../src/check/command";
import type { CheckResult } from "../../src/check/run";
import { isSecretEnvelope, SECRET } from "../../src/render/markers";
import type { RenderResult } from "../../src/render/render";

/**
 * What every stack of stacks/ must satisfy once rendered: `socle check` (every rule) exits 0 with no blocker,
 * each finding says where, why and how to fix, and no Secret hides its keys (a Secret whose `data` or
 * `stringData` is one opaque value lets no key reference be checked). Called by the test that renders the
 * stack (test/check/demo.test.ts, test/cloud/check/examples.ts), so each stack is rendered once.
 */
export function stackCheckSuite(stack: string, rendered: () => RenderResult): void {
  describe(`${stack}: socle check, every rule`, () => {
    let checked: { code: number; result: CheckResult; json: { blockers: number; findings: unknown[] } } | undefined;
    const check = async () => {
      if (!checked) {
        let text = "";
        const { code, result } = await runCheckCommand({ input: join(rendered().outDir, "state.json"), format: "json", out: (s) => (text += s) });
        checked = { code, result, json: JSON.parse(text) };
      }
      return checked;
    };

    it("exits 0: no blocker", async () => {
      const { code, result, json } = await check();
      const found = result.findings.filter((f) => f.severity === "blocker").map((f) => `${f.rule} ${f.object} ${f.path}: ${f.message}`);
      expect(found).toEqual([]);
      expect(json.blockers).toBe(0);
      expect(code).toBe(0);
    });

    it("names the object, the path, why and the fix of every finding", async () => {
      const { result, json } = await check();
      expect(json.findings).toHaveLength(result.findings.length);
      for (const f of result.findings) {
        expect(f.object, f.rule).toMatch(/^[A-Za-z]+\/\S+/);
        expect(f.path, `${f.rule} ${f.object}`).not.toBe("");
        expect(f.message, `${f.rule} ${f.object}`).not.toBe("");
        expect(f.fix, `${f.rule} ${f.object}`).not.toBe("");
      }
    });

    it("writes every Secret with its keys visible: none whose data or stringData is one opaque value", () => {
      const { state, outDir } = rendered();
      const secrets = state.deployment.resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
      expect(secrets.length).toBeGreaterThan(0);
      for (const r of secrets) {
        for (const field of ["data", "stringData"] as const) {
          const v = r.inputs?.[field];
          if (v === undefined) continue;
          expect(isSecretEnvelope(v), `${r.urn} inputs.${field} is one secret envelope`).toBe(false);
          expect(typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length > 0, `${r.urn} inputs.${field} has no keys`).toBe(true);
        }
        expect(r.inputs?.data ?? r.inputs?.stringData, `${r.urn} has neither data nor stringData`).toBeDefined();
      }
      let manifestSecrets = 0;
      const dir = join(outDir, "manifests");
      for (const file of readdirSync(dir).sort()) {
        for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
          const o = doc.toJS() as { kind?: string; metadata?: { namespace?: string; name?: string }; data?: unknown; stringData?: unknown } | null;
          if (!o || o.kind !== "Secret") continue;
          manifestSecrets++;
          const where = `${file}: Secret ${o.metadata?.namespace}/${o.metadata?.name}`;
          for (const v of [o.data, o.stringData]) {
            if (v === undefined) continue;
            expect(v, `${where} has opaque data`).not.toBe(SECRET);
            expect(typeof v === "object" && v !== null && Object.keys(v).length > 0, `${where} shows no key`).toBe(true);
          }
        }
      }
      expect(manifestSecrets).toBe(secrets.length);
    });
  });
}

/** Stacks of stacks/ (`Pulumi.<stack>.yaml`). */
export function stacksOf(root: string): string[] {
  return readdirSync(join(root, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}
