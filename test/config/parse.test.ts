import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, type ConfigIssue } from "../../src/config";
import { configIssues } from "./issues-of";

const ctx = { project: "socle", stack: "t", file: "stacks/Pulumi.t.yaml" };
const valid = {
  kind: "dedicated",
  organization: "ministere",
  organizationName: "Ministère",
  domain: "ministere.example.fr",
  target: "existing",
  apps: ["wiki"],
  adminCidrs: ["192.0.2.0/24"],
};

const issuesOf = (raw: Record<string, unknown>): ConfigIssue[] => configIssues(raw, ctx);

describe("parseConfig", () => {
  it("returns the typed configuration with defaults and identity added for apps", () => {
    const config = parseConfig(valid, ctx);
    expect(config.kind).toBe("dedicated");
    expect(config.apps).toEqual(["identity", "wiki"]);
    expect(config.sizing).toBe("small");
    expect(config.cloud).toMatchObject({ target: "existing", settings: { storageClass: "standard" } });
    expect(config.tls.issuer).toBe("internal-ca");
    expect(config.logs.retentionDays).toBe(365);
  });

  it("names the key, the bad value and the allowed values of an enum", () => {
    const [issue] = issuesOf({ ...valid, kind: "dedicate" });
    expect(issue.path).toBe("socle:kind");
    expect(issue.value).toBe("dedicate");
    expect(issue.allowed).toBe("dedicated, platform, tenant");
    expect(issue.fix).toContain("dedicated, platform, tenant");
  });

  it("reports a missing required key", () => {
    const { domain: _omit, ...raw } = valid;
    const [issue] = issuesOf(raw);
    expect(issue).toMatchObject({ path: "socle:domain", value: undefined, problem: "is required" });
  });

  it("reports every error at once", () => {
    const issues = issuesOf({ ...valid, kind: "cluster", adminCidrs: ["10.0.0.1/8"], sizing: "huge", apps: ["wiki", "crm"] });
    expect(issues.map((i) => i.path).sort()).toEqual(["socle:adminCidrs[0]", "socle:apps[1]", "socle:kind", "socle:sizing"]);
    const cidr = issues.find((i) => i.path === "socle:adminCidrs[0]")!;
    expect(cidr.problem).toContain("IPv4 CIDR");
    expect(cidr.value).toBe("10.0.0.1/8");
  });

  it("rejects an unknown key and suggests the closest known one", () => {
    const [issue] = issuesOf({ ...valid, domian: "x.fr" });
    expect(issue.path).toBe("socle:domian");
    expect(issue.problem).toBe("is not a known setting");
    expect(issue.fix).toContain("socle:domain");
  });

  it("rejects an unknown key inside a target block with the block's keys as allowed", () => {
    const [issue] = issuesOf({ ...valid, existing: { storageClas: "x" } });
    expect(issue.path).toBe("socle:existing.storageClas");
    expect(issue.allowed).toContain("storageClass");
  });

  it("requires an admin allowlist", () => {
    const [issue] = issuesOf({ ...valid, adminCidrs: [] });
    expect(issue.path).toBe("socle:adminCidrs");
    expect(issue.problem).toContain("at least one CIDR");
  });

  it("requires the openstack block and region for target openstack", () => {
    const issues = issuesOf({ ...valid, target: "openstack" });
    expect(issues.map((i) => i.path).sort()).toEqual(["socle:openstack", "socle:region"]);
  });

  it("rejects settings of another target", () => {
    const [issue] = issuesOf({ ...valid, outscale: { objectStorageEndpoint: "https://s3.example.invalid" } });
    expect(issue.path).toBe("socle:outscale");
    expect(issue.fix).toContain("socle:target");
  });

  it("requires platformStack on tenant stacks and refuses it elsewhere", () => {
    expect(issuesOf({ ...valid, kind: "tenant" }).map((i) => i.path)).toEqual(["socle:platformStack"]);
    expect(issuesOf({ ...valid, platformStack: "o/p/s" }).map((i) => i.path)).toEqual(["socle:platformStack"]);
  });

  it("socle:tenants: a platform's list of stack names, sorted; refused elsewhere, twice, naming itself, or off target existing", () => {
    const { apps: _apps, ...base } = valid;
    const platform = { ...base, kind: "platform" };
    expect(parseConfig({ ...platform, tenants: ["t-b", "t-a"] }, ctx).tenants).toEqual(["t-a", "t-b"]);
    expect(parseConfig(platform, ctx).tenants).toEqual([]);
    expect(issuesOf({ ...valid, tenants: ["t-a"] }).map((i) => [i.path, i.problem])).toEqual([["socle:tenants", "lists the tenants a platform binds, but socle:kind is dedicated"]]);
    expect(issuesOf({ ...platform, tenants: ["t-a", "t-a"] }).map((i) => [i.path, i.problem])).toEqual([["socle:tenants[1]", "is listed twice"]]);
    expect(issuesOf({ ...platform, tenants: ["t"] }).map((i) => [i.path, i.problem])).toEqual([["socle:tenants[0]", "is this platform stack itself"]]);
    expect(issuesOf({ ...platform, tenants: ["no/slash"] })[0]!.path).toMatch(/^socle:tenants/);
    const outscale = { ...platform, target: "outscale", outscale: { objectStorageEndpoint: "https://oos.cloudgouv-eu-west-1.outscale.com" }, tenants: ["t-a"] };
    expect(issuesOf(outscale).map((i) => i.path)).toContain("socle:tenants");
  });

  it("keeps apps out of platform stacks", () => {
    expect(issuesOf({ ...valid, kind: "platform" }).map((i) => i.path)).toEqual(["socle:apps"]);
    const { apps: _omit, ...raw } = valid;
    expect(parseConfig({ ...raw, kind: "platform" }, ctx).apps).toEqual([]);
  });

  it("requires an ACME server when the issuer is acme", () => {
    expect(issuesOf({ ...valid, tlsIssuer: "acme" }).map((i) => i.path)).toEqual(["socle:acmeServer"]);
  });

  it("explains a wrong type", () => {
    const [issue] = issuesOf({ ...valid, apps: "wiki" });
    expect(issue.path).toBe("socle:apps");
    expect(issue.problem).toContain("must be an array");
  });

  it("runs contributed cross-field checks only on an otherwise valid configuration", () => {
    const check = () => [{ path: "socle:region", value: "x", problem: "is not qualified", fix: "pick another" }];
    expect(() => parseConfig(valid, ctx, [check])).toThrow(ConfigError);
    expect(issuesOf({ ...valid, kind: "nope" })).toHaveLength(1);
  });
});

describe("many unknown keys", () => {
  it("gives a bounded message for 20,000 unknown keys (speed is a budget in bench/config-validation.ts)", async () => {
    const { parseStackFileText } = await import("../../src/config/stack-file");
    const { formatConfigError } = await import("../../src/cli/format");
    const { ConfigError: CE, parseConfig: parse } = await import("../../src/config");
    const lines = ["config:", "  socle:kind: dedicated", "  socle:organization: demo", "  socle:organizationName: Demo", "  socle:domain: demo.socle.test", "  socle:target: existing", "  socle:adminCidrs: [192.0.2.0/24]"];
    for (let i = 0; i < 20_000; i++) lines.push(`  socle:unknownKey${i}: ${"v".repeat(i % 500)}`);
    const sf = parseStackFileText(lines.join("\n") + "\n", "stacks/Pulumi.k.yaml", "k", "socle");
    let message = "";
    try {
      parse(sf.socle, { project: "socle", stack: "k", file: "stacks/Pulumi.k.yaml", lineOf: sf.lineOf });
    } catch (e) {
      expect(e).toBeInstanceOf(CE);
      message = formatConfigError(e as InstanceType<typeof CE>, "/");
    }
    expect(message).toMatch(/^socle: stacks\/Pulumi\.k\.yaml: 20000 configuration errors\n  1\. socle:unknownKey0 \(line 8\)/);
    expect(message).toMatch(/… and 19980 more: correct these first\n$/);
    expect(message.length).toBeLessThan(8000);
  }, 60_000);
});
