import { beforeAll, describe, expect, it } from "vitest";
import { APP_NAMES } from "../../src/config/schema";
import { APPS } from "../../src/program/apps";
import { planClients } from "../../src/program/sso";
import { appBuckets, appHostname } from "../../src/program/index";
import { manifestObjects, renderToTemp } from "../helpers/render";

/** What the app registry (src/program/apps) declares, checked against itself and against the rendered demo. */

type Obj = Record<string, any>;
let objects: Obj[];
let socle: Obj;
beforeAll(async () => {
  const result = await renderToTemp("demo");
  objects = manifestObjects(result);
  socle = (result.state.deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.outputs as Obj).socle;
});

const config = { organization: { id: "org", name: "Org" }, domain: "org.example", apps: APP_NAMES } as any;

describe("the app registry", () => {
  it("has a module for every app name and nothing else", () => {
    expect(Object.keys(APPS).sort()).toEqual([...APP_NAMES].sort());
  });

  it("gives each app its own hostname, a DNS label under the domain", () => {
    const hosts = APP_NAMES.map((app) => appHostname(config, app));
    expect(new Set(hosts).size).toBe(hosts.length);
    for (const app of APP_NAMES) expect(APPS[app].hostPrefix, app).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
  });

  it("plans one SSO client per app that signs users in, with its redirect URIs, PKCE and back-channel logout from its module", () => {
    const clients = planClients(config, (app) => appHostname(config, app));
    expect(clients.map((c) => c.app)).toEqual(APP_NAMES.filter((app) => APPS[app].sso !== null));
    for (const c of clients) {
      const sso = APPS[c.app].sso!;
      expect(sso.redirectPaths.length, c.app).toBeGreaterThan(0);
      expect(c.redirectUris).toEqual(sso.redirectPaths.map((p) => `https://${appHostname(config, c.app)}${p}`));
      for (const uri of c.redirectUris) expect(new URL(uri).hostname, c.app).toBe(appHostname(config, c.app));
      expect(c.pkce).toBe(sso.pkce);
      expect(c.backchannelLogoutUrl).toBe(sso.backchannelLogoutPath === null ? undefined : `https://${appHostname(config, c.app)}${sso.backchannelLogoutPath}`);
    }
  });

  it("collects the apps' buckets in the order of socle:apps", () => {
    expect(appBuckets(config)).toEqual(APP_NAMES.flatMap((app) => APPS[app].buckets("org")));
    expect(appBuckets({ ...config, apps: ["wiki"] })).toEqual([]);
  });
});

describe("the registry against the rendered demo (every app enabled)", () => {
  it("declares exactly the LoadBalancer Services each app renders, and the audit metadata lists them", () => {
    for (const app of APP_NAMES) {
      const rendered = objects.filter((o) => o?.kind === "Service" && o.metadata.namespace === `demo-${app}` && o.spec?.type === "LoadBalancer").map((o) => o.metadata.name);
      expect(rendered.sort(), app).toEqual([...APPS[app].loadBalancers].sort());
    }
    expect(socle.declaredLoadBalancers).toEqual(["envoy-gateway-system/*", ...APP_NAMES.flatMap((app) => APPS[app].loadBalancers.map((lb) => `demo-${app}/${lb}`))]);
  });

  it("opens the object store to exactly the apps whose module needs it (and Velero)", () => {
    const policy = objects.find((o) => o?.kind === "NetworkPolicy" && o.metadata.namespace === "socle-storage" && o.metadata.name === "allow-s3-clients");
    expect(policy).toBeDefined();
    const admitted = policy!.spec.ingress.flatMap((rule: Obj) => rule.from.map((peer: Obj) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"]));
    expect(admitted).toContain("velero");
    expect(admitted.filter((ns: unknown) => typeof ns === "string" && ns.startsWith("demo-")).sort()).toEqual(APP_NAMES.filter((app) => APPS[app].flows.objectStorage).map((app) => `demo-${app}`).sort());
  });

  it("routes every app's hostname through the gateway", () => {
    const hostnames = objects.filter((o) => o?.kind === "HTTPRoute").flatMap((r) => r.spec.hostnames);
    for (const app of APP_NAMES) expect(hostnames, app).toContain(`${APPS[app].hostPrefix}.demo.socle.test`);
  });
});
