import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { OutscaleSettings } from "../../../src/model/cloud";
import type { SizingProfile } from "../../../src/model/names";
import { Rke2Bootstrap } from "../bootstrap";
import { ETCD_S3_SECRET, etcdSnapshotStore } from "../etcd-snapshots";
import type { ClusterContract } from "../contract";
import { GATEWAY_ADDRESS_FROM_SERVICE, GATEWAY_NODE_PORTS } from "../plan/flows";
import { serverOf } from "../plan/kubeconfig";
import { NAME_LIMITS, resourceName } from "../plan/names";
import { CONTROL_PLANE_NODES, sizingPlan, zoneOf } from "../plan/sizing";
import { OUTSCALE_STORAGE_CLASSES, outscaleAddons } from "./addons";
import { outscaleNetwork } from "./network";
import { oksCluster } from "./oks";
import * as osc from "./provider";
import { outscaleSecurityGroups } from "./security";
import { operatorBuckets, outscaleObjectStorage } from "./storage";

export interface OutscaleClusterArgs {
  readonly organization: string;
  readonly region: string;
  readonly settings: OutscaleSettings;
  readonly adminCidrs: readonly string[];
  readonly sizing: SizingProfile;
  readonly domain: string;
  readonly appBuckets: readonly string[];
  readonly registryMirror?: string;
}

/** Node disks: `gp2`, Outscale's general-purpose SSD volume type (outscale_vm `bsu.volume_type`). */
const VOLUME_TYPE = "gp2";
/**
 * Storage class OKS is assumed to offer: no source socle could read states the classes an OKS cluster has, so
 * `socle check` warns on it (docs/cloud.md, "Outscale OKS").
 */
const OKS_STORAGE_CLASS = "standard";

/**
 * A hardened Kubernetes cluster on 3DS Outscale, in its SecNumCloud region by default. `vms`: a Net with one
 * private subnet per subregion behind a NAT service, deny-by-default security groups, three control-plane VMs
 * spread over subregions (deletion-protected) behind an internal load balancer, worker VMs, RKE2 with its CIS
 * profile by cloud-init, an internet-facing load balancer for the gateway. `oks`: Outscale's managed
 * Kubernetes (OKS). Both: versioned OOS buckets for backups.
 */
export class OutscaleCluster extends pulumi.ComponentResource {
  readonly contract: ClusterContract;

  constructor(name: string, args: OutscaleClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:cloud:OutscaleCluster", name, {}, opts);
    const { settings, organization: org, region } = args;
    const child = { parent: this };
    const subregions = settings.subregions ?? [`${region}a`];
    // The Outscale cloud-controller-manager finds the cluster's subnets, VMs and security groups by the tag
    // `OscK8sClusterID/<cluster-id>` (`owned`), and a VM by `OscK8sNodeName` when providerID is not enough
    // (outscale/cloud-provider-osc deploy/README.md, "Tagging"): every resource carries the first.
    const clusterTag = { [`OscK8sClusterID/${resourceName(org, ["k8s"])}`]: "owned" };
    const tags = (tagName: string, extra: Readonly<Record<string, string>> = {}): osc.Tag[] =>
      Object.entries({ Name: tagName, "socle.io/organization": org, ...clusterTag, ...extra }).map(([key, value]) => ({ key, value }));
    const objectStorage = outscaleObjectStorage(name, { organization: org, region, endpoint: settings.objectStorageEndpoint, appBuckets: args.appBuckets }, this);
    const nodePools = settings.workerPools.map((p) => ({ name: p.name, flavor: p.flavor, count: p.count }));
    pulumi.log.warn(
      `OOS buckets ${operatorBuckets(org, args.appBuckets).join(", ")} must exist, with versioning enabled, before pulumi up: no released Outscale provider creates buckets (docs/cloud.md, "Outscale object storage")`,
      this,
    );

    if (settings.mode === "oks") {
      const oks = oksCluster(
        name,
        { organization: org, region, networkCidr: settings.networkCidr, kubernetesVersion: settings.kubernetesVersion ?? "", subregions, adminCidrs: args.adminCidrs, pools: settings.workerPools },
        this,
      );
      this.contract = {
        kubeconfig: oks.kubeconfig,
        apiEndpoint: oks.kubeconfig.apply(serverOf),
        nodePools,
        storageClasses: { default: OKS_STORAGE_CLASS },
        // OKS's cloud-controller-manager makes the gateway's load balancer from its LoadBalancer Service.
        gatewayAddress: pulumi.output(GATEWAY_ADDRESS_FROM_SERVICE),
        gatewayService: { type: "LoadBalancer" },
        objectStorage,
        region,
      };
      this.registerOutputs({});
      return;
    }

    const plan = sizingPlan(args.sizing);
    const gatewayIp = new osc.PublicIp(`${name}-gateway-ip`, { tags: tags(resourceName(org, ["gateway"])) }, child);
    const network = outscaleNetwork(name, { organization: org, networkCidr: settings.networkCidr, subregions, tags }, this);
    const groups = outscaleSecurityGroups(name, { organization: org, netId: network.net.netId, networkCidr: settings.networkCidr, adminCidrs: args.adminCidrs, sshAccess: settings.sshAccess, tags }, this);
    const apiLb = new osc.LoadBalancer(
      `${name}-api`,
      {
        loadBalancerName: resourceName(org, ["api"], NAME_LIMITS.outscaleLoadBalancer),
        loadBalancerType: "internal",
        subnets: [network.subnets[0]!.subnetId],
        securityGroups: [groups["api-lb"].securityGroupId],
        listeners: [
          { backendPort: 6443, backendProtocol: "TCP", loadBalancerPort: 6443, loadBalancerProtocol: "TCP" },
          { backendPort: 9345, backendProtocol: "TCP", loadBalancerPort: 9345, loadBalancerProtocol: "TCP" },
        ],
        tags: tags(resourceName(org, ["api"])),
      },
      child,
    );
    const apiEndpoint = pulumi.interpolate`https://${apiLb.dnsName}:6443`;
    const bootstrap = new Rke2Bootstrap(name, { organization: org, domain: args.domain, apiHost: apiLb.dnsName, ntpServers: settings.ntpServers, etcdSnapshots: plan.etcdSnapshots, registryMirror: args.registryMirror, etcdS3Secret: ETCD_S3_SECRET }, this);
    const base64 = (text: pulumi.Output<string>) => pulumi.secret(text.apply((t) => Buffer.from(t, "utf8").toString("base64")));

    const vm = (id: string, nodeName: string, vmType: string, i: number, role: "server" | "agent", diskGb: number, groupIds: pulumi.Input<string>[], labels: Record<string, string>) => {
      const zone = zoneOf(i, subregions);
      return new osc.Vm(
        `${name}-${id}`,
        {
          imageId: settings.imageId ?? "",
          vmType,
          subnetId: network.subnets[i % network.subnets.length]!.subnetId,
          securityGroupIds: groupIds,
          placementSubregionName: zone,
          userData: base64(bootstrap.userData(role, nodeName, role === "server" && i === 0, { ...labels, "topology.kubernetes.io/zone": zone })),
          // Control-plane disks hold etcd: kept when the VM goes, and the VM protected from deletion.
          blockDeviceMappings: [{ deviceName: "/dev/sda1", bsu: { volumeSize: diskGb, volumeType: VOLUME_TYPE, deleteOnVmDeletion: role === "agent" } }],
          deletionProtection: role === "server",
          tags: tags(nodeName, { "socle.io/role": role === "server" ? "control-plane" : "worker", OscK8sNodeName: nodeName, ...labels }),
        },
        role === "server" ? { parent: this, protect: true } : { parent: this, dependsOn: [network.publicDefault] },
      );
    };
    const servers = Array.from({ length: CONTROL_PLANE_NODES }, (_, i) =>
      vm(`cp-${i}`, resourceName(org, ["cp", i]), settings.controlPlaneVmType, i, "server", plan.controlPlaneDiskGb, [groups.nodes.securityGroupId, groups.servers.securityGroupId], {}),
    );
    new osc.LoadBalancerVms(`${name}-api-backends`, { loadBalancerName: apiLb.loadBalancerName, backendVmIds: servers.map((s) => s.vmId) }, child);
    const workers = settings.workerPools.flatMap((p) =>
      Array.from({ length: p.count }, (_, i) => vm(`${p.name}-${i}`, resourceName(org, [p.name, i]), p.flavor, i, "agent", plan.workerDiskGb, [groups.nodes.securityGroupId], { "socle.io/pool": p.name })),
    );
    const gatewayLb = new osc.LoadBalancer(
      `${name}-gateway`,
      {
        loadBalancerName: resourceName(org, ["gateway"], NAME_LIMITS.outscaleLoadBalancer),
        loadBalancerType: "internet-facing",
        subnets: [network.publicSubnet.subnetId],
        securityGroups: [groups["gateway-lb"].securityGroupId],
        listeners: [
          { backendPort: GATEWAY_NODE_PORTS.http, backendProtocol: "TCP", loadBalancerPort: 80, loadBalancerProtocol: "TCP" },
          { backendPort: GATEWAY_NODE_PORTS.https, backendProtocol: "TCP", loadBalancerPort: 443, loadBalancerProtocol: "TCP" },
        ],
        publicIp: gatewayIp.publicIp,
        tags: tags(resourceName(org, ["gateway"])),
      },
      { parent: this, dependsOn: [network.publicDefault] },
    );
    new osc.LoadBalancerVms(`${name}-gateway-backends`, { loadBalancerName: gatewayLb.loadBalancerName, backendVmIds: workers.map((w) => w.vmId) }, child);

    const kubeconfig = bootstrap.pki.kubeconfig(apiEndpoint, resourceName(org, ["k8s"]));
    const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig }, { parent: this, dependsOn: servers });
    outscaleAddons(name, { region, provider }, this);
    etcdSnapshotStore(name, objectStorage, provider, this);
    this.contract = {
      kubeconfig,
      apiEndpoint,
      nodePools,
      storageClasses: { ...OUTSCALE_STORAGE_CLASSES },
      gatewayAddress: gatewayIp.publicIp,
      gatewayService: { type: "NodePort", nodePorts: GATEWAY_NODE_PORTS },
      objectStorage,
      region,
    };
    this.registerOutputs({ apiEndpoint, gatewayAddress: gatewayIp.publicIp });
  }
}

