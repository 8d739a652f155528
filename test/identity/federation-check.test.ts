import { describe, expect, it } from "vitest";
import { renderIdentityChart } from "../../charts/identity";
import type { KubernetesObject, ResourceView } from "../../policies/types";
import { identityFederationRule } from "../../src/check/rules/identity-federation";
import type { CheckModel } from "../../src/check/types";
import { k8s } from "../policies/fixtures/views";
import { PROCONNECT_LIKE, identityProps } from "./fixtures";

/** The chart's objects plus the clients Secret the component adds, as the check engine sees them. */
function model(objs: readonly any[], extra: readonly KubernetesObject[] = [{ apiVersion: "v1", kind: "Secret", metadata: { name: "keycloak-clients", namespace: "org-identity" }, stringData: { wiki: "[secret]", chat: "[secret]", "federation-proconnect": "[secret]" } } as any]): CheckModel {
  const views: ResourceView[] = [...objs, ...extra].map((o) => k8s(o));
  return { resources: views, objects: views.map((v) => v.k8s!), cloud: [], context: {} as CheckModel["context"] };
}
const federated = (federation = [PROCONNECT_LIKE]) => renderIdentityChart(identityProps({ realm: { ...identityProps().realm, federation } })) as any[];
const realmCm = (objs: any[]) => objs.find((o) => o.kind === "ConfigMap" && o.metadata.name === "keycloak-realm");
const editRealm = (objs: any[], edit: (realm: any) => void) => {
  const cm = realmCm(objs);
  const key = Object.keys(cm.data)[0]!;
  const realm = JSON.parse(cm.data[key]);
  edit(realm);
  cm.data[key] = JSON.stringify(realm);
  return objs;
};
const run = (m: CheckModel) => identityFederationRule.run(m).map((f) => `${f.severity}: ${f.message}`);

describe("socle check: identity federation", () => {
  it("finds nothing to say about the ProConnect-like federation socle renders", () => {
    expect(run(model(federated()))).toEqual([]);
  });

  it("says nothing when the realm has no upstream provider", () => {
    expect(run(model(renderIdentityChart(identityProps()) as any[]))).toEqual([]);
  });

  it("blocks a provider without a token endpoint, and warns about an endpoint off the issuer's host", () => {
    const objs = editRealm(federated(), (r) => {
      delete r.identityProviders[0].config.tokenUrl;
      r.identityProviders[0].config.jwksUrl = "https://keys.elsewhere.test/jwks";
    });
    expect(run(model(objs))).toEqual([
      expect.stringMatching(/^blocker: provider proconnect: tokenUrl is missing or not https/),
      expect.stringMatching(/^warning: provider proconnect: jwksUrl is on keys\.elsewhere\.test, not on the issuer's host proconnect\.socle\.test/),
    ]);
  });

  it("blocks a client secret in clear, or one whose Secret key is not rendered", () => {
    expect(run(model(editRealm(federated(), (r) => (r.identityProviders[0].config.clientSecret = "in-clear"))))).toEqual([expect.stringMatching(/^blocker: provider proconnect: the client secret is not a \$\(env:NAME\) reference/)]);
    expect(run(model(federated(), [{ apiVersion: "v1", kind: "Secret", metadata: { name: "keycloak-clients", namespace: "org-identity" }, stringData: { wiki: "x" } } as any]))).toEqual([
      expect.stringMatching(/^blocker: provider proconnect: SOCLE_CLIENT_SECRET_FEDERATION_PROCONNECT reads Secret keycloak-clients key federation-proconnect, which is not rendered/),
    ]);
  });

  it("warns when a mapped claim is not requested by any scope", () => {
    const objs = federated([{ ...PROCONNECT_LIKE, scopes: ["openid", "email"] }]);
    expect(run(model(objs))).toEqual([
      expect.stringMatching(/mapper proconnect-first-name reads claim given_name, which no requested scope \(openid email\) asks for/),
      expect.stringMatching(/mapper proconnect-last-name reads claim usual_name/),
    ]);
  });

  it("blocks when Keycloak may not call out on 443", () => {
    const objs = federated().filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === "allow-keycloak-to-federation"));
    expect(run(model(objs))).toEqual([expect.stringMatching(/^blocker: realm org federates 1 provider\(s\), but no NetworkPolicy in org-identity lets Keycloak call out on 443/)]);
  });
});
