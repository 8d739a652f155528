import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { KEYCLOAK_LABELS, KEYCLOAK_UID, renderIdentityChart } from "../../charts/identity";
import { BROWSER_FLOW, PASSWORD_POLICY } from "../../charts/identity/realm";
import { flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import type { RenderResult } from "../../src/render/render";
import { renderToTemp } from "../helpers/render";
import { wikiProps } from "../helpers/wiki-props";

const chartProps = {
  namespace: "org-identity",
  hostname: "auth.org.example",
  sizing: "medium" as const,
  storageClass: "standard",
  images: { keycloak: "registry.example/keycloak:26@sha256:" + "c".repeat(64), postgresql: wikiProps.images.postgresql },
  gateway: { ...wikiProps.gateway, listener: "https-identity" },
  clusterIssuer: "socle",
  realm: {
    name: "org",
    displayName: "Org",
    clients: [{ clientId: "wiki", name: "wiki", rootUrl: "https://wiki.org.example", redirectUris: ["https://wiki.org.example/oidc/authenticator/callback"], pkce: false }],
  },
  backup: wikiProps.backup,
  apiServer: wikiProps.apiServer,
  cnpgOperatorNamespace: "cnpg-system",
};
const objs = renderIdentityChart(chartProps) as any[];
const find = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const pod = find("Deployment", "keycloak").spec.template.spec;
const realmOf = (list: any[]) => JSON.parse(Object.values(list.find((o) => o.kind === "ConfigMap" && o.metadata.name === "keycloak-realm").data)[0] as string);

describe("identity chart: security defaults", () => {
  it("runs Keycloak non-root, read-only, without capabilities or service-account token", () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: KEYCLOAK_UID, seccompProfile: { type: "RuntimeDefault" } });
    const c = pod.containers[0];
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(c.readinessProbe.httpGet).toMatchObject({ path: "/health/ready", port: 9000 });
    expect(c.resources.limits.memory).toBeDefined();
  });

  it("reads every credential from Secrets, none as a literal", () => {
    const env = pod.containers[0].env as { name: string; value?: string; valueFrom?: any }[];
    for (const name of ["KC_DB_PASSWORD", "KC_BOOTSTRAP_ADMIN_PASSWORD", "SOCLE_CLIENT_SECRET_WIKI"]) {
      const e = env.find((x) => x.name === name)!;
      expect(e.value, name).toBeUndefined();
      expect(e.valueFrom.secretKeyRef.name, name).toMatch(/^keycloak-/);
    }
  });

  it("spreads replicas over nodes with a disruption budget from medium", () => {
    expect(find("Deployment", "keycloak").spec.replicas).toBe(2);
    expect(pod.affinity.podAntiAffinity).toBeDefined();
    expect(find("PodDisruptionBudget", "keycloak")).toBeDefined();
  });

  it("keeps the realm free of secrets: client secrets are placeholders resolved from the environment", () => {
    const realm = realmOf(objs);
    expect(realm.clients[0].secret).toBe("${SOCLE_CLIENT_SECRET_WIKI}");
    expect(find("ConfigMap", "keycloak-realm").metadata.annotations["socle.io/keycloak-realm"]).toBe("true");
  });

  it("requires a second factor after the password, a strong password policy and brute-force protection", () => {
    const realm = realmOf(objs);
    expect(realm.browserFlow).toBe(BROWSER_FLOW);
    const forms = realm.authenticationFlows.find((f: any) => f.alias === "socle-browser-forms");
    expect(forms.authenticationExecutions.map((e: any) => [e.authenticator, e.requirement])).toEqual([
      ["auth-username-password-form", "REQUIRED"],
      ["auth-otp-form", "REQUIRED"],
    ]);
    expect(realm.requiredActions.find((a: any) => a.alias === "CONFIGURE_TOTP")).toMatchObject({ enabled: true, defaultAction: true });
    expect(realm.passwordPolicy).toBe(PASSWORD_POLICY);
    expect(realm.passwordPolicy).toContain("length(12)");
    expect(realm.bruteForceProtected).toBe(true);
    expect(realm.registrationAllowed).toBe(false);
  });

  it("gives each client the standard flow only, with its exact redirect URIs", () => {
    const [client] = realmOf(objs).clients;
    expect(client).toMatchObject({ publicClient: false, standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false });
    expect(client.redirectUris).toEqual(["https://wiki.org.example/oidc/authenticator/callback"]);
  });

  it("allows exactly the intended flows", () => {
    const policies = objs.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[];
    const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
    const table = flowTable(policies, [
      w("gateway", "envoy-gateway-system", wikiProps.gateway.pods, [443]),
      w("keycloak", "org-identity", KEYCLOAK_LABELS, [8080, 9000, 7800]),
      w("db", "org-identity", { "cnpg.io/cluster": "keycloak-db" }, [5432]),
      w("wiki", "org-wiki", { "app.kubernetes.io/name": "xwiki" }, [8080]),
    ]).filter((f) => /keycloak|db/.test(f));
    expect(table).toEqual(["db -> db:5432", "gateway -> keycloak:8080", "keycloak -> db:5432", "keycloak -> keycloak:7800"]);
  });
});

describe("identity in the demo render: single sign-on wiring", () => {
  let result: RenderResult;
  let manifests: any[];
  beforeAll(async () => {
    result = await renderToTemp("demo");
    const dir = join(result.outDir, "manifests");
    manifests = readdirSync(dir).flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS()));
  });

  it("every enabled app has exactly one client, whose redirect URIs are on its route's hostname", () => {
    const realm = realmOf(manifests);
    const routes = manifests.filter((o) => o.kind === "HTTPRoute" && o.metadata.namespace?.startsWith("demo-"));
    const apps = ["wiki", "docs", "chat", "mail"];
    expect(realm.clients.map((c: any) => c.clientId).sort()).toEqual([...apps].sort());
    for (const client of realm.clients) {
      const hostnames = routes.filter((r) => r.metadata.namespace === `demo-${client.clientId}`).flatMap((r) => r.spec.hostnames);
      expect(hostnames.length, client.clientId).toBeGreaterThan(0);
      for (const uri of client.redirectUris) expect(hostnames, `${client.clientId} ${uri}`).toContain(new URL(uri).hostname);
    }
  });

  it("delivers each client secret as a Secret key, never in clear", () => {
    const secret = manifests.find((o) => o.kind === "Secret" && o.metadata.name === "keycloak-clients");
    expect(Object.keys(secret.stringData).sort()).toEqual(["chat", "docs", "mail", "wiki"]);
    for (const v of Object.values(secret.stringData)) expect(v).toBe("[secret]");
  });
});
