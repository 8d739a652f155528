import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { RenderResult } from "../../src/render/render";
import { renderFixture } from "../helpers/render-fixture";

let result: RenderResult;
let manifests: any[];
beforeAll(async () => {
  result = await renderFixture("no-wiki");
  const dir = join(result.outDir, "manifests");
  manifests = readdirSync(dir).flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS()));
});

describe("disabling an app", () => {
  it("removes the app's resources, namespace, route and certificate", () => {
    const urns = result.state.deployment.resources.map((r) => r.urn);
    // (the stack is named no-wiki: look at resource names, not the stack's)
    expect(urns.map((u) => u.slice(u.lastIndexOf("::") + 2)).filter((n) => /^wiki|demo-wiki|sso-wiki/.test(n))).toEqual([]);
    expect(urns.some((u) => u.includes("socle:apps:Wiki"))).toBe(false);
    expect(manifests.some((o) => o.metadata?.namespace === "demo-wiki" || o.metadata?.name === "demo-wiki")).toBe(false);
    const gateway = manifests.find((o) => o.kind === "Gateway");
    expect(gateway.spec.listeners.map((l: any) => l.name)).not.toContain("https-wiki");
  });

  it("removes its OIDC client and the client's generated secret", () => {
    const realmMap = manifests.find((o) => o.kind === "ConfigMap" && o.metadata.name === "keycloak-realm");
    const realm = JSON.parse(Object.values(realmMap.data)[0] as string);
    expect(realm.clients.map((c: any) => c.clientId)).toEqual(["docs"]);
    expect(manifests.find((o) => o.kind === "Secret" && o.metadata.name === "keycloak-clients").stringData).toEqual({ docs: "[secret]" });
    expect(result.state.deployment.resources.some((r) => r.urn.endsWith("::sso-wiki-client-secret"))).toBe(false);
  });
});
