import { describe, expect, it } from "vitest";
import { control as adminPorts } from "../../../policies/controls/cloud/admin-ports";
import { control as antiAffinity } from "../../../policies/controls/cloud/anti-affinity";
import { control as encryption } from "../../../policies/controls/cloud/encryption-at-rest";
import { control as euJurisdiction } from "../../../policies/controls/cloud/eu-jurisdiction";
import { control as attestation } from "../../../policies/controls/cloud/provider-attestation";
import { control as regions } from "../../../policies/controls/cloud/region-allowlist";
import { UNKNOWN_MARKER } from "../../../policies/controls/lib/values";
import { apiRule, container, controlPlaneInstance, outscaleRule, outscaleVm, serverGroup, volume } from "../fixtures/cloud";
import { cloud, context, failed, run, stack, urnOf, violationsOf } from "../fixtures/views";

const ENCRYPTED = { encryptionAtRest: { volumeTypes: ["encrypted-ssd"], objectStorage: true } };

describe("snc-cloud-region-allowlist", () => {
  const provider = cloud("pulumi:providers:openstack", "default", { region: "cloudgouv-eu-west-1" });
  const compliant = () => [stack({ region: "cloudgouv-eu-west-1" }), provider, volume(), cloud("outscale:index/volume:Volume", "v", { subregionName: "cloudgouv-eu-west-1a" })];

  it("passes resources in allowed regions, by own region, subregion or provider", () => {
    const inherited = cloud("openstack:compute/instance:Instance", "vm", {}, { provider: `${urnOf("pulumi:providers:openstack", "default")}::provider-id` });
    const results = run(regions, [...compliant(), inherited]);
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.note)).toContain("region cloudgouv-eu-west-1 (from provider default region) is allowed");
    expect(results.length).toBe(5);
  });

  it("fails a volume in another region, naming the region and the property", () => {
    expect(violationsOf(run(regions, [...compliant().slice(0, 2), volume({ region: "us-east-1" })]))).toEqual([
      { resource: "data", message: "region us-east-1 (from region) is not an allowed region (allowed: cloudgouv-eu-west-1)", path: "region" },
    ]);
  });

  it("fails an Outscale subregion of another region", () => {
    const v = cloud("outscale:index/volume:Volume", "v", { subregionName: "eu-west-2a" });
    expect(violationsOf(run(regions, [v]))).toEqual([{ resource: "v", message: "region eu-west-2 (from subregionName) is not an allowed region (allowed: cloudgouv-eu-west-1)", path: "subregionName" }]);
  });

  it("fails the stack's own region", () => {
    expect(violationsOf(run(regions, [stack({ region: "eu-west-2" })]))[0]).toMatchObject({ message: expect.stringMatching(/stack's region eu-west-2/), path: "socle.region" });
  });

  it("does not apply to a resource with no region, nor to a value unknown during preview", () => {
    const results = run(regions, [cloud("openstack:compute/instance:Instance", "vm", { region: UNKNOWN_MARKER })]);
    expect(results.map((r) => r.status)).toEqual(["notApplicable"]);
  });
});

describe("snc-cloud-eu-jurisdiction", () => {
  it("passes an EU provider and sovereign packages", () => {
    const results = run(euJurisdiction, [stack({}), volume(), cloud("pulumi:providers:openstack", "default", {})]);
    expect(results.map((r) => r.status)).toEqual(["pass"]);
  });

  it("fails every resource of a non-EU cloud package, providers included", () => {
    const results = run(euJurisdiction, [stack({}), cloud("aws:s3/bucket:Bucket", "b", {}), cloud("pulumi:providers:azure-native", "az", {})]);
    expect(violationsOf(results)).toEqual([
      { resource: "b", message: "aws:s3/bucket:Bucket is a resource of package aws: Amazon Web Services (United States), subject to extra-European law" },
      { resource: "az", message: "pulumi:providers:azure-native is a resource of package azure-native: Microsoft Azure (United States), subject to extra-European law" },
    ]);
  });

  it("fails a declared provider outside EU jurisdiction", () => {
    const ctx = context({ provider: { ...context().provider!, euJurisdiction: false } });
    expect(violationsOf(run(euJurisdiction, [stack({})], ctx))).toEqual([
      { resource: "socle-test", message: "the declared hosting provider Outscale is not under EU jurisdiction", path: "socle.provider.euJurisdiction" },
    ]);
  });

  it("reports notApplicable at stack level when no provider is declared", () => {
    const { provider: _provider, ...rest } = context();
    expect(run(euJurisdiction, [], rest).map((r) => [r.status, r.resource.type])).toEqual([["notApplicable", "pulumi:pulumi:Stack"]]);
  });
});

describe("snc-cloud-provider-attestation", () => {
  it("passes a valid qualification", () => {
    const [r] = run(attestation, [stack({})]);
    expect(r).toMatchObject({ status: "pass", note: "Outscale: qualification TEST-QUALIF-REF valid until 2027-01-01" });
  });

  it("fails an expired qualification", () => {
    const ctx = context({ provider: { ...context().provider!, qualificationExpires: "2026-02-28" } });
    expect(violationsOf(run(attestation, [stack({})], ctx))).toEqual([
      { resource: "socle-test", message: "the qualification of Outscale expired on 2026-02-28 (evaluated on 2026-03-01)", path: "socle.provider.qualificationExpires" },
    ]);
  });

  it("passes on the expiry day itself", () => {
    const ctx = context({ provider: { ...context().provider!, qualificationExpires: "2026-03-01" } });
    expect(failed(run(attestation, [], ctx))).toEqual([]);
  });

  it("fails an empty reference and a malformed date", () => {
    const ctx = context({ provider: { ...context().provider!, qualificationReference: " ", qualificationExpires: "01/01/2027" } });
    expect(violationsOf(run(attestation, [], ctx)).map((v) => v.path)).toEqual(["socle.provider.qualificationReference", "socle.provider.qualificationExpires"]);
  });

  it("fails a stack without provider, and does not apply without stack metadata", () => {
    const { provider: _provider, ...rest } = context();
    expect(violationsOf(run(attestation, [], rest))).toEqual([{ resource: "deployment", message: "the stack declares no hosting provider attestation", path: "socle.provider" }]);
    expect(run(attestation, [], { ...rest, hasStackMetadata: false }).map((r) => r.status)).toEqual(["notApplicable"]);
  });
});

describe("snc-cloud-admin-ports", () => {
  it("passes administration ports restricted to a private range, and egress rules are not concerned", () => {
    const results = run(adminPorts, [apiRule(), outscaleRule(), apiRule({ direction: "egress", remoteIpPrefix: "0.0.0.0/0" })]);
    expect(results.map((r) => r.status)).toEqual(["pass", "pass"]);
  });

  it("fails the Kubernetes API open to 0.0.0.0/0", () => {
    expect(violationsOf(run(adminPorts, [apiRule({ remoteIpPrefix: "0.0.0.0/0" })]))).toEqual([{ resource: "api", message: "Kubernetes API port 6443 is open to 0.0.0.0/0", path: "remoteIpPrefix" }]);
  });

  it("treats a rule without remote prefix nor group as open to all", () => {
    expect(violationsOf(run(adminPorts, [apiRule({ remoteIpPrefix: undefined })]))[0]!.message).toBe("Kubernetes API port 6443 is open to any source (no remoteIpPrefix nor remoteGroupId)");
  });

  it("passes a public HTTPS rule, which is no administration port", () => {
    expect(failed(run(adminPorts, [apiRule({ remoteIpPrefix: "0.0.0.0/0", portRangeMin: 443, portRangeMax: 443 })]))).toEqual([]);
  });

  it("fails every administration port of an all-protocol rule open to ::/0", () => {
    const messages = violationsOf(run(adminPorts, [apiRule({ protocol: undefined, portRangeMin: undefined, portRangeMax: undefined, remoteIpPrefix: "::/0" })])).map((v) => v.message);
    expect(messages).toContain("SSH port 22 is open to ::/0");
    expect(messages).toContain("kubelet API port 10250 is open to ::/0");
    expect(messages.length).toBe(8);
  });

  it("judges address ranges, not their spelling: eight ranges covering the Internet but 10/8 fail", () => {
    const eight = ["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1"];
    const results = run(adminPorts, eight.map((remoteIpPrefix) => apiRule({ remoteIpPrefix })));
    expect(failed(results)).toHaveLength(8);
    expect(violationsOf(results)[7]!.message).toBe("Kubernetes API port 6443 is open to 128.0.0.0/1, a range larger than a /16 (2147483648 addresses)");
  });

  it("fails a private range larger than the limit, and honours the stack's limit", () => {
    expect(violationsOf(run(adminPorts, [apiRule({ remoteIpPrefix: "10.0.0.0/8" })]))[0]!.message).toMatch(/larger than a \/16/);
    expect(failed(run(adminPorts, [apiRule({ remoteIpPrefix: "10.0.0.0/16" })]))).toEqual([]);
    expect(failed(run(adminPorts, [apiRule({ remoteIpPrefix: "10.0.0.0/16" })], context({ adminMinPrefix: 24 })))).toHaveLength(1);
  });

  it("fails many small public ranges that together exceed one /16", () => {
    const ranges = Array.from({ length: 3 }, (_, i) => `203.${i}.0.0/17`);
    const results = run(adminPorts, [...ranges.map((remoteIpPrefix) => apiRule({ remoteIpPrefix })), apiRule({ remoteIpPrefix: "10.0.0.0/16" })]);
    expect(failed(results)).toHaveLength(3);
    expect(violationsOf(results)[0]!.message).toMatch(/open to 98304 public IPv4 addresses across all rules \(more than one \/16, 65536\); 203\.0\.0\.0\/17 is one of them/);
    // Private addresses do not count towards the public total.
    expect(failed(run(adminPorts, [apiRule({ remoteIpPrefix: "10.0.0.0/16" }), apiRule({ remoteIpPrefix: "10.1.0.0/16" }), apiRule({ remoteIpPrefix: "192.0.2.0/24" })]))).toEqual([]);
  });

  it("fails a source that is not an address range, with a bounded excerpt", () => {
    const m = violationsOf(run(adminPorts, [apiRule({ remoteIpPrefix: "everyone".repeat(100) })]))[0]!.message;
    expect(m).toMatch(/which is not an address range$/);
    expect(m.length).toBeLessThan(160);
  });

  it("fails Outscale SSH open to the world, by ipRange or by rules[].ipRanges", () => {
    expect(violationsOf(run(adminPorts, [outscaleRule({ ipRange: "0.0.0.0/0" })]))).toEqual([{ resource: "ssh", message: "SSH port 22 is open to 0.0.0.0/0", path: "ipRange" }]);
    const viaRules = outscaleRule({ ipRange: undefined, fromPortRange: undefined, toPortRange: undefined, rules: [{ ipProtocol: "tcp", fromPortRange: 6443, toPortRange: 6443, ipRanges: ["10.0.0.0/16", "0.0.0.0/0"] }] });
    expect(violationsOf(run(adminPorts, [viaRules]))).toEqual([{ resource: "ssh", message: "Kubernetes API port 6443 is open to 0.0.0.0/0", path: "rules[0].ipRanges" }]);
  });
});

describe("snc-cloud-encryption-at-rest", () => {
  const instance = controlPlaneInstance("cp-0");
  const compliant = () => [stack(ENCRYPTED), volume(), container(), instance];

  it("passes volumes, boot volumes and containers covered by the declaration", () => {
    const results = run(encryption, compliant());
    expect(results.map((r) => r.status)).toEqual(["pass", "pass", "pass"]);
  });

  it("fails a volume of a type not declared encrypted", () => {
    expect(violationsOf(run(encryption, [stack(ENCRYPTED), volume({ volumeType: "classic" })]))).toEqual([
      { resource: "data", message: "the volume has volume type classic, which is not declared encrypted: declare it in the stack file, in `socle:provider.encryptionAtRest` (blockStorage, objectStorage) or, on OpenStack, as `socle:openstack.encryptedVolumeType` (see docs/controls.md)", path: "volumeType" },
    ]);
  });

  it("fails an instance booting from a local ephemeral disk", () => {
    const local = controlPlaneInstance("cp-0", { blockDevices: undefined });
    expect(violationsOf(run(encryption, [stack(ENCRYPTED), local]))[0]).toMatchObject({ path: "blockDevices", message: expect.stringMatching(/local ephemeral disk/) });
  });

  it("fails a boot volume of an undeclared type", () => {
    const plain = controlPlaneInstance("cp-0", { blockDevices: [{ sourceType: "image", destinationType: "volume", bootIndex: 0, volumeType: "classic" }] });
    expect(violationsOf(run(encryption, [stack(ENCRYPTED), plain]))[0]!.path).toBe("blockDevices[0].volumeType");
  });

  it("fails containers when object storage is not declared encrypted", () => {
    const results = run(encryption, [stack({ encryptionAtRest: { volumeTypes: ["encrypted-ssd"] } }), container()]);
    expect(violationsOf(results).map((v) => v.message)).toEqual([expect.stringMatching(/object storage is not declared encrypted at rest/)]);
  });

  it("accepts a provider-wide block storage declaration, for Outscale volumes and VMs too", () => {
    const results = run(encryption, [stack({ encryptionAtRest: { blockStorage: true } }), volume({ volumeType: "classic" }), cloud("outscale:index/volume:Volume", "v", {}), outscaleVm("vm", "cloudgouv-eu-west-1a")]);
    expect(results.map((r) => r.status)).toEqual(["pass", "pass", "pass"]);
  });

  it("fails everything when the stack declares nothing", () => {
    expect(failed(run(encryption, [volume(), container(), instance])).length).toBe(3);
  });
});

describe("snc-cloud-anti-affinity", () => {
  const compliant = () => [serverGroup(), controlPlaneInstance("cp-0"), controlPlaneInstance("cp-1"), controlPlaneInstance("worker", { metadata: {} })];

  it("passes control-plane instances in an anti-affinity server group, ignoring workers", () => {
    const results = run(antiAffinity, compliant());
    expect(results.map((r) => [r.resource.name, r.status])).toEqual([["cp-0", "pass"], ["cp-1", "pass"]]);
  });

  it("fails a soft-anti-affinity or affinity group", () => {
    const results = run(antiAffinity, [serverGroup(["soft-anti-affinity"]), controlPlaneInstance("cp-0")]);
    expect(violationsOf(results)).toEqual([{ resource: "cp-0", message: 'server group control-plane has policies ["soft-anti-affinity"], not the hard `anti-affinity` policy', path: "schedulerHints[0].group" }]);
  });

  it("fails an instance without scheduler hint, or one naming an unknown group", () => {
    expect(violationsOf(run(antiAffinity, [serverGroup(), controlPlaneInstance("cp-0", { schedulerHints: undefined })]))[0]!.path).toBe("schedulerHints");
    expect(violationsOf(run(antiAffinity, [serverGroup(), controlPlaneInstance("cp-0", { schedulerHints: [{ group: "other" }] })]))[0]!.message).toBe("scheduler hint group other is not a server group of this stack");
  });

  it("does not decide while the group id is unknown (preview)", () => {
    expect(run(antiAffinity, [serverGroup(), controlPlaneInstance("cp-0", { schedulerHints: [{ group: UNKNOWN_MARKER }] })]).map((r) => r.status)).toEqual(["notApplicable"]);
  });

  it("checks Outscale control-plane VMs span subregions", () => {
    expect(failed(run(antiAffinity, [outscaleVm("a", "cloudgouv-eu-west-1a"), outscaleVm("b", "cloudgouv-eu-west-1b"), outscaleVm("w", "cloudgouv-eu-west-1a", "worker")]))).toEqual([]);
    const same = run(antiAffinity, [outscaleVm("a", "cloudgouv-eu-west-1a"), outscaleVm("b", "cloudgouv-eu-west-1a")]);
    expect(violationsOf(same).map((v) => v.message)).toEqual(["all 2 control-plane VMs are in subregion cloudgouv-eu-west-1a", "all 2 control-plane VMs are in subregion cloudgouv-eu-west-1a"]);
    expect(violationsOf(run(antiAffinity, [outscaleVm("a", undefined)]))[0]!.path).toBe("placementSubregionName");
  });
});
