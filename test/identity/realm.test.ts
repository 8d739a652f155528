import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clientSecretEnv } from "../../charts/identity";
import { ADMIN_GROUP, BROWSER_FLOW, FORMS_FLOW, PASSWORD_POLICY, postBrokerFlow, realmRepresentation } from "../../charts/identity/realm";
import { control as adminMfa } from "../../policies/controls/identity/admin-mfa";
import { control as passwordPolicy, parsePolicy } from "../../policies/controls/identity/password-policy";
import { ManifestValidator } from "../../src/validate/manifests";
import { k8s, run } from "../policies/fixtures/views";
import { CRDS, PROCONNECT_LIKE, identityProps } from "./fixtures";

const props = identityProps().realm;
const realm = realmRepresentation(props, clientSecretEnv) as any;
const flow = (r: any, alias: string) => r.authenticationFlows.find((f: any) => f.alias === alias);
const steps = (f: any) => f.authenticationExecutions.map((e: any) => [e.authenticatorFlow ? `flow:${e.flowAlias}` : e.authenticator, e.requirement]);
const asConfigMap = (r: unknown) =>
  k8s({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "keycloak-realm", namespace: "org-identity", annotations: { "socle.io/keycloak-realm": "true" } }, data: { "org.json": JSON.stringify(r) } });

describe("realm: clients", () => {
  it("has exactly one confidential, standard-flow-only client per app, with its exact redirect URIs and origin", () => {
    expect(realm.clients.map((c: any) => c.clientId)).toEqual(["wiki", "chat"]);
    for (const [client, input] of realm.clients.map((c: any, i: number) => [c, props.clients[i]!] as const)) {
      expect(client).toMatchObject({
        enabled: true,
        protocol: "openid-connect",
        publicClient: false,
        clientAuthenticatorType: "client-secret",
        standardFlowEnabled: true,
        implicitFlowEnabled: false,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: false,
      });
      expect(client.redirectUris).toEqual(input.redirectUris);
      expect(client.webOrigins).toEqual([input.rootUrl]);
    }
  });

  it("holds no client secret, only a placeholder Keycloak resolves from its environment at import", () => {
    expect(realm.clients.map((c: any) => c.secret)).toEqual(["${SOCLE_CLIENT_SECRET_WIKI}", "${SOCLE_CLIENT_SECRET_CHAT}"]);
  });

  it("requires PKCE S256 only from apps that send it, and declares back-channel logout where the app has it", () => {
    const pkce = realmRepresentation({ ...props, clients: [{ ...props.clients[0]!, pkce: true }] }, clientSecretEnv) as any;
    expect(pkce.clients[0].attributes["pkce.code.challenge.method"]).toBe("S256");
    expect(realm.clients[0].attributes["pkce.code.challenge.method"]).toBeUndefined();
    expect(realm.clients[1].attributes["backchannel.logout.url"]).toBe("https://chat.org.example/_synapse/client/oidc/backchannel_logout");
  });
});

describe("realm: authentication", () => {
  it("signs in with a cookie or with password then one-time code, with no path around the second factor", () => {
    expect(realm.browserFlow).toBe(BROWSER_FLOW);
    expect(steps(flow(realm, BROWSER_FLOW))).toEqual([
      ["auth-cookie", "ALTERNATIVE"],
      [`flow:${FORMS_FLOW}`, "ALTERNATIVE"],
    ]);
    expect(steps(flow(realm, FORMS_FLOW))).toEqual([
      ["auth-username-password-form", "REQUIRED"],
      ["auth-otp-form", "REQUIRED"],
    ]);
    expect(realm.requiredActions.find((a: any) => a.alias === "CONFIGURE_TOTP")).toMatchObject({ providerId: "CONFIGURE_TOTP", enabled: true, defaultAction: true });
  });

  it("has an administrators group holding realm-admin", () => {
    expect(realm.groups).toEqual([expect.objectContaining({ name: ADMIN_GROUP, clientRoles: { "realm-management": ["realm-admin"] } })]);
  });

  it("sets a strong password policy, brute-force protection and no self-registration", () => {
    const policy = parsePolicy(realm.passwordPolicy);
    expect(realm.passwordPolicy).toBe(PASSWORD_POLICY);
    expect(Number(policy.get("length"))).toBeGreaterThanOrEqual(12);
    expect([...policy.keys()]).toEqual(expect.arrayContaining(["notUsername", "notEmail", "passwordHistory", "hashAlgorithm"]));
    expect(policy.get("hashAlgorithm")).toBe("argon2");
    expect(realm).toMatchObject({ bruteForceProtected: true, permanentLockout: false, failureFactor: 5, registrationAllowed: false, sslRequired: "external" });
  });

  it("passes the admin MFA and password policy controls, which fail on a weakened copy", () => {
    expect(run(adminMfa, [asConfigMap(realm)]).map((r) => r.status)).toEqual(["pass"]);
    expect(run(passwordPolicy, [asConfigMap(realm)]).map((r) => r.status)).toEqual(["pass"]);
    const weak = structuredClone(realm);
    flow(weak, FORMS_FLOW).authenticationExecutions[1].requirement = "CONDITIONAL";
    weak.requiredActions.find((a: any) => a.alias === "CONFIGURE_TOTP").defaultAction = false;
    weak.passwordPolicy = "length(8)";
    expect(run(adminMfa, [asConfigMap(weak)]).map((r) => r.status)).toEqual(["fail"]);
    expect(run(passwordPolicy, [asConfigMap(weak)]).map((r) => r.status)).toEqual(["fail"]);
  });

  it("is a realm representation the Keycloak operator's schema accepts", () => {
    const validator = new ManifestValidator([join(CRDS, "keycloak")]);
    const wrapped = { apiVersion: "k8s.keycloak.org/v2alpha1", kind: "KeycloakRealmImport", metadata: { name: "org", namespace: "org-identity" }, spec: { keycloakCRName: "keycloak", realm } };
    expect(validator.validate(wrapped)).toEqual([]);
  });
});

describe("realm: federation", () => {
  const federated = realmRepresentation({ ...props, federation: [{ ...PROCONNECT_LIKE, acrValues: [] }] }, clientSecretEnv) as any;

  it("has no identity provider by default", () => {
    expect(realm.identityProviders).toEqual([]);
    expect(realm.identityProviderMappers).toEqual([]);
    expect(flow(realm, postBrokerFlow("proconnect"))).toBeUndefined();
  });

  it("adds the upstream provider with PKCE and a placeholder secret; without an assurance level it still asks for this realm's one-time code", () => {
    expect(federated.identityProviders).toEqual([
      expect.objectContaining({ alias: "proconnect", providerId: "oidc", enabled: true, postBrokerLoginFlowAlias: postBrokerFlow("proconnect") }),
    ]);
    expect(federated.identityProviders[0].config).toMatchObject({
      issuer: "https://proconnect.socle.test/api/v2",
      authorizationUrl: "https://proconnect.socle.test/api/v2/authorize",
      clientId: "socle-org",
      clientSecret: "${SOCLE_CLIENT_SECRET_FEDERATION_PROCONNECT}",
      pkceEnabled: "true",
      pkceMethod: "S256",
    });
    expect(steps(flow(federated, postBrokerFlow("proconnect")))).toEqual([["auth-otp-form", "REQUIRED"]]);
    expect(run(adminMfa, [asConfigMap(federated)]).map((r) => r.status)).toEqual(["pass"]);
  });
});
