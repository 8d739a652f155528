import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheckCommand } from "../../src/check/command";
import { renderStack } from "../../src/render/render";

/**
 * The blockers `socle check` finds on the demo before the fixes of issue 8 are merged. The check may only
 * report a subset of these: a new blocker fails this test. Once the fixes land, the list shrinks to [] and
 * `npm start` fails on any blocker.
 */
const KNOWN_BLOCKERS = new Set([
  "flow-api-server Job/envoy-gateway-system/envoy-gateway-gateway-helm-certgen",
  "flow-webhook ValidatingWebhookConfiguration/trust-manager",
  "readonly-rootfs Deployment/demo-identity/keycloak",
  ...["demo-chat/synapse-db", "demo-docs/docs-db", "demo-identity/keycloak-db", "demo-mail/roundcube-db", "demo-mail/stalwart-db", "demo-wiki/xwiki-db"].map((c) => `cnpg-backup-tools Cluster/${c}`),
]);

describe("socle check on the demo stack", () => {
  it("reports no blocker beyond the known ones, each with a path, a message and a fix", async () => {
    const out = mkdtempSync(join(tmpdir(), "socle-check-demo-"));
    const rendered = await renderStack({ root: resolve(__dirname, "..", ".."), stack: "demo", outDir: join(out, "demo") });
    let text = "";
    const { code, result } = await runCheckCommand({ input: join(rendered.outDir, "state.json"), format: "json", out: (s) => (text += s) });
    expect(JSON.parse(text).blockers).toBe(result.blockers);
    expect(code).toBe(result.blockers > 0 ? 1 : 0);
    for (const f of result.findings) {
      expect(f.object).not.toBe("");
      expect(f.message).not.toBe("");
      expect(f.fix).not.toBe("");
    }
    const unknown = result.findings.filter((f) => f.severity === "blocker" && !KNOWN_BLOCKERS.has(`${f.rule} ${f.object}`));
    expect(unknown).toEqual([]);
  });
});
