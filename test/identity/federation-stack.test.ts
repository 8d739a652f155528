import { spawnSync } from "node:child_process";
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { stackCheckSuite } from "../check/stack-check";
import { CONTROLS } from "../../policies/catalog";
import { runAuditCommand } from "../../src/audit/command";
import type { RenderResult } from "../../src/render/render";
import { manifestObjects, renderToTemp, ROOT } from "../helpers/render";
import { identityFederationRule } from "../../src/check/rules/identity-federation";
import { modelOf } from "../cloud/check/examples";
import { realmOf } from "./fixtures";

const STACK = "demo-proconnect";
const STACK_FILE = join(ROOT, "stacks", `Pulumi.${STACK}.yaml`);
/** The example's passphrase, public on purpose (stated in the stack file). */
const PASSPHRASE = "socle-demo-passphrase";

/** Pulumi's passphrase provider, v1 (pulumi/pulumi secrets/passphrase: PBKDF2-SHA256, 1,000,000 rounds; AES-256-GCM values `v1:<nonce>:<ciphertext+tag>`). */
function decrypt(key: Buffer, value: string): string {
  const [version, nonce, data] = value.split(":");
  if (version !== "v1" || !nonce || !data) throw new Error(`not a v1 value: ${value}`);
  const bytes = Buffer.from(data, "base64");
  const d = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
  d.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([d.update(bytes.subarray(0, bytes.length - 16)), d.final()]).toString("utf8");
}

let result: RenderResult;
let manifests: any[];
beforeAll(async () => {
  result = await renderToTemp(STACK);
  manifests = manifestObjects(result);
}, 120_000);

describe("demo-proconnect: a ProConnect-like federation", () => {
  it("stores the upstream client secret as a real passphrase-encrypted Pulumi value", () => {
    const file = parse(readFileSync(STACK_FILE, "utf8"));
    const [, salt, ...check] = String(file.encryptionsalt).split(":");
    const key = pbkdf2Sync(PASSPHRASE, Buffer.from(salt!, "base64"), 1_000_000, 32, "sha256");
    expect(decrypt(key, check.join(":"))).toBe("pulumi");
    const secure = file.config["socle:identityFederation"].providers[0].clientSecret.secure;
    expect(decrypt(key, secure).length).toBeGreaterThan(16);
  });

  it("renders the provider into the realm the reconcile Job applies, its secret only as a placeholder", () => {
    const realm = realmOf(manifests);
    expect(realm.identityProviders.map((p: any) => [p.alias, p.config.issuer, p.config.clientSecret])).toEqual([
      ["proconnect", "https://proconnect.demo.socle.test/api/v2", "$(env:SOCLE_CLIENT_SECRET_FEDERATION_PROCONNECT)"],
    ]);
    expect(realm.identityProviders[0].config.defaultScope).toBe("openid given_name usual_name email uid siret");
    const clients = manifests.find((o) => o.kind === "Secret" && o.metadata.name === "keycloak-clients");
    expect(clients.stringData["federation-proconnect"]).toBe("[secret]");
    const job = manifests.find((o) => o.kind === "Job" && o.metadata.name.startsWith("keycloak-realm-"));
    expect(job.spec.template.spec.containers[0].env.find((e: any) => e.name === "SOCLE_CLIENT_SECRET_FEDERATION_PROCONNECT").valueFrom.secretKeyRef).toEqual({
      name: "keycloak-clients",
      key: "federation-proconnect",
    });
  });

  it("checks clean: the provider's endpoints, secret reference, claims and egress hold (socle check rule identity-federation)", async () => {
    const model = await modelOf(join(result.outDir, "state.json"));
    expect(model.objects.some((o) => o.kind === "ConfigMap" && o.metadata.name === "keycloak-realm")).toBe(true);
    expect(identityFederationRule.run(model).map((f) => f.message)).toEqual([]);
  });

  it("allows chat federation with the listed partner only", () => {
    const hs = parse(manifests.find((o) => o.kind === "ConfigMap" && o.metadata.name === "synapse-config").data["homeserver.yaml"]);
    expect(hs.federation_domain_whitelist).toEqual(["matrix.partenaire.socle.test"]);
  });

  it("passes every mandatory control, with its written waivers only", async () => {
    const lines: string[] = [];
    const code = await runAuditCommand({
      input: join(result.outDir, "state.json"),
      formats: ["json"],
      outDir: join(result.outDir, "audit"),
      waiversFile: join(ROOT, "waivers", `${STACK}.yaml`),
      today: "2026-11-30",
      controls: CONTROLS,
      log: (l) => lines.push(l),
    });
    expect(lines.at(-1)).toMatch(/\(0 mandatory\)/);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(result.outDir, "audit", "report.json"), "utf8"));
    expect(JSON.stringify(report)).toContain("snc-identity-federation");
  });
});

stackCheckSuite(STACK, () => result);


describe("demo-proconnect: a client secret in clear", () => {
  it("is refused with exit 2, a message naming the key and the fix, the value never echoed, nothing written", () => {
    const text = readFileSync(STACK_FILE, "utf8").replace(/clientSecret:\n\s+secure: \S+/, "clientSecret: plain-canary-secret");
    expect(text).toContain("plain-canary-secret");
    const dir = mkdtempSync(join(tmpdir(), "socle-clear-secret-"));
    const file = join(dir, `Pulumi.${STACK}.yaml`);
    writeFileSync(file, text);
    const out = join(dir, "out");
    const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), "render", STACK, "--stack-file", file, "--out", out], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("socle:identityFederation.providers[0].clientSecret");
    expect(r.stderr).toMatch(/must be a Pulumi secret/);
    expect(r.stderr).toContain("pulumi config set --secret");
    expect(r.stderr + r.stdout).not.toContain("plain-canary-secret");
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(existsSync(out)).toBe(false);
  });
});
