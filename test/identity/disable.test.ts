import { beforeAll, describe, expect, it } from "vitest";
import type { RenderResult } from "../../src/render/render";
import { manifestObjects } from "../helpers/render";
import { renderFixture } from "../helpers/render-fixture";
import { realmOf } from "./fixtures";

/** The demo's organisation with identity and docs only (test/fixtures/stacks/Pulumi.no-wiki.yaml). */
let result: RenderResult;
let manifests: any[];
beforeAll(async () => {
  result = await renderFixture("no-wiki");
  manifests = manifestObjects(result);
});

const resourceNames = () => result.state.deployment.resources.map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2));

describe("disabling an app", () => {
  it("removes the app's resources, namespace, route and certificate", () => {
    expect(resourceNames().filter((n) => /^(wiki|demo-wiki|sso-wiki)\b/.test(n))).toEqual([]);
    expect(result.state.deployment.resources.some((r) => r.type === "socle:apps:Wiki")).toBe(false);
    expect(manifests.filter((o) => o.metadata?.namespace === "demo-wiki" || o.metadata?.name === "demo-wiki")).toEqual([]);
    expect(manifests.filter((o) => JSON.stringify(o).includes("wiki.demo.socle.test"))).toEqual([]);
    const gateway = manifests.find((o) => o.kind === "Gateway");
    expect(gateway.spec.listeners.map((l: any) => l.name)).not.toContain("https-wiki");
  });

  it("removes its OIDC client, the client's generated secret and the reconcile Job's variable that carried it", () => {
    expect(realmOf(manifests).clients.map((c: any) => c.clientId)).toEqual(["docs"]);
    expect(manifests.find((o) => o.kind === "Secret" && o.metadata.name === "keycloak-clients").stringData).toEqual({ docs: "[secret]" });
    expect(resourceNames()).not.toContain("sso-wiki-client-secret");
    expect(resourceNames()).toContain("sso-docs-client-secret");
    const job = manifests.find((o) => o.kind === "Job" && o.metadata.name.startsWith("keycloak-realm-"));
    const env = job.spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(env).toContain("SOCLE_CLIENT_SECRET_DOCS");
    expect(env).not.toContain("SOCLE_CLIENT_SECRET_WIKI");
  });

  it("keeps the rest of the suite signing in through the realm", () => {
    const [client] = realmOf(manifests).clients;
    expect(client.redirectUris).toEqual(["https://docs.demo.socle.test/api/v1.0/callback/"]);
  });
});
