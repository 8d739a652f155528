import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";
import { APPS } from "../../src/program/apps";
import { conflicts, loadStackConfig } from "../../src/tenants/catalog";
import { APP_HOST_PREFIX, PLAN_USER_CEILING, tenantHostnames } from "../../src/tenants/plans";
import { cli, fleetRoot } from "./fleet-fixture";

const stacksOf = (root: string): string[] => readdirSync(join(root, "stacks")).sort();

describe("socle tenant add", () => {
  it("the catalog's host prefixes are the AppModules' own", () => {
    for (const [app, module] of Object.entries(APPS)) expect(APP_HOST_PREFIX[app as keyof typeof APPS], app).toBe(module.hostPrefix);
  });

  it("writes a tenant stack file the real parser accepts, with the shared conventions' keys", async () => {
    const root = fleetRoot();
    const r = await cli(root, ["tenant", "add", "mairie-c", "--platform", "hebergeur-plateforme", "--plan", "large", "--domain", "mairie-c.fr", "--apps", "identity,docs", "--apps", "chat", "--admin-cidrs", "198.51.100.0/24"]);
    expect(r.code, r.err).toBe(0);
    const c = loadStackConfig(root, "mairie-c");
    expect(c.kind).toBe("tenant");
    expect(c.organization.id).toBe("mairie-c");
    expect(c.platformStack).toBe("hebergeur/socle/hebergeur-plateforme");
    expect(c.sizing).toBe("large");
    expect(c.apps).toEqual(["chat", "docs", "identity"]);
    expect(c.adminCidrs).toEqual(["198.51.100.0/24"]);
    expect(c.cloud.target).toBe("existing");
    expect(stacksOf(root).filter((f) => f.includes("socle-tmp"))).toEqual([]);
  });

  const refusals: [string, string[], RegExp][] = [
    ["a name already taken", ["tenant-exemple-a", "--domain", "other.fr"], /name tenant-exemple-a is already taken/],
    ["a namespace prefix already taken", ["mairie-d", "--organization", "tenant-a", "--domain", "other.fr"], /namespace prefix tenant-a- is already taken by tenant-exemple-a/],
    ["a namespace prefix that claims another's", ["mairie-d", "--organization", "tenant", "--domain", "other.fr"], /namespace prefix tenant- is already taken/],
    ["the platform's own prefix", ["hebergeur", "--domain", "other.fr"], /namespace prefix hebergeur- is already taken by hebergeur-plateforme/],
    ["a hostname already served", ["mairie-d", "--domain", "tenant-a.hebergeur.test", "--apps", "wiki"], /hostname wiki.tenant-a.hebergeur.test is already taken by tenant-exemple-a/],
    ["an organization whose namespaces the platform's Capsule reserves", ["mairie-d", "--organization", "socle", "--domain", "other.fr"], /namespaces socle-identity, socle-wiki are reserved to the platform \(Capsule refuses/],
    ["an invalid domain (the real parser)", ["mairie-d", "--domain", "Not A Domain"], /socle:domain/],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what} with exit 2 and writes nothing`, async () => {
      const root = fleetRoot();
      const before = stacksOf(root).map((f) => [f, readFileSync(join(root, "stacks", f), "utf8")]);
      const r = await cli(root, ["tenant", "add", ...args.slice(0, 1), "--platform", "hebergeur-plateforme", "--plan", "small", ...args.slice(1)]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      expect(stacksOf(root).map((f) => [f, readFileSync(join(root, "stacks", f), "utf8")])).toEqual(before);
    });
  }

  it("refuses a platform that does not exist, and a plan that is not one", async () => {
    const root = fleetRoot();
    const a = await cli(root, ["tenant", "add", "x", "--platform", "nowhere", "--plan", "small", "--domain", "x.fr"]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/platform stack nowhere does not exist/);
    const b = await cli(root, ["tenant", "add", "x", "--platform", "hebergeur-plateforme", "--plan", "huge", "--domain", "x.fr"]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--plan "huge" is not a plan: use one of small, medium, large/);
    expect(existsSync(join(root, "stacks", "Pulumi.x.yaml"))).toBe(false);
  });

  it("conflicts: prefixes clash both ways, hostnames exactly", () => {
    const other = { stack: "t1", organization: "abc", hostnames: tenantHostnames(["wiki"], "abc.fr") };
    expect(conflicts({ stack: "t2", organization: "ab", hostnames: [] }, [other]).map((c) => c.what)).toEqual([]);
    expect(conflicts({ stack: "t2", organization: "abc-x", hostnames: [] }, [other]).map((c) => c.what)).toEqual(["namespace prefix"]);
    expect(conflicts({ stack: "t2", organization: "x", hostnames: ["wiki.abc.fr"] }, [other]).map((c) => c.what)).toEqual(["hostname"]);
  });
});

describe("socle tenant list", () => {
  it("shows the fleet with plan, users, apps and the last verdict, as JSON and as a table", async () => {
    const root = fleetRoot();
    mkdirSync(join(root, "out", "tenant-exemple-a"), { recursive: true });
    writeFileSync(join(root, "out", "tenant-exemple-a", "report.json"), JSON.stringify({ schemaVersion: 1, context: { allowedRegions: [] }, result: "fail", controls: [] }));
    mkdirSync(join(root, "out", "tenant-exemple-b"), { recursive: true });
    writeFileSync(join(root, "out", "tenant-exemple-b", "state.json"), "{}");
    const j = await cli(root, ["tenant", "list", "--platform", "hebergeur-plateforme", "--format", "json"]);
    expect(j.code, j.err).toBe(0);
    const rows = (JSON.parse(j.out) as { tenants: { tenant: string; plan: string; users: number; apps: string[]; lastVerdict: string; domain: string }[] }).tenants;
    expect(rows.map((r) => [r.tenant, r.plan, r.users, r.lastVerdict])).toEqual([
      ["tenant-exemple-a", "small", 500, "fail"],
      ["tenant-exemple-b", "medium", 5000, "rendered"],
    ]);
    expect(rows[0]!.apps).toEqual(["identity", "mail", "wiki"]);
    expect(rows[0]!.domain).toBe("tenant-a.hebergeur.test");
    const t = await cli(root, ["tenant", "list"]);
    expect(t.code, t.err).toBe(0);
    expect(t.out).toMatch(/tenant-exemple-b\s+hebergeur-plateforme\s+medium\s+≤ 5,000/);
    expect(t.out).toMatch(/2 tenant\(s\)/);
    expect(PLAN_USER_CEILING).toEqual({ small: 500, medium: 5000, large: 50000 });
  });

  it("a tenant just added appears with verdict never", async () => {
    const root = fleetRoot();
    expect((await cli(root, ["tenant", "add", "mairie-e", "--platform", "hebergeur-plateforme", "--plan", "small", "--domain", "mairie-e.fr"])).code).toBe(0);
    const j = await cli(root, ["tenant", "list", "--format", "json"]);
    const rows = (JSON.parse(j.out) as { tenants: { tenant: string; lastVerdict: string }[] }).tenants;
    expect(rows.find((r) => r.tenant === "mairie-e")?.lastVerdict).toBe("never");
  });
});

describe("socle tenant remove (through main)", () => {
  it("refuses an unknown tenant with exit 2", async () => {
    let err = "";
    const code = await main(["tenant", "remove", "no-such-tenant-here"], { out: () => {}, err: (s) => void (err += s) });
    expect(code).toBe(2);
    expect(err).toMatch(/unknown tenant "no-such-tenant-here"/);
  });
});
