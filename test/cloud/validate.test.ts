import { describe, expect, it } from "vitest";
import { validateCloud } from "../../components/cloud";
import type { CloudConfig, SocleConfig } from "../../src/config/schema";
import { ADMIN, openstackSettings, outscaleSettings } from "./fixtures";

const config = (cloud: CloudConfig, over: Partial<SocleConfig> = {}): SocleConfig => ({
  project: "socle",
  stack: "test",
  kind: "dedicated",
  organization: { id: "ministere-exemple", name: "Ministère Exemple" },
  domain: "ministere-exemple.gouv.fr",
  cloud,
  apps: ["identity"],
  sizing: "small",
  adminCidrs: ADMIN,
  tls: { issuer: "internal-ca" },
  gatewayClass: "envoy-gateway",
  logs: { retentionDays: 365 },
  backups: { retentionDays: 30 },
  monitoring: { nodeCidrs: [], source: "none" },
  ...over,
});
const paths = (c: SocleConfig) => validateCloud(c).map((i) => i.path);

describe("validateCloud", () => {
  it("accepts the example settings", () => {
    expect(validateCloud(config({ target: "openstack", region: "example-region-1", settings: openstackSettings() }))).toEqual([]);
    expect(validateCloud(config({ target: "outscale", region: "cloudgouv-eu-west-1", settings: outscaleSettings() }))).toEqual([]);
  });

  it("requires the encrypted volume type in mode magnum (magnum-capi-helm names storage classes after volume types)", () => {
    const { encryptedVolumeType: _, ...rest } = openstackSettings({ mode: "magnum", sshAccess: "disabled" });
    expect(paths(config({ target: "openstack", region: "example-region-1", settings: rest }))).toEqual(["socle:openstack.encryptedVolumeType"]);
  });

  it("refuses a region outside the allowlist unless overridden, naming the allowed values", () => {
    const [issue] = validateCloud(config({ target: "openstack", region: "other-1", settings: openstackSettings() }));
    expect(issue).toMatchObject({ path: "socle:region", value: "other-1", allowed: "example-region-1" });
    expect(paths(config({ target: "openstack", region: "other-1", settings: openstackSettings({ allowUnqualifiedRegion: true }) }))).toEqual([]);
    const [osc] = validateCloud(config({ target: "outscale", region: "eu-west-2", settings: outscaleSettings({ subregions: ["eu-west-2a"] }) }));
    expect(osc).toMatchObject({ path: "socle:region", allowed: "cloudgouv-eu-west-1" });
    expect(paths(config({ target: "outscale", region: "eu-west-2", settings: outscaleSettings({ subregions: ["eu-west-2a"], allowNonQualifiedRegion: true }) }))).toEqual([]);
  });

  it("reports a node network overlapping the pod network or an admin network, and one too small for its subnets", () => {
    expect(validateCloud(config({ target: "openstack", region: "example-region-1", settings: openstackSettings({ networkCidr: "10.42.0.0/20" }) }))[0]).toMatchObject({
      path: "socle:openstack.networkCidr",
      problem: expect.stringContaining("pod network"),
    });
    expect(paths(config({ target: "openstack", region: "example-region-1", settings: openstackSettings() }, { adminCidrs: ["10.20.5.0/24"] }))).toEqual(["socle:adminCidrs[0]"]);
    expect(paths(config({ target: "outscale", region: "cloudgouv-eu-west-1", settings: outscaleSettings({ networkCidr: "10.30.0.0/27" }) }))).toEqual(["socle:outscale.networkCidr"]);
  });

  it("reports missing settings, region, OKS version, image, foreign subregions and undersized pools", () => {
    expect(paths(config({ target: "openstack", region: "example-region-1", settings: undefined as never }))).toEqual(["socle:openstack"]);
    expect(paths(config({ target: "openstack", region: "", settings: openstackSettings() }))).toEqual(["socle:region"]);
    expect(paths(config({ target: "outscale", region: "cloudgouv-eu-west-1", settings: outscaleSettings({ mode: "oks", kubernetesVersion: undefined }) }))).toEqual(["socle:outscale.kubernetesVersion"]);
    expect(paths(config({ target: "outscale", region: "cloudgouv-eu-west-1", settings: outscaleSettings({ imageId: undefined }) }))).toEqual(["socle:outscale.imageId"]);
    expect(paths(config({ target: "outscale", region: "cloudgouv-eu-west-1", settings: outscaleSettings({ subregions: ["eu-west-2a"] }) }))).toEqual(["socle:outscale.subregions[0]"]);
    expect(paths(config({ target: "openstack", region: "example-region-1", settings: openstackSettings() }, { sizing: "large" }))).toEqual(["socle:openstack.workerPools"]);
  });

  it("has nothing to check on an existing cluster", () => {
    expect(validateCloud(config({ target: "existing", region: "on-premises", settings: { storageClass: "standard", region: "on-premises" } }))).toEqual([]);
  });
});

describe("validateCloud: socle:monitoring.nodeCidrs on a cluster the stack provisions", () => {
  const os = (nodeCidrs: string[]) => config({ target: "openstack", region: "example-region-1", settings: openstackSettings() }, { monitoring: { nodeCidrs, source: "setting" } });
  it("accepts node ranges inside the cloud network", () => {
    expect(validateCloud(os(["10.20.1.0/24", "10.20.2.0/24"]))).toEqual([]);
  });
  it("refuses a range over the pod or service network: Prometheus' kubelet egress would reach pods there", () => {
    const issues = validateCloud(os(["10.20.1.0/24", "10.42.0.0/24", "10.0.0.0/8"]));
    expect(issues.map((i) => [i.path, i.value])).toEqual([
      ["socle:monitoring.nodeCidrs", "10.42.0.0/24"],
      ["socle:monitoring.nodeCidrs", "10.0.0.0/8"],
      ["socle:monitoring.nodeCidrs", "10.0.0.0/8"],
    ]);
    expect(issues[0]!.problem).toMatch(/overlaps the Kubernetes pod network \(10\.42\.0\.0\/16\)/);
    expect(issues[2]!.problem).toMatch(/service network \(10\.43\.0\.0\/16\)/);
    expect(issues[0]!.fix).toMatch(/remove socle:monitoring to use socle:openstack\.networkCidr/);
  });
  it("leaves the default (the cloud network, already checked against them) alone", () => {
    const c = config({ target: "openstack", region: "example-region-1", settings: openstackSettings() }, { monitoring: { nodeCidrs: ["10.20.0.0/16"], source: "cloud network" } });
    expect(validateCloud(c)).toEqual([]);
  });
});
