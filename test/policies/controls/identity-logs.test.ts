import { describe, expect, it } from "vitest";
import { control as mfa } from "../../../policies/controls/identity/admin-mfa";
import { control as passwords, parsePolicy } from "../../../policies/controls/identity/password-policy";
import { control as retention } from "../../../policies/controls/logs/retention";
import { withField } from "../fixtures/edit";
import { realm, realmConfigMap, realmImport } from "../fixtures/identity";
import { configMap, deployment, statefulSet } from "../fixtures/kubernetes";
import { context, failed, k8s, run, stack, violationsOf } from "../fixtures/views";

const FORMS = "authenticationFlows[1].authenticationExecutions";

describe("snc-identity-admin-mfa", () => {
  it("passes a realm whose browser flow requires OTP after the password, from an import or an annotated ConfigMap", () => {
    const results = run(mfa, [k8s(realmImport()), k8s(realmConfigMap(JSON.stringify(realm())))]);
    expect(results.map((r) => [r.status, r.note])).toEqual([
      ["pass", "realm socle: browser flow socle-browser requires a second factor"],
      ["pass", "realm socle: browser flow socle-browser requires a second factor"],
    ]);
  });

  it("fails when the OTP step is only conditional", () => {
    const r = withField(realm(), `${FORMS}[1].requirement`, "CONDITIONAL");
    expect(violationsOf(run(mfa, [k8s(realmImport(r))]))[0]).toMatchObject({ message: expect.stringMatching(/^realm socle \(KeycloakRealmImport identity\/socle\) does not require a second factor/), path: "spec.realm" });
  });

  it("fails the default browser flow (no flow defined)", () => {
    expect(failed(run(mfa, [k8s(realmImport(withField(realm(), "authenticationFlows", undefined)))])).length).toBe(1);
  });

  it("accepts CONFIGURE_TOTP as a default required action, or enrolment of every admin", () => {
    const base = withField(realm(), "authenticationFlows", undefined);
    const byDefault = withField(base, "requiredActions", [{ alias: "CONFIGURE_TOTP", name: "Configure OTP", enabled: true, defaultAction: true }]);
    expect(run(mfa, [k8s(realmImport(byDefault))])[0]!.status).toBe("pass");
    const admins = withField(base, "users", [{ username: "ops", realmRoles: ["admin"], requiredActions: ["CONFIGURE_TOTP"] }, { username: "bob", realmRoles: ["user"] }]);
    expect(run(mfa, [k8s(realmImport(admins))])[0]!.status).toBe("pass");
    const oneMissing = withField(admins, "users[1]", { username: "ops2", clientRoles: { "realm-management": ["realm-admin"] } });
    expect(run(mfa, [k8s(realmImport(oneMissing))])[0]!.status).toBe("fail");
  });

  it("fails a realm ConfigMap that is not JSON, naming the key", () => {
    expect(violationsOf(run(mfa, [k8s(realmConfigMap("realm: socle"))]))[0]).toMatchObject({ message: expect.stringMatching(/^ConfigMap identity\/realm key realm.json: the value is not JSON/), path: "data.realm.json" });
  });

  it("ignores ConfigMaps not annotated as realms", () => {
    expect(run(mfa, [k8s(configMap("x", "identity", { "realm.json": "{}" }))])).toEqual([]);
  });
});

describe("snc-identity-password-policy", () => {
  it("passes the compliant realm", () => {
    expect(run(passwords, [k8s(realmImport())]).map((r) => r.status)).toEqual(["pass"]);
  });

  it.each([
    ["length(8) and notUsername(undefined)", "realm socle allows passwords of 8 characters, below 12"],
    ["notUsername(undefined)", "realm socle sets no minimum password length (length(12))"],
    ["length(14)", "realm socle does not refuse the username as password (notUsername())"],
    ["length(12) and notUsername() and hashAlgorithm(pbkdf2)", "realm socle hashes passwords with pbkdf2 (accepted: argon2, pbkdf2-sha512, pbkdf2-sha256)"],
  ])("fails passwordPolicy %s", (policy, message) => {
    expect(violationsOf(run(passwords, [k8s(realmImport(withField(realm(), "passwordPolicy", policy)))]))).toEqual([{ resource: "identity-socle", message, path: "spec.realm.passwordPolicy" }]);
  });

  it("fails a realm without brute-force protection", () => {
    expect(violationsOf(run(passwords, [k8s(realmImport(withField(realm(), "bruteForceProtected", false)))]))).toEqual([
      { resource: "identity-socle", message: "realm socle does not lock accounts after failed logins (bruteForceProtected)", path: "spec.realm.bruteForceProtected" },
    ]);
  });

  it("parses Keycloak policy strings", () => {
    expect([...parsePolicy("length(12) and notUsername(undefined) and hashIterations(210000)")]).toEqual([["length", "12"], ["notUsername", "undefined"], ["hashIterations", "210000"]]);
  });
});

describe("snc-logs-retention", () => {
  const store = (days: string) => withField(statefulSet("loki", "logs"), "metadata.labels", { "socle.io/log-retention-days": days });

  it("passes a log store keeping logs at least the minimum", () => {
    expect(run(retention, [k8s(deployment()), k8s(store("400"))]).map((r) => [r.status, r.note])).toEqual([["pass", "StatefulSet logs/loki keeps logs 400 days (minimum 365)"]]);
  });

  it("fails a shorter retention, and a label that is not a number", () => {
    expect(violationsOf(run(retention, [k8s(store("180"))]))).toEqual([
      { resource: "logs-loki", message: "StatefulSet logs/loki keeps logs 180 days, less than the minimum of 365", path: "metadata.labels.socle.io/log-retention-days" },
    ]);
    expect(failed(run(retention, [k8s(store("1y"))])).length).toBe(1);
    expect(failed(run(retention, [k8s(store("180"))], context({ minLogRetentionDays: 180 })))).toEqual([]);
  });

  it("fails a deployment with workloads and no declared log store, at stack level", () => {
    expect(violationsOf(run(retention, [stack({}), k8s(deployment())]))).toEqual([
      { resource: "socle-test", message: "no log store declares its retention (label socle.io/log-retention-days): logs are not shown to be collected and kept" },
    ]);
    expect(run(retention, [stack({})]).map((r) => r.status)).toEqual(["notApplicable"]);
  });
});
