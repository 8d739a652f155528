import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as openstack from "@pulumi/openstack";
import type { OpenStackSettings } from "../../../src/model/cloud";
import type { SizingProfile } from "../../../src/model/names";
import { Rke2Bootstrap } from "../bootstrap";
import { ETCD_S3_SECRET, etcdSnapshotStore } from "../etcd-snapshots";
import type { ClusterContract } from "../contract";
import { GATEWAY_ADDRESS_FROM_SERVICE, GATEWAY_NODE_PORTS } from "../plan/flows";
import { resourceName } from "../plan/names";
import { CONTROL_PLANE_NODES, sizingPlan, zoneOf } from "../plan/sizing";
import { openstackAddons, STORAGE_CLASSES } from "./addons";
import { apiLoadBalancer, gatewayLoadBalancer, type Backend } from "./load-balancers";
import { magnumCluster, magnumStorageClass } from "./magnum";

/** The etcd volume of Magnum's control-plane nodes, GiB (etcd's recommended maximum database is 8 GiB). */
const MAGNUM_ETCD_VOLUME_GB = 20;
import { openstackNetwork } from "./network";
import { openstackSecurityGroups } from "./security";
import { openstackObjectStorage } from "./storage";

export interface OpenStackClusterArgs {
  readonly organization: string;
  readonly region: string;
  readonly settings: OpenStackSettings;
  readonly adminCidrs: readonly string[];
  readonly sizing: SizingProfile;
  readonly domain: string;
  /** Buckets (containers) to create besides the backups one, e.g. the docs media bucket. */
  readonly appBuckets: readonly string[];
  readonly registryMirror?: string;
}

/** How the program marks machines for the policy pack (policies/controls/cloud/anti-affinity.ts). */
const ROLE_KEY = "socle.io/role";

/**
 * A hardened Kubernetes cluster on OpenStack. `vms`: private network (one subnet per availability zone) and
 * router, deny-by-default security groups, three control-plane nodes in a hard anti-affinity server group
 * on encrypted, protected boot volumes, worker pools, RKE2 with its CIS profile bootstrapped by cloud-init,
 * an internal Octavia load balancer for the API and a public one for the gateway, the OpenStack
 * cloud-controller-manager and Cinder CSI. `magnum`: the cloud's Magnum service builds the cluster.
 * Both: versioned Swift containers for backups.
 */
export class OpenStackCluster extends pulumi.ComponentResource {
  readonly contract: ClusterContract;

  constructor(name: string, args: OpenStackClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:cloud:OpenStackCluster", name, {}, opts);
    const { settings, organization: org, region } = args;
    const child = { parent: this };
    const plan = sizingPlan(args.sizing);
    const zones = settings.availabilityZones;

    const net = openstackNetwork(name, { organization: org, region, networkCidr: settings.networkCidr, zones, externalNetwork: settings.externalNetwork }, this);
    const firstSubnet = net.subnets[0]!.subnet;
    const objectStorage = openstackObjectStorage(name, { organization: org, region, endpoint: settings.objectStorageEndpoint, appBuckets: args.appBuckets }, this);
    const storageClasses = { default: STORAGE_CLASSES.default, ...(settings.encryptedVolumeType ? { encrypted: STORAGE_CLASSES.encrypted } : {}) };
    const nodePools = settings.workerPools.map((p) => ({ name: p.name, flavor: p.flavor, count: p.count }));

    if (settings.mode === "magnum") {
      const magnum = magnumCluster(
        name,
        {
          organization: org,
          region,
          settings,
          adminCidrs: args.adminCidrs,
          networkId: net.network.id,
          subnetId: firstSubnet.id,
          externalNetworkId: net.externalNetworkId,
          bootVolumeGb: plan.workerDiskGb,
          etcdVolumeGb: MAGNUM_ETCD_VOLUME_GB,
        },
        this,
      );
      // The cluster's cloud-controller-manager makes the gateway's load balancer and floating IP from its LoadBalancer Service.
      const gatewayAddress = pulumi.output(GATEWAY_ADDRESS_FROM_SERVICE);
      // magnum-capi-helm makes one storage class per Cinder volume type, named after it (driver.py `_storageclass_definitions`).
      const magnumClasses = { default: magnumStorageClass(settings.encryptedVolumeType ?? "") };
      if (args.registryMirror) pulumi.log.warn("socle:registryMirror is not applied to a Magnum cluster's system images: magnum-capi-helm has no container_infra_prefix (docs/cloud.md)", this);
      this.contract = { kubeconfig: magnum.kubeconfig, apiEndpoint: magnum.cluster.apiAddress, nodePools, storageClasses: magnumClasses, gatewayAddress, gatewayService: { type: "LoadBalancer" }, objectStorage, region };
      this.registerOutputs({ apiEndpoint: this.contract.apiEndpoint });
      return;
    }

    const groups = openstackSecurityGroups(name, { organization: org, region, networkCidr: settings.networkCidr, adminCidrs: args.adminCidrs, sshAccess: settings.sshAccess }, this);
    const ctx = { name, organization: org, region, parent: this };
    const api = apiLoadBalancer(ctx, { subnetId: firstSubnet.id, networkCidr: settings.networkCidr, adminCidrs: args.adminCidrs });
    const apiEndpoint = pulumi.interpolate`https://${api.lb.vipAddress}:6443`;
    const bootstrap = new Rke2Bootstrap(name, { organization: org, domain: args.domain, apiHost: api.lb.vipAddress, ntpServers: settings.ntpServers, etcdSnapshots: plan.etcdSnapshots, registryMirror: args.registryMirror, etcdS3Secret: ETCD_S3_SECRET }, this);
    const serverGroup = new openstack.compute.ServerGroup(`${name}-control-plane`, { name: resourceName(org, ["control-plane"]), policies: ["anti-affinity"], region }, child);
    const image = openstack.images.getImageOutput({ name: settings.image, mostRecent: true, region }, child);
    const volumeType = settings.encryptedVolumeType ? { volumeType: settings.encryptedVolumeType } : {};

    /** A node's port: its fixed address in its zone's subnet, and the node's security groups. */
    const port = (id: string, nodeName: string, zoneIndex: number, securityGroupIds: pulumi.Input<string>[]) => {
      const subnet = net.subnets[zoneIndex % net.subnets.length]!.subnet;
      const p = new openstack.networking.Port(
        `${name}-${id}-port`,
        { name: nodeName, networkId: net.network.id, fixedIps: [{ subnetId: subnet.id }], securityGroupIds, adminStateUp: true, region },
        child,
      );
      return { port: p, backend: { name: id, address: p.allFixedIps[0]!, subnetId: subnet.id } as Backend };
    };

    const servers = Array.from({ length: CONTROL_PLANE_NODES }, (_, i) => {
      const nodeName = resourceName(org, ["cp", i]);
      const zone = zoneOf(i, zones);
      const { port: p, backend } = port(`cp-${i}`, nodeName, i, [groups.nodes.id, groups.servers.id]);
      // The control plane's disks hold etcd: explicit volumes, on the encrypted type when the cloud has one, protected.
      const disk = new openstack.blockstorage.Volume(
        `${name}-cp-${i}-disk`,
        { name: `${nodeName}-disk`, size: plan.controlPlaneDiskGb, imageId: image.id, availabilityZone: zone, ...volumeType, region },
        { parent: this, protect: true, retainOnDelete: true },
      );
      const instance = new openstack.compute.Instance(
        `${name}-cp-${i}`,
        {
          name: nodeName,
          flavorName: settings.controlPlaneFlavor,
          availabilityZone: zone,
          networks: [{ port: p.id }],
          schedulerHints: [{ group: serverGroup.id }],
          blockDevices: [{ sourceType: "volume", destinationType: "volume", uuid: disk.id, bootIndex: 0, deleteOnTermination: false }],
          metadata: { [ROLE_KEY]: "control-plane", "socle.io/organization": org },
          // User data on a config drive too: cloud-init and the cloud-provider charts read it first (configDrive,metadataService).
          configDrive: true,
          userData: bootstrap.userData("server", nodeName, i === 0, { "topology.kubernetes.io/zone": zone }),
          region,
        },
        child,
      );
      return { instance, backend };
    });
    api.attach(servers.map((s) => s.backend));

    const workers = settings.workerPools.flatMap((pool) =>
      Array.from({ length: pool.count }, (_, i) => {
        const nodeName = resourceName(org, [pool.name, i]);
        const zone = zoneOf(i, zones);
        const { port: p, backend } = port(`${pool.name}-${i}`, nodeName, i, [groups.nodes.id]);
        new openstack.compute.Instance(
          `${name}-${pool.name}-${i}`,
          {
            name: nodeName,
            flavorName: pool.flavor,
            availabilityZone: zone,
            networks: [{ port: p.id }],
            // Workers are replaceable: their boot disks go with them; app data lives on Cinder CSI volumes.
            blockDevices: [{ sourceType: "image", destinationType: "volume", uuid: image.id, volumeSize: plan.workerDiskGb, bootIndex: 0, deleteOnTermination: true, ...volumeType }],
            metadata: { [ROLE_KEY]: "worker", "socle.io/pool": pool.name, "socle.io/organization": org },
            configDrive: true,
            userData: bootstrap.userData("agent", nodeName, false, { "socle.io/pool": pool.name, "topology.kubernetes.io/zone": zone }),
            region,
          },
          { parent: this, dependsOn: servers.map((s) => s.instance) },
        );
        return backend;
      }),
    );
    const gateway = gatewayLoadBalancer(ctx, { subnetId: firstSubnet.id, externalNetwork: settings.externalNetwork, workers });

    const kubeconfig = bootstrap.pki.kubeconfig(apiEndpoint, resourceName(org, ["k8s"]));
    const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig }, { parent: this, dependsOn: servers.map((s) => s.instance) });
    etcdSnapshotStore(name, objectStorage, provider, this);
    openstackAddons(name, { organization: org, region, subnetId: firstSubnet.id, externalNetworkId: net.externalNetworkId, encryptedVolumeType: settings.encryptedVolumeType, provider }, this);

    this.contract = { kubeconfig, apiEndpoint, nodePools, storageClasses, gatewayAddress: gateway.address.address, gatewayService: { type: "NodePort", nodePorts: GATEWAY_NODE_PORTS }, objectStorage, region };
    this.registerOutputs({ apiEndpoint, gatewayAddress: gateway.address.address });
  }
}
