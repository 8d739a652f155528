import { describe, expect, it } from "vitest";
import { parseConfig, type ConfigIssue } from "../../src/config";
import { configIssues } from "../config/issues-of";
import { readStackFile } from "../../src/config/stack-file";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const provider = {
  alias: "proconnect",
  displayName: "ProConnect",
  discoveryUrl: "https://proconnect.org.test/api/v2/.well-known/openid-configuration",
  endpoints: { authorization: "https://proconnect.org.test/api/v2/authorize", token: "https://proconnect.org.test/api/v2/token", jwks: "https://proconnect.org.test/api/v2/jwks" },
  clientId: "org",
  clientSecret: "s3cr3t-canary",
  acrValues: ["eidas1"],
};
const raw = (extra: Record<string, unknown> = {}) => ({
  kind: "dedicated",
  organization: "org",
  organizationName: "Org",
  domain: "org.example.fr",
  target: "existing",
  apps: ["wiki", "chat"],
  adminCidrs: ["192.0.2.0/24"],
  ...extra,
});
const secretAt = (path: readonly (string | number)[]) => path.join(".") === "identityFederation.providers.0.clientSecret";
const ctx = (isSecret?: (p: readonly (string | number)[]) => boolean) => ({ project: "socle", stack: "t", file: "stacks/Pulumi.t.yaml", ...(isSecret ? { isSecret } : {}) });

const issuesOf = (r: Record<string, unknown>, isSecret?: (p: readonly (string | number)[]) => boolean): ConfigIssue[] => configIssues(r, ctx(isSecret));

describe("socle:identityFederation", () => {
  it("is absent by default, and chat federation is off", () => {
    const c = parseConfig(raw(), ctx());
    expect(c.identityFederation).toBeUndefined();
    expect(c.chat).toEqual({ federationAllowlist: [] });
  });

  it("takes providers with defaults: scopes, claims, local passwords off", () => {
    const c = parseConfig(raw({ identityFederation: { providers: [provider] } }), ctx(secretAt));
    expect(c.identityFederation).toEqual({
      providers: [{ ...provider, scopes: ["openid", "email", "profile"], claims: { username: "email", email: "email", firstName: "given_name", lastName: "family_name" } }],
      localPasswords: false,
    });
  });

  it("refuses a client secret not stored encrypted, without echoing it", () => {
    for (const isSecret of [undefined, () => false]) {
      const issues = issuesOf(raw({ identityFederation: { providers: [provider] } }), isSecret);
      expect(issues).toEqual([expect.objectContaining({ path: "socle:identityFederation.providers[0].clientSecret", value: "[secret]", problem: expect.stringMatching(/must be a Pulumi secret/) })]);
      expect(JSON.stringify(issues)).not.toContain("s3cr3t-canary");
    }
  });

  it("never echoes the secret in a validation message either", () => {
    const issues = issuesOf(raw({ identityFederation: { providers: [{ ...provider, clientSecret: 42 }] } }), secretAt);
    expect(issues.map((i) => i.path)).toEqual(["socle:identityFederation.providers[0].clientSecret"]);
    expect(issues[0]!.value).toBe("[secret]");
  });

  it("refuses a discovery URL that is not one, plain http endpoints, scopes without openid, duplicate aliases", () => {
    const bad = { ...provider, discoveryUrl: "https://proconnect.org.test/api/v2", endpoints: { ...provider.endpoints, token: "http://proconnect.org.test/token" }, scopes: ["email"] };
    const paths = issuesOf(raw({ identityFederation: { providers: [bad] } }), secretAt).map((i) => i.path);
    expect(paths).toEqual(["socle:identityFederation.providers[0].discoveryUrl", "socle:identityFederation.providers[0].endpoints.token", "socle:identityFederation.providers[0].scopes"]);
    const dup = issuesOf(raw({ identityFederation: { providers: [provider, provider] } }), () => true);
    expect(dup).toEqual([expect.objectContaining({ path: "socle:identityFederation.providers[1].alias", problem: "is used by another provider" })]);
  });
});

describe("socle:chat.federation", () => {
  it("takes an allowlist of server names, sorted and deduplicated", () => {
    expect(parseConfig(raw({ chat: { federation: ["matrix.b.example", "matrix.a.example", "matrix.b.example"] } }), ctx()).chat).toEqual({ federationAllowlist: ["matrix.a.example", "matrix.b.example"] });
    expect(parseConfig(raw({ chat: { federation: false } }), ctx()).chat).toEqual({ federationAllowlist: [] });
  });

  it("refuses anything else", () => {
    expect(issuesOf(raw({ chat: { federation: true } })).map((i) => i.path)).toEqual(["socle:chat.federation"]);
    expect(issuesOf(raw({ chat: { federation: ["Not A Server"] } })).map((i) => i.path)).toEqual(["socle:chat.federation[0]"]);
    expect(issuesOf(raw({ chat: { federation: [] } })).map((i) => i.path)).toEqual(["socle:chat.federation"]);
  });
});

describe("stack file: nested secure values", () => {
  it("marks the key secret, replaces the value by the placeholder and knows the exact path", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-secure-"));
    const file = join(dir, "Pulumi.t.yaml");
    writeFileSync(file, "config:\n  socle:identityFederation:\n    providers:\n      - alias: a\n        clientSecret:\n          secure: v1:AAAA:BBBB\n        clientId: x\n");
    const s = readStackFile(file, "t", "socle");
    expect(s.secretKeys).toEqual(["socle:identityFederation"]);
    expect(s.isSecret(["identityFederation", "providers", 0, "clientSecret"])).toBe(true);
    expect(s.isSecret(["identityFederation", "providers", 0, "clientId"])).toBe(false);
    expect(JSON.parse(s.allConfig["socle:identityFederation"]!).providers[0].clientSecret).toBe("[secret: stored encrypted in the stack file]");
    expect(JSON.stringify(s.socle)).not.toContain("v1:AAAA");
  });
});
