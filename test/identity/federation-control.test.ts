import { describe, expect, it } from "vitest";
import { clientSecretEnv } from "../../charts/identity";
import { LOCAL_LOGIN_ROLE, acrPattern, assuranceRole, postBrokerFlow, realmRepresentation } from "../../charts/identity/realm";
import { control as adminMfa } from "../../policies/controls/identity/admin-mfa";
import { control as federation } from "../../policies/controls/identity/federation";
import { control as passwordPolicy } from "../../policies/controls/identity/password-policy";
import { join } from "node:path";
import { ManifestValidator } from "../../src/validate/manifests";
import { k8s, run } from "../policies/fixtures/views";
import { CRDS, PROCONNECT_LIKE, identityProps } from "./fixtures";

const props = identityProps().realm;
const build = (over: Record<string, unknown> = {}) => realmRepresentation({ ...props, federation: [PROCONNECT_LIKE], ...over }, clientSecretEnv) as any;
const view = (r: unknown) =>
  k8s({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "keycloak-realm", namespace: "org-identity", annotations: { "socle.io/keycloak-realm": "true" } }, data: { "org.json": JSON.stringify(r) } });
const check = (r: unknown) => run(federation, [view(r)]);
const messages = (r: unknown) => check(r).flatMap((x) => x.violations.map((v) => v.message));

describe("realm with a ProConnect-like provider", () => {
  const realm = build();

  it("requests the provider's scopes and maps its claims to the account", () => {
    expect(realm.identityProviders[0]).toMatchObject({ alias: "proconnect", trustEmail: true, firstBrokerLoginFlowAlias: "socle-first-broker-login" });
    expect(realm.identityProviders[0].config.defaultScope).toBe("openid given_name usual_name email uid siret");
    const byName = Object.fromEntries(realm.identityProviderMappers.map((m: any) => [m.name, m]));
    expect(byName["proconnect-username"].config.template).toBe("${CLAIM.email}");
    expect(byName["proconnect-last-name"].config).toMatchObject({ claim: "usual_name", "user.attribute": "lastName" });
    expect(byName["proconnect-assurance"].config).toMatchObject({ role: assuranceRole("proconnect"), "are.claim.values.regex": "true" });
    expect(JSON.parse(byName["proconnect-assurance"].config.claims)).toEqual([{ key: "acr", value: "^(eidas1)$" }]);
  });

  it("links or creates the account on first sign-in (create if unique, else link the existing one by its verified email)", () => {
    const first = realm.authenticationFlows.find((f: any) => f.alias === "socle-first-broker-login");
    expect(first.authenticationExecutions.map((e: any) => [e.authenticator, e.requirement])).toEqual([
      ["idp-create-user-if-unique", "ALTERNATIVE"],
      ["idp-auto-link", "ALTERNATIVE"],
    ]);
  });

  it("escapes acr values into an exact-match pattern", () => {
    expect(acrPattern(["eidas1", "https://proconnect.gouv.fr/assurance/self-asserted-2fa"])).toBe("^(eidas1|https://proconnect\\.gouv\\.fr/assurance/self-asserted-2fa)$");
    expect(new RegExp(acrPattern(["eidas1"])).test("eidas10")).toBe(false);
  });

  it("passes the federation control, and the admin MFA and password-policy controls still hold", () => {
    expect(check(realm).map((r) => [r.status, r.note])).toEqual([["pass", "realm org: proconnect: acr checked (role socle-assured-proconnect required after sign-in); the password form admits only the break-glass role"]]);
    expect(run(adminMfa, [view(realm)]).map((r) => r.status)).toEqual(["pass"]);
    expect(run(passwordPolicy, [view(realm)]).map((r) => r.status)).toEqual(["pass"]);
  });

  it("is a realm representation the Keycloak operator's schema accepts (providers, mappers, flows, authenticator configs, roles)", () => {
    const validator = new ManifestValidator([join(CRDS, "keycloak")]);
    const wrapped = { apiVersion: "k8s.keycloak.org/v2alpha1", kind: "KeycloakRealmImport", metadata: { name: "org", namespace: "org-identity" }, spec: { keycloakCRName: "keycloak", realm } };
    expect(validator.validate(wrapped)).toEqual([]);
  });

  it("keeps a local password for break-glass administrators only", () => {
    expect(realm.groups[0].realmRoles).toEqual([LOCAL_LOGIN_ROLE]);
    expect(realm.authenticatorConfig).toContainEqual({ alias: "socle-local-password-admins-only-condition", config: { condUserRole: LOCAL_LOGIN_ROLE, negate: "true" } });
  });
});

describe("federation control: what it catches", () => {
  it("is not applicable to a realm without an upstream provider", () => {
    const plain = realmRepresentation(props, clientSecretEnv);
    expect(check(plain).map((r) => r.status)).toEqual(["notApplicable"]);
  });

  it("fails when local passwords stay open to agents", () => {
    expect(messages(build({ localPasswords: true }))).toEqual([expect.stringMatching(/agents can still sign in with a local password: .*socle-browser-forms/)]);
  });

  it("fails when the acr claim is not checked and nothing else is asked after the federated sign-in", () => {
    const r = build();
    r.identityProviderMappers = r.identityProviderMappers.filter((m: any) => m.name !== "proconnect-assurance");
    expect(messages(r)).toEqual([expect.stringMatching(/provider proconnect: a sign-in through it is accepted at any assurance level/)]);
    const withoutDeny = build();
    const sub = withoutDeny.authenticationFlows.find((f: any) => f.alias === `${postBrokerFlow("proconnect")}-assurance`);
    sub.authenticationExecutions = sub.authenticationExecutions.filter((e: any) => e.authenticator !== "deny-access-authenticator");
    expect(messages(withoutDeny)).toEqual([expect.stringMatching(/accepted at any assurance level/)]);
  });

  it("accepts a local second factor after sign-in when no level is set", () => {
    expect(check(build({ federation: [{ ...PROCONNECT_LIKE, acrValues: [] }] })).map((r) => [r.status, r.note])).toEqual([
      ["pass", "realm org: proconnect: a second factor of this realm after sign-in; the password form admits only the break-glass role"],
    ]);
  });

  it("fails auto-linking by email when the provider's email is not trusted", () => {
    const r = build();
    r.identityProviders[0].trustEmail = false;
    expect(messages(r)).toEqual([expect.stringMatching(/links accounts by email \(idp-auto-link\) but the provider's emails are not trusted/)]);
  });

  it("fails a federated user who also holds a local password", () => {
    const r = build();
    r.users = [{ username: "agent", federatedIdentities: [{ identityProvider: "proconnect", userId: "x", userName: "agent" }], credentials: [{ type: "password", value: "[secret]" }] }];
    expect(messages(r)).toEqual([expect.stringMatching(/user agent is federated and also holds a local password/)]);
  });
});
