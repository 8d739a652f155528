import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVOY_NAMESPACE, GATEWAY_POD_LABELS } from "../../charts/gateway";
import { KEYCLOAK_LABELS } from "../../charts/identity";
import { WIKI_LABELS } from "../../charts/wiki";
import { control as adminMfa } from "../../policies/controls/identity/admin-mfa";
import { control as passwordPolicy } from "../../policies/controls/identity/password-policy";
import { control as plaintextSecrets } from "../../policies/controls/workload/plaintext-secrets";
import { canReach, type NetworkPolicy } from "../../src/analysis/reachability";
import type { RenderResult } from "../../src/render/render";
import { APPS } from "../../src/program/apps";
import { renderToTemp } from "../helpers/render";
import { k8s, run } from "../policies/fixtures/views";
import { realmOf } from "./fixtures";

/** The demo stack enables every app: the realm must hold a client for each app that signs users in. */
const SSO_APPS = ["wiki", "docs", "chat", "mail"];

let result: RenderResult;
let manifests: any[];
let files: Map<string, string>;
beforeAll(async () => {
  result = await renderToTemp("demo");
  files = new Map(walk(result.outDir).map((f) => [relative(result.outDir, f), readFileSync(f, "utf8")]));
  // kustomization.yaml configures `kubectl apply -k`; it is not a cluster object.
  manifests = [...files].filter(([f]) => f.startsWith("manifests/") && f !== "manifests/kustomization.yaml").flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS()));
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
const find = (kind: string, namespace: string, name: string) => manifests.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
const routeHostnames = (namespace: string): string[] => manifests.filter((o) => o.kind === "HTTPRoute" && o.metadata.namespace === namespace).flatMap((r) => r.spec.hostnames);

describe("single sign-on in the demo render", () => {
  it("the realm has exactly one client per enabled app that signs users in", () => {
    const signingIn = Object.entries(APPS).filter(([, m]) => m.sso !== null).map(([app]) => app);
    expect(signingIn.sort()).toEqual([...SSO_APPS].sort());
    const ids = realmOf(manifests).clients.map((c: any) => c.clientId);
    expect([...ids].sort()).toEqual([...SSO_APPS].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("every client's redirect URIs and web origin are on its app's route hostname, over HTTPS", () => {
    for (const client of realmOf(manifests).clients) {
      const hostnames = routeHostnames(`demo-${client.clientId}`);
      expect(hostnames.length, client.clientId).toBeGreaterThan(0);
      expect(client.redirectUris.length, client.clientId).toBeGreaterThan(0);
      for (const uri of [...client.redirectUris, ...client.webOrigins]) {
        const url = new URL(uri);
        expect(url.protocol, `${client.clientId} ${uri}`).toBe("https:");
        expect(hostnames, `${client.clientId} ${uri}`).toContain(url.hostname);
        expect(uri, "no wildcard redirect").not.toContain("*");
      }
    }
  });

  it("the issuer the apps are given is Keycloak's route hostname and the realm", () => {
    const [identityHost] = routeHostnames("demo-identity");
    expect(identityHost).toBe("auth.demo.socle.test");
    const realm = realmOf(manifests);
    const properties: string = find("ConfigMap", "demo-wiki", "xwiki-oidc").data["xwiki.properties"];
    expect(properties).toContain(`oidc.provider=https://${identityHost}/realms/${realm.realm}\n`);
    expect(properties).toContain("oidc.clientid=wiki\n");
  });

  it("delivers each client secret as a Secret key on both sides, never in clear", () => {
    expect(find("Secret", "demo-identity", "keycloak-clients").stringData).toEqual(Object.fromEntries(SSO_APPS.sort().map((a) => [a, "[secret]"])));
    expect(find("Secret", "demo-wiki", "xwiki-oidc-client").stringData).toEqual({ "client-secret": "[secret]" });
    const init = find("Deployment", "demo-wiki", "xwiki").spec.template.spec.initContainers[0];
    expect(init.env).toEqual([{ name: "OIDC_CLIENT_SECRET", valueFrom: { secretKeyRef: { name: "xwiki-oidc-client", key: "client-secret" } } }]);
  });

  it("no generated secret value appears in any file the render writes (canary)", () => {
    // The render's generated secrets all carry this prefix (src/render/monitor.ts); none may be written in clear.
    const leaks = [...files].filter(([, text]) => text.includes("socle-render-secret-")).map(([f]) => f);
    expect(leaks).toEqual([]);
    const clientSecrets = result.state.deployment.resources.filter((r) => /::sso-[a-z]+-client-secret$/.test(r.urn));
    expect(clientSecrets.map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2)).sort()).toEqual(SSO_APPS.map((a) => `sso-${a}-client-secret`).sort());
  });

  it("the rendered realm passes the admin MFA and password policy controls; identity and wiki hold no plaintext secret", () => {
    const views = manifests.filter((o) => ["demo-identity", "demo-wiki"].includes(o.metadata.namespace ?? o.metadata.name)).map((o) => k8s(o));
    expect(run(adminMfa, views).map((r) => r.status)).toEqual(["pass"]);
    expect(run(passwordPolicy, views).map((r) => r.status)).toEqual(["pass"]);
    expect(run(plaintextSecrets, views).filter((r) => r.status === "fail")).toEqual([]);
  });

  it("the wiki reaches Keycloak through the gateway, and the gateway reaches Keycloak", () => {
    const policies = manifests.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[];
    const gateway = { id: "gateway", namespace: ENVOY_NAMESPACE, labels: GATEWAY_POD_LABELS, ports: [10443] };
    const xwiki = { id: "xwiki", namespace: "demo-wiki", labels: WIKI_LABELS, ports: [8080] };
    const keycloak = { id: "keycloak", namespace: "demo-identity", labels: KEYCLOAK_LABELS, ports: [8080] };
    // The proxies admit any source address (ipBlock 0.0.0.0/0), which the analysis applies to outside
    // addresses only: check the wiki's own egress side here.
    const appSide = policies.filter((p) => p.metadata.namespace !== ENVOY_NAMESPACE);
    expect(canReach(appSide, xwiki, gateway, 10443)).toBe(true);
    expect(canReach(appSide, xwiki, { ...gateway, ports: [10080] }, 10080)).toBe(false);
    expect(canReach(policies, gateway, keycloak, 8080)).toBe(true);
    expect(canReach(policies, xwiki, keycloak, 8080)).toBe(false);
  });
});
