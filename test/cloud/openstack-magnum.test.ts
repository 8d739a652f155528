import { provisionCloud } from "../../components/cloud";
import { magnumStorageClass } from "../../components/cloud/openstack/magnum";
import { beforeAll, describe, expect, it } from "vitest";
import { ofType, quiesce, recordRegistrations, settle, type Recorded } from "./mocks";
import { ADMIN, openstackSettings } from "./fixtures";

const monitor = recordRegistrations();

let records: Recorded[];
const contract = provisionCloud("cluster", {
  cloud: { target: "openstack", region: "example-region-1", settings: openstackSettings({ mode: "magnum", sshAccess: "disabled" }) },
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

describe("OpenStack target, mode magnum", () => {
  it("asks Magnum for three masters behind an API load balancer restricted to the admin and node networks", () => {
    const [template] = ofType(records, "openstack:containerinfra/clusterTemplate:ClusterTemplate");
    const [cluster] = ofType(records, "openstack:containerinfra/cluster:Cluster");
    expect(template!.inputs).toMatchObject({ coe: "kubernetes", masterLbEnabled: true, floatingIpEnabled: false, tlsDisabled: false });
    expect(cluster!.inputs).toMatchObject({ masterCount: 3, nodeCount: 3, clusterTemplateId: `${template!.name}-id` });
    // magnum-capi-helm's labels (driver.py): the Heat driver's master_lb_allowed_cidrs would be ignored.
    expect(cluster!.inputs.labels.api_master_lb_allowed_cidrs).toBe(["10.20.0.0/16", ...ADMIN].join(","));
    expect(cluster!.inputs.labels.master_lb_allowed_cidrs).toBeUndefined();
    expect(cluster!.inputs.labels).toMatchObject({ boot_volume_type: "encrypted-ssd", etcd_blockdevice_volume_type: "encrypted-ssd" });
    // A volume type without a size is dropped by the driver.
    expect(Number(cluster!.inputs.labels.boot_volume_size)).toBeGreaterThan(0);
    expect(Number(cluster!.inputs.labels.etcd_blockdevice_size)).toBeGreaterThan(0);
  });

  it("announces the storage class magnum-capi-helm makes for the encrypted volume type, and no gateway address it cannot know", async () => {
    expect(contract.storageClasses).toEqual({ default: "encrypted-ssd" });
    expect(magnumStorageClass("Encrypted SSD_v2")).toBe("encrypted-ssd-v2");
    expect((await settle(contract.gatewayAddress)).value).toMatch(/^\[unknown: /);
    expect(contract.gatewayService).toEqual({ type: "LoadBalancer" });
    expect(ofType(records, "openstack:networking/floatingIp:FloatingIp")).toEqual([]);
  });

  it("creates no VM, no security group and no Octavia load balancer of its own", () => {
    for (const type of ["openstack:compute/instance:Instance", "openstack:networking/secGroup:SecGroup", "openstack:loadbalancer/loadBalancer:LoadBalancer"]) expect(ofType(records, type)).toEqual([]);
  });

  it("still keeps backups in a protected, versioned container, and the kubeconfig secret", async () => {
    const [container] = ofType(records, "openstack:objectstorage/container:Container");
    expect(container).toMatchObject({ protect: true, inputs: { versioning: true, name: "ministere-exemple-backups" } });
    expect((await settle(contract.kubeconfig!)).secret).toBe(true);
  });
});
