/**
 * `socle:monitoring.nodeCidrs`: the nodes' address ranges Prometheus scrapes the kubelets at. Parsed, bounded and
 * defaulted: the setting, else the cloud network the stack provisions its nodes in, else none.
 */
import { describe, expect, it } from "vitest";
import { parseConfig, type ConfigIssue } from "../../src/config";
import { configIssues } from "./issues-of";
import { LIMITS } from "../../src/config/schema";

const ctx = { project: "socle", stack: "t", file: "stacks/Pulumi.t.yaml" };
const existing = {
  kind: "platform",
  organization: "hebergeur",
  organizationName: "Hébergeur",
  domain: "hebergeur.example.fr",
  target: "existing",
  adminCidrs: ["192.0.2.0/24"],
};
const outscale = { ...existing, kind: "dedicated", apps: ["wiki"], target: "outscale", outscale: { objectStorageEndpoint: "https://oos.cloudgouv-eu-west-1.outscale.com" } };
const openstack = {
  ...existing,
  kind: "dedicated",
  apps: ["wiki"],
  target: "openstack",
  region: "r1",
  openstack: {
    externalNetwork: "ext",
    qualifiedRegions: ["r1"],
    image: "img",
    controlPlaneFlavor: "c2.m4",
    workerPools: [{ name: "w", flavor: "c4.m16", count: 3 }],
    objectStorageEndpoint: "https://s3.example.invalid",
  },
};

const issuesOf = (raw: Record<string, unknown>): ConfigIssue[] => configIssues(raw, ctx);

describe("socle:monitoring.nodeCidrs", () => {
  it("defaults to none on target existing: the nodes' ranges are the cluster's, socle does not know them", () => {
    expect(parseConfig(existing, ctx).monitoring).toEqual({ nodeCidrs: [], source: "none" });
  });

  it("defaults to the cloud network (networkCidr) when the stack provisions the cluster", () => {
    expect(parseConfig(openstack, ctx).monitoring).toEqual({ nodeCidrs: ["10.20.0.0/16"], source: "cloud network" });
    expect(parseConfig({ ...openstack, openstack: { ...openstack.openstack, networkCidr: "10.44.0.0/20" } }, ctx).monitoring.nodeCidrs).toEqual(["10.44.0.0/20"]);
    expect(parseConfig(outscale, ctx).monitoring).toEqual({ nodeCidrs: ["10.30.0.0/16"], source: "cloud network" });
  });

  it("takes the setting when given, deduplicated and sorted (same bytes whatever the order)", () => {
    const m = parseConfig({ ...existing, monitoring: { nodeCidrs: ["192.168.4.0/24", "10.10.0.0/24", "192.168.4.0/24"] } }, ctx).monitoring;
    expect(m).toEqual({ nodeCidrs: ["10.10.0.0/24", "192.168.4.0/24"], source: "setting" });
    expect(parseConfig({ ...openstack, monitoring: { nodeCidrs: ["10.20.1.0/24"] } }, ctx).monitoring.nodeCidrs).toEqual(["10.20.1.0/24"]);
  });

  it("refuses what is not an IPv4 CIDR, host bits, a range larger than a /8, an empty or oversized list, an unknown key", () => {
    const at = (nodeCidrs: unknown) => issuesOf({ ...existing, monitoring: { nodeCidrs } }).map((i) => [i.path, i.problem]);
    expect(at(["nodes"])).toEqual([["socle:monitoring.nodeCidrs[0]", expect.stringMatching(/is not an IPv4 CIDR such as 10\.0\.0\.0\/16/)]]);
    expect(at(["10.10.0.1/24"])).toEqual([["socle:monitoring.nodeCidrs[0]", expect.stringMatching(/is not an IPv4 CIDR/)]]);
    expect(at(["10.10.0.0/24", "0.0.0.0/0"])).toEqual([["socle:monitoring.nodeCidrs[1]", expect.stringMatching(/larger than a \/8: give the nodes' own ranges, not the Internet/)]]);
    expect(at([])).toEqual([["socle:monitoring.nodeCidrs", expect.stringMatching(/at least one CIDR/)]]);
    expect(at(Array.from({ length: LIMITS.listEntries + 1 }, (_, i) => `10.${i}.0.0/16`)).map(([p]) => p)).toEqual(["socle:monitoring.nodeCidrs"]);
    expect(issuesOf({ ...existing, monitoring: { nodeCidr: ["10.10.0.0/24"] } }).map((i) => i.path)).toEqual(["socle:monitoring.nodeCidr"]);
  });

  it("refuses the setting on a tenant stack (a tenant runs no Prometheus)", () => {
    const tenant = { ...existing, kind: "tenant", apps: ["wiki"], platformStack: "o/socle/platform", monitoring: { nodeCidrs: ["10.10.0.0/24"] } };
    const issues = issuesOf(tenant);
    expect(issues.map((i) => i.path)).toEqual(["socle:monitoring"]);
    expect(issues[0]!.problem).toMatch(/socle:kind is tenant/);
    expect(issues[0]!.fix).toMatch(/platform stack/);
  });
});
