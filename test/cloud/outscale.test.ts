import { provisionCloud } from "../../components/cloud";
import { beforeAll, describe, expect, it } from "vitest";
import { OUTSCALE_RESOURCES_V1_8_0, outscaleToken } from "../../components/cloud/outscale/provider";
import { ofType, quiesce, recordRegistrations, settle, type Recorded } from "./mocks";
import { ADMIN, outscaleSettings } from "./fixtures";

const monitor = recordRegistrations();

let records: Recorded[];
const contract = provisionCloud("cluster", {
  cloud: { target: "outscale", region: "cloudgouv-eu-west-1", settings: outscaleSettings({ sshAccess: "bastion" }) },
  organization: { id: "ministere-exemple", name: "Ministère Exemple" },
  adminCidrs: ADMIN,
  sizing: "small",
  domain: "ministere-exemple.gouv.fr",
});

beforeAll(async () => {
  await settle(contract.apiEndpoint);
  await quiesce(monitor);
  records = monitor.records;
});

const tag = (r: Recorded, key: string) => (r.inputs.tags as { key: string; value: string }[]).find((t) => t.key === key)?.value;

describe("Outscale target, mode vms", () => {
  it("uses the Terraform-bridged type tokens under one OutscaleCluster component", () => {
    const [component] = ofType(records, "socle:cloud:OutscaleCluster");
    const osc = records.filter((r) => r.type.startsWith("outscale:index/"));
    expect(osc.every((r) => r.parent === component!.urn)).toBe(true);
    for (const t of ["net:Net", "subnet:Subnet", "internetService:InternetService", "natService:NatService", "routeTable:RouteTable", "route:Route", "securityGroup:SecurityGroup", "securityGroupRule:SecurityGroupRule", "vm:Vm", "loadBalancer:LoadBalancer", "publicIp:PublicIp", "accessKey:AccessKey"]) {
      expect(ofType(records, `outscale:index/${t}`).length, t).toBeGreaterThan(0);
    }
  });

  it("registers only resource types terraform-provider-outscale v1.8.0 has", () => {
    const released = new Set(OUTSCALE_RESOURCES_V1_8_0.map(outscaleToken));
    const used = new Set(records.filter((r) => r.type.startsWith("outscale:")).map((r) => r.type));
    expect([...used].filter((t) => !released.has(t))).toEqual([]);
    expect(outscaleToken("load_balancer_vms")).toBe("outscale:index/loadBalancerVms:LoadBalancerVms");
  });

  it("creates every security group without the default allow-all outbound rule, and restricts egress", () => {
    for (const g of ofType(records, "outscale:index/securityGroup:SecurityGroup")) expect(g.inputs.removeDefaultOutboundRule).toBe(true);
    const outbound = ofType(records, "outscale:index/securityGroupRule:SecurityGroupRule").filter((r) => r.inputs.flow === "Outbound");
    const nodes = outbound.filter((r) => r.name.startsWith("cluster-nodes-egress-"));
    expect(nodes.map((r) => r.name).sort()).toEqual(["cluster-nodes-egress-dns-tcp", "cluster-nodes-egress-dns-udp", "cluster-nodes-egress-https", "cluster-nodes-egress-metadata", "cluster-nodes-egress-network", "cluster-nodes-egress-ntp"]);
    expect(nodes.find((r) => r.name === "cluster-nodes-egress-metadata")!.inputs.rules[0]).toEqual({ ipProtocol: "tcp", fromPortRange: 80, toPortRange: 80, ipRanges: ["169.254.169.254/32"] });
    for (const r of outbound) for (const rule of r.inputs.rules) if ((rule.ipRanges ?? []).includes("0.0.0.0/0")) expect([443, 53, 123]).toContain(rule.fromPortRange);
  });

  it("spreads the three deletion-protected control-plane VMs over three subregions", () => {
    const cp = ofType(records, "outscale:index/vm:Vm").filter((v) => tag(v, "socle.io/role") === "control-plane");
    expect(cp).toHaveLength(3);
    expect(new Set(cp.map((v) => v.inputs.placementSubregionName)).size).toBe(3);
    for (const v of cp) expect(v).toMatchObject({ protect: true, inputs: { deletionProtection: true } });
    const userData = Buffer.from(cp[0]!.inputs.userData, "base64").toString("utf8");
    expect(userData).toMatch(/^#cloud-config\n/);
    expect(userData).toContain("profile: cis");
  });

  it("opens no administration port to 0.0.0.0/0; SSH only from the bastion, the bastion only from the admin networks", () => {
    const rules = ofType(records, "outscale:index/securityGroupRule:SecurityGroupRule").filter((r) => r.inputs.flow === "Inbound");
    for (const r of rules) {
      for (const rule of r.inputs.rules) {
        const world = (rule.ipRanges ?? []).includes("0.0.0.0/0");
        if (world) expect([80, 443]).toContain(rule.fromPortRange);
      }
    }
    const ssh = rules.filter((r) => r.inputs.rules[0].fromPortRange === 22);
    expect(ssh.map((r) => r.name).sort()).toEqual(["cluster-bastion-admin", "cluster-ssh-bastion"]);
    expect(ssh.find((r) => r.name === "cluster-bastion-admin")!.inputs.rules[0].ipRanges).toEqual(ADMIN);
  });

  it("puts the control plane behind the internal API load balancer and the workers behind the public gateway", () => {
    const lbs = ofType(records, "outscale:index/loadBalancer:LoadBalancer");
    const api = lbs.find((l) => l.inputs.loadBalancerType === "internal")!;
    const gw = lbs.find((l) => l.inputs.loadBalancerType === "internet-facing")!;
    expect(api.inputs.listeners.map((l: { loadBalancerPort: number }) => l.loadBalancerPort)).toEqual([6443, 9345]);
    expect(gw.inputs.listeners.map((l: { backendPort: number }) => l.backendPort)).toEqual([30080, 30443]);
    expect(gw.inputs.publicIp).toBe("203.0.113.20");
    for (const l of lbs) expect(l.inputs.loadBalancerName.length).toBeLessThanOrEqual(32);
    const backends = ofType(records, "outscale:index/loadBalancerVms:LoadBalancerVms");
    const ids = (name: string) => backends.find((b) => b.name === name)!.inputs.backendVmIds;
    expect(ids("cluster-api-backends")).toEqual(["cluster-cp-0-id", "cluster-cp-1-id", "cluster-cp-2-id"]);
    expect(ids("cluster-gateway-backends")).toEqual(["cluster-workers-0-id", "cluster-workers-1-id", "cluster-workers-2-id"]);
  });

  it("installs the Outscale cloud-controller-manager and BSU CSI, and the LUKS-encrypted default storage class", () => {
    const charts = ofType(records, "kubernetes:helm.cattle.io/v1:HelmChart");
    expect(charts.map((c) => c.inputs.metadata.name).sort()).toEqual(["osc-bsu-csi-driver", "osc-cloud-controller-manager"]);
    const classes = ofType(records, "kubernetes:storage.k8s.io/v1:StorageClass");
    const encrypted = classes.find((c) => c.inputs.metadata.name === "bsu-encrypted")!;
    expect(encrypted.inputs).toMatchObject({ provisioner: "bsu.csi.outscale.com", parameters: { encrypted: "true", "csi.storage.k8s.io/node-stage-secret-name": "bsu-luks-key" } });
    expect(contract.storageClasses).toEqual({ default: "bsu-gp2", encrypted: "bsu-encrypted" });
    expect(contract.gatewayService).toEqual({ type: "NodePort", nodePorts: { http: 30080, https: 30443 } });
    for (const vm of ofType(records, "outscale:index/vm:Vm")) expect(tag(vm, "OscK8sClusterID/ministere-exemple-k8s")).toBe("owned");
  });

  it("names the OOS buckets the operator creates (no released provider creates them) and returns secrets as secrets", async () => {
    expect(records.filter((r) => /oos/i.test(r.type))).toEqual([]);
    expect((await settle(contract.objectStorage.buckets.backups)).value).toBe("ministere-exemple-backups");
    expect((await settle(contract.kubeconfig!)).secret).toBe(true);
    expect((await settle(contract.objectStorage.credentials!.secretAccessKey)).secret).toBe(true);
    expect((await settle(contract.gatewayAddress)).value).toBe("203.0.113.20");
  });
});
