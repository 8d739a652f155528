import { provisionCloud } from "../../components/cloud";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ofType, quiesce, recordRegistrations, settle, type Recorded } from "./mocks";
import { ADMIN, openstackSettings } from "./fixtures";

const monitor = recordRegistrations();

let records: Recorded[];
const contract = provisionCloud("cluster", {
  cloud: { target: "openstack", region: "example-region-1", settings: openstackSettings() },
  organization: { id: "ministere-exemple", name: "Ministère Exemple" },
  adminCidrs: ADMIN,
  sizing: "small",
  domain: "ministere-exemple.gouv.fr",
  buckets: ["ministere-exemple-docs-media"],
});

beforeAll(async () => {
  await settle(contract.apiEndpoint);
  await quiesce(monitor);
  records = monitor.records;
});

const ADMIN_PORTS = [22, 2379, 2380, 6443, 9345, 10250];
const instances = (role: string) => ofType(records, "openstack:compute/instance:Instance").filter((r) => r.inputs.metadata?.["socle.io/role"] === role);

describe("OpenStack target, mode vms", () => {
  it("registers one OpenStackCluster component holding every cloud resource", () => {
    const [component] = ofType(records, "socle:cloud:OpenStackCluster");
    expect(component).toBeDefined();
    const cloud = records.filter((r) => r.type.startsWith("openstack:"));
    expect(cloud.length).toBeGreaterThan(40);
    expect(cloud.every((r) => r.parent === component!.urn)).toBe(true);
    expect(cloud.every((r) => r.inputs.region === "example-region-1")).toBe(true);
  });

  it("puts the three control-plane nodes in a hard anti-affinity server group", () => {
    const [group] = ofType(records, "openstack:compute/serverGroup:ServerGroup");
    expect(group!.inputs.policies).toEqual(["anti-affinity"]);
    const cp = instances("control-plane");
    expect(cp).toHaveLength(3);
    for (const node of cp) expect(node.inputs.schedulerHints).toEqual([expect.objectContaining({ group: `${group!.name}-id` })]);
    expect(new Set(cp.map((n) => n.inputs.availabilityZone))).toEqual(new Set(["az-1", "az-2", "az-3"]));
  });

  it("boots the control plane from protected volumes of the encrypted type", () => {
    const volumes = ofType(records, "openstack:blockstorage/volume:Volume");
    expect(volumes).toHaveLength(3);
    for (const v of volumes) {
      expect(v.protect).toBe(true);
      expect(v.inputs.volumeType).toBe("encrypted-ssd");
    }
    for (const w of instances("worker")) expect(w.inputs.blockDevices[0]).toMatchObject({ destinationType: "volume", volumeType: "encrypted-ssd", bootIndex: 0 });
  });

  it("creates versioned, protected containers for backups and the app bucket", () => {
    const containers = ofType(records, "openstack:objectstorage/container:Container");
    expect(containers.map((c) => c.inputs.name).sort()).toEqual(["ministere-exemple-backups", "ministere-exemple-docs-media"]);
    for (const c of containers) expect(c).toMatchObject({ protect: true, inputs: { versioning: true } });
  });

  it("opens no administration port to the world, and every ingress rule names a source", () => {
    const ingress = ofType(records, "openstack:networking/secGroupRule:SecGroupRule").filter((r) => r.inputs.direction === "ingress");
    expect(ingress.length).toBeGreaterThan(10);
    for (const r of ingress) {
      expect(Boolean(r.inputs.remoteIpPrefix) || Boolean(r.inputs.remoteGroupId)).toBe(true);
      expect(r.inputs.remoteIpPrefix).not.toBe("0.0.0.0/0");
    }
    const sources = (port: number) => ingress.filter((r) => r.inputs.portRangeMin <= port && port <= r.inputs.portRangeMax && r.inputs.remoteIpPrefix).map((r) => r.inputs.remoteIpPrefix);
    expect(new Set(sources(22))).toEqual(new Set(ADMIN));
    expect(new Set(sources(6443))).toEqual(new Set([...ADMIN, "10.20.0.0/16"]));
    for (const port of ADMIN_PORTS) for (const s of sources(port)) expect([...ADMIN, "10.20.0.0/16"]).toContain(s);
    for (const g of ofType(records, "openstack:networking/secGroup:SecGroup")) expect(g.inputs.deleteDefaultRules).toBe(true);
  });

  it("wires the internal API load balancer to the control plane and the public one to the workers' gateway NodePorts", () => {
    const listeners = ofType(records, "openstack:loadbalancer/listener:Listener");
    const pools = ofType(records, "openstack:loadbalancer/pool:Pool");
    const members = ofType(records, "openstack:loadbalancer/member:Member");
    const lbs = ofType(records, "openstack:loadbalancer/loadBalancer:LoadBalancer");
    const lbOf = (port: number) => lbs.find((lb) => `${lb.name}-id` === listeners.find((l) => l.inputs.protocolPort === port)!.inputs.loadbalancerId)!.name;
    const membersOf = (port: number) => {
      const listener = listeners.find((l) => l.inputs.protocolPort === port)!;
      const pool = pools.find((p) => p.inputs.listenerId === `${listener.name}-id`)!;
      return members.filter((m) => m.inputs.poolId === `${pool.name}-id`);
    };
    expect(lbOf(6443)).toBe("cluster-api");
    expect(lbOf(443)).toBe("cluster-gateway");
    expect(membersOf(6443).map((m) => m.inputs.protocolPort)).toEqual([6443, 6443, 6443]);
    expect(membersOf(9345)).toHaveLength(3);
    expect(membersOf(80).map((m) => m.inputs.protocolPort)).toEqual([30080, 30080, 30080]);
    expect(membersOf(443).map((m) => m.inputs.protocolPort)).toEqual([30443, 30443, 30443]);
    expect(listeners.find((l) => l.inputs.protocolPort === 6443)!.inputs.allowedCidrs).toEqual(["10.20.0.0/16", ...ADMIN]);
    const [assoc] = ofType(records, "openstack:networking/floatingIpAssociate:FloatingIpAssociate");
    expect(assoc!.inputs.portId).toBe("vip-port-id");
    expect(members.filter((m) => m.inputs.address === undefined)).toEqual([]);
  });

  it("boots every node with RKE2's CIS profile and the configured NTP servers", () => {
    const all = [...instances("control-plane"), ...instances("worker")];
    expect(all).toHaveLength(6);
    for (const node of all) {
      const text = node.inputs.userData as string;
      expect(text.startsWith("#cloud-config\n")).toBe(true);
      const doc = parse(text);
      expect(doc.ntp.servers).toEqual(["ntp1.example.invalid"]);
      expect(parse(doc.write_files[0].content).profile).toBe("cis");
    }
    const joins = all.map((n) => parse(parse(n.inputs.userData).write_files[0].content).server);
    expect(joins.filter((s) => s === undefined)).toHaveLength(1);
  });

  it("lets every node reach the metadata service and attaches a config drive (cloud-init, CCM and Cinder CSI read them)", () => {
    const egress = ofType(records, "openstack:networking/secGroupRule:SecGroupRule").filter((r) => r.inputs.direction === "egress");
    for (const g of ["nodes", "servers"]) {
      expect(egress.find((r) => r.name === `cluster-${g}-egress-metadata`)!.inputs).toMatchObject({ protocol: "tcp", portRangeMin: 80, portRangeMax: 80, remoteIpPrefix: "169.254.169.254/32" });
    }
    for (const node of [...instances("control-plane"), ...instances("worker")]) expect(node.inputs.configDrive).toBe(true);
  });

  it("gives agents only the agent token, in K10 form, and servers both", () => {
    const config = (n: Recorded) => parse(parse(n.inputs.userData).write_files[0].content);
    for (const w of instances("worker")) {
      expect(config(w).token).toMatch(/^K10[0-9a-f]{64}::node:/);
      expect(config(w)["agent-token"]).toBeUndefined();
    }
    for (const s of instances("control-plane")) {
      expect(config(s).token).toMatch(/^K10[0-9a-f]{64}::server:/);
      expect(config(s)["agent-token"]).toBe(config(instances("worker")[0]!).token);
    }
  });

  it("sends etcd snapshots to the backups bucket through a kube-system Secret, keeping the S3 keys out of user data", () => {
    const [secret] = ofType(records, "kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.name === "etcd-s3-config");
    expect(Object.keys(secret!.inputs.stringData).sort()).toEqual(["etcd-s3-access-key", "etcd-s3-bucket", "etcd-s3-endpoint", "etcd-s3-folder", "etcd-s3-region", "etcd-s3-secret-key"]);
    expect(secret!.inputs.stringData["etcd-s3-endpoint"]).toBe("s3.example.invalid");
    for (const s of instances("control-plane")) {
      const config = parse(parse(s.inputs.userData).write_files[0].content);
      expect(config).toMatchObject({ "etcd-s3": true, "etcd-s3-config-secret": "etcd-s3-config" });
      expect(s.inputs.userData).not.toContain("etcd-s3-access-key");
    }
  });

  it("schedules the cloud-controller-manager on RKE2's servers (label and taint value \"true\")", () => {
    const ccm = ofType(records, "kubernetes:helm.cattle.io/v1:HelmChart").find((c) => c.inputs.metadata.name === "openstack-cloud-controller-manager")!;
    const values = parse(ccm.inputs.spec.valuesContent);
    expect(values.nodeSelector).toEqual({ "node-role.kubernetes.io/control-plane": "true" });
    expect(values.tolerations).toContainEqual({ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" });
  });

  it("installs the cloud-controller-manager and Cinder CSI from the servers' static charts", () => {
    const charts = ofType(records, "kubernetes:helm.cattle.io/v1:HelmChart");
    expect(charts.map((c) => c.inputs.metadata.name).sort()).toEqual(["openstack-cinder-csi", "openstack-cloud-controller-manager"]);
    for (const c of charts) expect(c.inputs.spec.chart).toMatch(/^https:\/\/%\{KUBERNETES_API\}%\/static\/charts\//);
    const classes = ofType(records, "kubernetes:storage.k8s.io/v1:StorageClass");
    expect(classes.find((c) => c.inputs.metadata.name === "csi-cinder-sc-encrypted")!.inputs.parameters).toEqual({ type: "encrypted-ssd" });
  });

  it("returns a secret kubeconfig, secret S3 credentials and the contract's fields", async () => {
    const kubeconfig = await settle(contract.kubeconfig!);
    expect(kubeconfig.secret).toBe(true);
    expect((await settle(contract.objectStorage.credentials!.secretAccessKey)).secret).toBe(true);
    expect(contract.storageClasses).toEqual({ default: "csi-cinder-sc-delete", encrypted: "csi-cinder-sc-encrypted" });
    expect(contract.nodePools).toEqual([{ name: "workers", flavor: "m2.xlarge", count: 3 }]);
    expect(contract.objectStorage.managed).toBe(true);
    expect((await settle(contract.objectStorage.buckets.backups)).value).toBe("ministere-exemple-backups");
  });
});
