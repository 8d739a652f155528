import * as pulumi from "@pulumi/pulumi";
import * as openstack from "@pulumi/openstack";
import * as random from "@pulumi/random";
import type { NodePool, OpenStackSettings, SizingProfile } from "../../src/config/schema";
import type { ClusterContract } from "./contract";
import { renderCloudInit } from "./plan/cloud-init";
import { resourceName } from "./plan/names";
import { subnetsPerZone } from "./plan/network";
import { CONTROL_PLANE_NODES, zoneOf } from "./plan/sizing";
import { ClusterPki } from "./pki";

export interface OpenStackClusterArgs {
  readonly organization: string;
  readonly region: string;
  readonly settings: OpenStackSettings;
  readonly adminCidrs: readonly string[];
  readonly sizing: SizingProfile;
  readonly domain: string;
  /** Buckets (containers) to create besides the backups one, e.g. the docs media bucket. */
  readonly buckets: readonly string[];
}

/** Node-to-node ports of an RKE2 cluster with Canal: kubelet, supervisor, API, etcd, VXLAN, CNI health. */
const NODE_PORTS: readonly { protocol: "tcp" | "udp"; from: number; to: number; servers: boolean; why: string }[] = [
  { protocol: "tcp", from: 9345, to: 9345, servers: true, why: "RKE2 supervisor (node registration)" },
  { protocol: "tcp", from: 6443, to: 6443, servers: true, why: "Kubernetes API from nodes" },
  { protocol: "tcp", from: 2379, to: 2380, servers: true, why: "etcd client and peer" },
  { protocol: "tcp", from: 10250, to: 10250, servers: false, why: "kubelet" },
  { protocol: "udp", from: 8472, to: 8472, servers: false, why: "Canal (flannel) VXLAN" },
  { protocol: "tcp", from: 9099, to: 9099, servers: false, why: "Canal health checks" },
];

/** Volume size of a control-plane node's boot disk (holds etcd), GiB. */
const CONTROL_PLANE_DISK_GB = 80;
const WORKER_DISK_GB = 100;

/**
 * A hardened Kubernetes cluster on OpenStack: private network and router, deny-by-default security groups,
 * three control-plane nodes in an anti-affinity server group behind an internal Octavia load balancer,
 * worker pools, RKE2 (CIS profile) bootstrapped by cloud-init, a versioned object-storage container for
 * backups. `mode: magnum` asks the cloud's Magnum service for the cluster instead.
 */
export class OpenStackCluster extends pulumi.ComponentResource {
  readonly contract: ClusterContract;

  constructor(name: string, args: OpenStackClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:cloud:OpenStackCluster", name, {}, opts);
    const { settings, organization: org } = args;
    const child = { parent: this };
    const protect = { parent: this, protect: true, retainOnDelete: true };

    const external = openstack.networking.getNetworkOutput({ name: settings.externalNetwork }, child);
    const network = new openstack.networking.Network(`${name}-network`, { name: resourceName(org, "network"), adminStateUp: true }, child);
    const subnets = subnetsPerZone(settings.networkCidr, settings.availabilityZones).map(
      (s, i) =>
        new openstack.networking.Subnet(
          `${name}-subnet-${i}`,
          { name: resourceName(org, "subnet", s.zone), networkId: network.id, cidr: s.cidr, ipVersion: 4 },
          child,
        ),
    );
    const router = new openstack.networking.Router(`${name}-router`, { name: resourceName(org, "router"), externalNetworkId: external.id }, child);
    subnets.forEach((subnet, i) => new openstack.networking.RouterInterface(`${name}-router-${i}`, { routerId: router.id, subnetId: subnet.id }, child));

    // Buckets: backups (CloudNativePG, Velero) and the apps' files, versioned, in the cluster's region.
    const container = (bucket: string) =>
      new openstack.objectstorage.Container(`${name}-bucket-${bucket}`, { name: bucket, region: args.region, versioning: true }, protect);
    const backups = container(`${org}-backups`);
    const appBuckets = args.buckets.map(container);
    const s3 = new openstack.identity.Ec2CredentialV3(`${name}-s3-credentials`, {}, child);

    const objectStorage = {
      endpoint: pulumi.output(settings.objectStorageEndpoint),
      region: args.region,
      buckets: { backups: backups.name, ...(appBuckets[0] ? { app: appBuckets[0].name } : {}) },
      managed: true,
      credentials: { accessKeyId: s3.access, secretAccessKey: pulumi.secret(s3.secret) },
    };

    if (settings.mode === "magnum") {
      const template = new openstack.containerinfra.ClusterTemplate(
        `${name}-template`,
        {
          name: resourceName(org, "k8s-template"),
          coe: "kubernetes",
          image: settings.magnumTemplate ?? settings.image,
          externalNetworkId: external.id,
          fixedNetwork: network.id,
          fixedSubnet: subnets[0]!.id,
          masterFlavor: settings.controlPlaneFlavor,
          flavor: settings.workerPools[0]!.flavor,
          networkDriver: "calico",
          volumeDriver: "cinder",
          masterLbEnabled: true,
          floatingIpEnabled: false,
          tlsDisabled: false,
          ...(settings.encryptedVolumeType ? { labels: { boot_volume_type: settings.encryptedVolumeType, etcd_volume_type: settings.encryptedVolumeType } } : {}),
        },
        child,
      );
      const cluster = new openstack.containerinfra.Cluster(
        `${name}-magnum`,
        {
          name: resourceName(org, "k8s"),
          clusterTemplateId: template.id,
          masterCount: CONTROL_PLANE_NODES,
          nodeCount: settings.workerPools.reduce((n, p) => n + p.count, 0),
        },
        child,
      );
      const gatewayIp = new openstack.networking.FloatingIp(`${name}-gateway-ip`, { pool: settings.externalNetwork, description: "Public address of the suite's gateway" }, child);
      this.contract = {
        kubeconfig: pulumi.secret(cluster.kubeconfig.rawConfig),
        apiEndpoint: cluster.apiAddress,
        nodePools: settings.workerPools.map((p) => ({ ...p })),
        storageClasses: { default: "csi-cinder-sc-delete", ...(settings.encryptedVolumeType ? { encrypted: "csi-cinder-sc-encrypted" } : {}) },
        gatewayAddress: gatewayIp.address,
        objectStorage,
        region: args.region,
      };
      this.registerOutputs({});
      return;
    }

    // Security groups: nothing is open unless a rule below says so.
    const nodes = new openstack.networking.SecGroup(`${name}-nodes`, { name: resourceName(org, "nodes"), description: "socle nodes: deny by default", deleteDefaultRules: true }, child);
    const servers = new openstack.networking.SecGroup(`${name}-servers`, { name: resourceName(org, "servers"), description: "socle control plane", deleteDefaultRules: true }, child);
    const rule = (id: string, group: openstack.networking.SecGroup, r: Omit<openstack.networking.SecGroupRuleArgs, "securityGroupId" | "ethertype">) =>
      new openstack.networking.SecGroupRule(`${name}-${id}`, { ...r, securityGroupId: group.id, ethertype: "IPv4" }, child);
    rule("nodes-egress", nodes, { direction: "egress", description: "nodes reach the image mirror, object storage and NTP" });
    NODE_PORTS.forEach((p, i) =>
      rule(`node-port-${i}`, p.servers ? servers : nodes, {
        direction: "ingress",
        protocol: p.protocol,
        portRangeMin: p.from,
        portRangeMax: p.to,
        remoteGroupId: nodes.id,
        description: p.why,
      }),
    );
    // The internal load balancer's amphorae sit in the node subnets.
    rule("api-from-network", servers, { direction: "ingress", protocol: "tcp", portRangeMin: 6443, portRangeMax: 6443, remoteIpPrefix: settings.networkCidr, description: "API through the internal load balancer" });
    rule("join-from-network", servers, { direction: "ingress", protocol: "tcp", portRangeMin: 9345, portRangeMax: 9345, remoteIpPrefix: settings.networkCidr, description: "node registration through the internal load balancer" });
    args.adminCidrs.forEach((cidr, i) => {
      rule(`api-admin-${i}`, servers, { direction: "ingress", protocol: "tcp", portRangeMin: 6443, portRangeMax: 6443, remoteIpPrefix: cidr, description: "Kubernetes API from an admin network" });
      if (settings.sshAccess === "admin-cidrs") {
        rule(`ssh-admin-${i}`, nodes, { direction: "ingress", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: cidr, description: "SSH from an admin network" });
      }
    });

    const group = new openstack.compute.ServerGroup(`${name}-control-plane`, { name: resourceName(org, "control-plane"), policies: ["anti-affinity"] }, child);
    const token = new random.RandomPassword(`${name}-join-token`, { length: 48, special: false }, child);
    const pki = new ClusterPki(`${name}-pki`, { organization: org }, child);
    const image = openstack.images.getImageOutput({ name: settings.image, mostRecent: true }, child);

    const apiLb = new openstack.loadbalancer.LoadBalancer(`${name}-api`, { name: resourceName(org, "api"), vipSubnetId: subnets[0]!.id, description: "Internal Kubernetes API" }, child);
    const apiHost = apiLb.vipAddress;
    const apiEndpoint = pulumi.interpolate`https://${apiHost}:6443`;

    const userData = (role: "server" | "agent", nodeName: string, first: boolean) =>
      pulumi.secret(
        pulumi.all([token.result, apiHost, pki.caCertPem, pki.caKeyPem]).apply(([t, host, caCert, caKey]) =>
          renderCloudInit({
            role,
            nodeName,
            token: t,
            ...(first ? {} : { joinUrl: `https://${host}:9345` }),
            tlsSans: [host, `api.${args.domain}`],
            ntpServers: settings.ntpServers,
            cloudProvider: "openstack",
            ...(role === "server" ? { clusterCa: { certPem: caCert, keyPem: caKey } } : {}),
          }),
        ),
      );

    const controlPlane = Array.from({ length: CONTROL_PLANE_NODES }, (_, i) => {
      const zone = zoneOf(i, settings.availabilityZones);
      const nodeName = resourceName(org, "cp", i);
      // The control plane's disks hold etcd: explicit, encrypted when the cloud offers it, protected.
      const disk = new openstack.blockstorage.Volume(
        `${name}-cp-${i}-disk`,
        { name: `${nodeName}-disk`, size: CONTROL_PLANE_DISK_GB, imageId: image.id, availabilityZone: zone, ...(settings.encryptedVolumeType ? { volumeType: settings.encryptedVolumeType } : {}) },
        protect,
      );
      return new openstack.compute.Instance(
        `${name}-cp-${i}`,
        {
          name: nodeName,
          flavorName: settings.controlPlaneFlavor,
          availabilityZone: zone,
          networks: [{ uuid: network.id }],
          securityGroups: [nodes.name, servers.name],
          schedulerHints: [{ group: group.id }],
          blockDevices: [{ sourceType: "volume", destinationType: "volume", uuid: disk.id, bootIndex: 0, deleteOnTermination: false }],
          metadata: { "socle.io/role": "control-plane", "socle.io/organization": org },
          userData: userData("server", nodeName, i === 0),
        },
        { parent: this, dependsOn: subnets },
      );
    });

    const pool = new openstack.loadbalancer.Pool(`${name}-api-pool`, { name: resourceName(org, "api-pool"), loadbalancerId: apiLb.id, protocol: "TCP", lbMethod: "ROUND_ROBIN" }, child);
    new openstack.loadbalancer.Listener(`${name}-api-listener`, { name: resourceName(org, "api-6443"), loadbalancerId: apiLb.id, protocol: "TCP", protocolPort: 6443, defaultPoolId: pool.id, allowedCidrs: [settings.networkCidr, ...args.adminCidrs] }, child);
    const joinPool = new openstack.loadbalancer.Pool(`${name}-join-pool`, { name: resourceName(org, "join-pool"), loadbalancerId: apiLb.id, protocol: "TCP", lbMethod: "ROUND_ROBIN" }, child);
    new openstack.loadbalancer.Listener(`${name}-join-listener`, { name: resourceName(org, "api-9345"), loadbalancerId: apiLb.id, protocol: "TCP", protocolPort: 9345, defaultPoolId: joinPool.id, allowedCidrs: [settings.networkCidr] }, child);
    new openstack.loadbalancer.Monitor(`${name}-api-monitor`, { poolId: pool.id, type: "TCP", delay: 10, timeout: 5, maxRetries: 3 }, child);
    controlPlane.forEach((node, i) => {
      new openstack.loadbalancer.Member(`${name}-api-member-${i}`, { poolId: pool.id, address: node.accessIpV4, protocolPort: 6443, subnetId: subnets[0]!.id }, child);
      new openstack.loadbalancer.Member(`${name}-join-member-${i}`, { poolId: joinPool.id, address: node.accessIpV4, protocolPort: 9345, subnetId: subnets[0]!.id }, child);
    });

    settings.workerPools.forEach((p: NodePool) => {
      for (let i = 0; i < p.count; i++) {
        const nodeName = resourceName(org, p.name, i);
        new openstack.compute.Instance(
          `${name}-${p.name}-${i}`,
          {
            name: nodeName,
            flavorName: p.flavor,
            availabilityZone: zoneOf(i, settings.availabilityZones),
            networks: [{ uuid: network.id }],
            securityGroups: [nodes.name],
            // Workers are replaceable: their disks go with them (app data lives on Cinder volumes through the CSI driver).
            blockDevices: [
              {
                sourceType: "image",
                destinationType: "volume",
                uuid: image.id,
                volumeSize: WORKER_DISK_GB,
                bootIndex: 0,
                deleteOnTermination: true,
                ...(settings.encryptedVolumeType ? { volumeType: settings.encryptedVolumeType } : {}),
              },
            ],
            metadata: { "socle.io/role": "worker", "socle.io/pool": p.name, "socle.io/organization": org },
            userData: userData("agent", nodeName, false),
          },
          { parent: this, dependsOn: controlPlane },
        );
      }
    });

    // The gateway's public address: the cloud-controller-manager attaches it to the Octavia load balancer it
    // creates for the gateway's Service (loadBalancerIP), so DNS can point at it before the first deployment.
    const gatewayIp = new openstack.networking.FloatingIp(`${name}-gateway-ip`, { pool: settings.externalNetwork, description: "Public address of the suite's gateway" }, child);

    this.contract = {
      kubeconfig: pki.kubeconfig(apiEndpoint, resourceName(org, "k8s")),
      apiEndpoint,
      nodePools: settings.workerPools.map((p) => ({ ...p })),
      storageClasses: { default: "csi-cinder-sc-delete", ...(settings.encryptedVolumeType ? { encrypted: "csi-cinder-sc-encrypted" } : {}) },
      gatewayAddress: gatewayIp.address,
      objectStorage,
      region: args.region,
    };
    this.registerOutputs({ apiEndpoint, gatewayAddress: gatewayIp.address });
  }
}
