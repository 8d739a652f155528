import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import type { OutscaleSettings, SizingProfile } from "../../src/config/schema";
import type { ClusterContract } from "./contract";
import * as osc from "./outscale/provider";
import { renderCloudInit } from "./plan/cloud-init";
import { resourceName } from "./plan/names";
import { POD_CIDR, SERVICE_CIDR, splitCidr } from "./plan/network";
import { CONTROL_PLANE_NODES, zoneOf } from "./plan/sizing";
import { ClusterPki } from "./pki";

export interface OutscaleClusterArgs {
  readonly organization: string;
  readonly region: string;
  readonly settings: OutscaleSettings;
  readonly adminCidrs: readonly string[];
  readonly sizing: SizingProfile;
  readonly domain: string;
  readonly buckets: readonly string[];
}

/** Outscale's block storage type for nodes' disks (`gp2`: general purpose SSD). */
const VOLUME_TYPE = "gp2";

/**
 * A hardened Kubernetes cluster on 3DS Outscale, in its SecNumCloud region by default. `vms`: a Net with one
 * private subnet per subregion behind a NAT service, deny-by-default security groups, three control-plane VMs
 * spread over subregions behind an internal load balancer (LBU), worker VMs, RKE2 (CIS profile) by cloud-init.
 * `oks`: Outscale's managed Kubernetes (OKS) with node pools as `oks.dev/v1beta2` NodePool resources.
 */
export class OutscaleCluster extends pulumi.ComponentResource {
  readonly contract: ClusterContract;

  constructor(name: string, args: OutscaleClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:cloud:OutscaleCluster", name, {}, opts);
    const { settings, organization: org } = args;
    const child = { parent: this };
    const subregions = settings.subregions ?? [`${args.region}a`];
    const tags = (name: string, extra: Record<string, string> = {}): osc.Tag[] =>
      Object.entries({ Name: name, "socle.io/organization": org, ...extra }).map(([key, value]) => ({ key, value }));

    const keys = new osc.AccessKey(`${name}-s3-credentials`, { state: "ACTIVE" }, child);
    const objectStorage = {
      endpoint: pulumi.output(settings.objectStorageEndpoint),
      region: args.region,
      // OOS buckets are created through the S3 API, not a Terraform resource: the platform's bootstrap creates them.
      buckets: { backups: pulumi.output(`${org}-backups`), ...(args.buckets[0] ? { app: pulumi.output(args.buckets[0]) } : {}) },
      managed: true,
      credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: pulumi.secret(keys.secretKey) },
    };

    if (settings.mode === "oks") {
      const project = new osc.OksProject(`${name}-project`, { name: resourceName(org, "oks"), cidr: settings.networkCidr, region: args.region }, child);
      const cluster = new osc.OksCluster(
        `${name}-oks`,
        {
          projectId: project.id,
          name: resourceName(org, "k8s"),
          version: settings.kubernetesVersion ?? "",
          cpMultiAz: subregions.length > 1,
          cpSubregions: subregions,
          adminWhitelist: [...args.adminCidrs],
          cidrPods: POD_CIDR,
          cidrService: SERVICE_CIDR,
        },
        { parent: this, protect: true },
      );
      const kubeconfig = pulumi.secret(cluster.kubeconfig);
      const provider = new k8s.Provider(`${name}-oks`, { kubeconfig }, child);
      settings.workerPools.forEach((p) => {
        new k8s.apiextensions.CustomResource(
          `${name}-pool-${p.name}`,
          {
            apiVersion: "oks.dev/v1beta2",
            kind: "NodePool",
            metadata: { name: resourceName(org, p.name) },
            spec: { nodeType: p.flavor, desiredNodes: p.count, zones: subregions, autoHealing: true, upgradeStrategy: { maxSurge: 1, maxUnavailable: 0 } },
          },
          { parent: this, provider },
        );
      });
      this.contract = {
        kubeconfig,
        apiEndpoint: pulumi.output("[unknown: known after pulumi up]"),
        nodePools: settings.workerPools.map((p) => ({ ...p })),
        storageClasses: { default: "standard" },
        gatewayAddress: new osc.PublicIp(`${name}-gateway-ip`, { tags: tags(resourceName(org, "gateway")) }, child).publicIp,
        objectStorage,
        region: args.region,
      };
      this.registerOutputs({});
      return;
    }

    const net = new osc.Net(`${name}-net`, { ipRange: settings.networkCidr, tenancy: "default", tags: tags(resourceName(org, "net")) }, child);
    // One public subnet (NAT, load balancer) and one private subnet per subregion.
    const [publicCidr, ...privateCidrs] = splitCidr(settings.networkCidr, subregions.length + 1);
    const publicSubnet = new osc.Subnet(`${name}-public`, { netId: net.netId, ipRange: publicCidr!, subregionName: subregions[0]!, tags: tags(resourceName(org, "public")) }, child);
    const subnets = subregions.map(
      (zone, i) => new osc.Subnet(`${name}-subnet-${i}`, { netId: net.netId, ipRange: privateCidrs[i]!, subregionName: zone, tags: tags(resourceName(org, "subnet", zone)) }, child),
    );
    const internet = new osc.InternetService(`${name}-internet`, { tags: tags(resourceName(org, "internet")) }, child);
    new osc.InternetServiceLink(`${name}-internet-link`, { internetServiceId: internet.internetServiceId, netId: net.netId }, child);
    const natIp = new osc.PublicIp(`${name}-nat-ip`, { tags: tags(resourceName(org, "nat")) }, child);
    const nat = new osc.NatService(`${name}-nat`, { subnetId: publicSubnet.subnetId, publicIpId: natIp.publicIpId, tags: tags(resourceName(org, "nat")) }, child);
    const publicRoutes = new osc.RouteTable(`${name}-public-routes`, { netId: net.netId, tags: tags(resourceName(org, "public-routes")) }, child);
    new osc.Route(`${name}-public-default`, { routeTableId: publicRoutes.routeTableId, destinationIpRange: "0.0.0.0/0", gatewayId: internet.internetServiceId }, child);
    new osc.RouteTableLink(`${name}-public-link`, { routeTableId: publicRoutes.routeTableId, subnetId: publicSubnet.subnetId }, child);
    const privateRoutes = new osc.RouteTable(`${name}-private-routes`, { netId: net.netId, tags: tags(resourceName(org, "private-routes")) }, child);
    new osc.Route(`${name}-private-default`, { routeTableId: privateRoutes.routeTableId, destinationIpRange: "0.0.0.0/0", natServiceId: nat.natServiceId }, child);
    subnets.forEach((s, i) => new osc.RouteTableLink(`${name}-private-link-${i}`, { routeTableId: privateRoutes.routeTableId, subnetId: s.subnetId }, child));

    const group = (id: string, description: string) =>
      new osc.SecurityGroup(`${name}-${id}`, { securityGroupName: resourceName(org, id), description, netId: net.netId, tags: tags(resourceName(org, id)) }, child);
    const nodes = group("nodes", "socle nodes: deny by default");
    const servers = group("servers", "socle control plane");
    const fromGroup = (id: string, target: typeof nodes, protocol: "tcp" | "udp", from: number, to: number) =>
      new osc.SecurityGroupRule(
        `${name}-${id}`,
        { flow: "Inbound", securityGroupId: target.securityGroupId, rules: [{ fromPortRange: from, toPortRange: to, ipProtocol: protocol, securityGroupsMembers: [{ securityGroupId: nodes.securityGroupId }] }] },
        child,
      );
    fromGroup("supervisor", servers, "tcp", 9345, 9345);
    fromGroup("api-nodes", servers, "tcp", 6443, 6443);
    fromGroup("etcd", servers, "tcp", 2379, 2380);
    fromGroup("kubelet", nodes, "tcp", 10250, 10250);
    fromGroup("vxlan", nodes, "udp", 8472, 8472);
    const cidrRule = (id: string, target: typeof nodes, port: number, cidr: string) =>
      new osc.SecurityGroupRule(`${name}-${id}`, { flow: "Inbound", securityGroupId: target.securityGroupId, ipProtocol: "tcp", fromPortRange: port, toPortRange: port, ipRange: cidr }, child);
    cidrRule("api-from-lb", servers, 6443, settings.networkCidr);
    args.adminCidrs.forEach((cidr, i) => {
      cidrRule(`api-admin-${i}`, servers, 6443, cidr);
      if (settings.sshAccess === "admin-cidrs") cidrRule(`ssh-admin-${i}`, nodes, 22, cidr);
    });

    const token = new random.RandomPassword(`${name}-join-token`, { length: 48, special: false }, child);
    const pki = new ClusterPki(`${name}-pki`, { organization: org }, child);
    const apiLb = new osc.LoadBalancer(
      `${name}-api`,
      {
        loadBalancerName: resourceName(org, "api").slice(0, 32),
        loadBalancerType: "internal",
        subnets: [subnets[0]!.subnetId],
        securityGroups: [servers.securityGroupId],
        listeners: [
          { backendPort: 6443, backendProtocol: "TCP", loadBalancerPort: 6443, loadBalancerProtocol: "TCP" },
          { backendPort: 9345, backendProtocol: "TCP", loadBalancerPort: 9345, loadBalancerProtocol: "TCP" },
        ],
        tags: tags(resourceName(org, "api")),
      },
      child,
    );
    const apiEndpoint = pulumi.interpolate`https://${apiLb.dnsName}:6443`;
    const userData = (role: "server" | "agent", nodeName: string, first: boolean) =>
      pulumi.secret(
        pulumi.all([token.result, apiLb.dnsName, pki.caCertPem, pki.caKeyPem]).apply(([t, host, caCert, caKey]) =>
          Buffer.from(
            renderCloudInit({
              role,
              nodeName,
              token: t,
              ...(first ? {} : { joinUrl: `https://${host}:9345` }),
              tlsSans: [host, `api.${args.domain}`],
              ntpServers: settings.ntpServers,
              cloudProvider: "outscale",
              ...(role === "server" ? { clusterCa: { certPem: caCert, keyPem: caKey } } : {}),
            }),
          ).toString("base64"),
        ),
      );
    const imageId = settings.imageId ?? "";
    const vm = (id: string, nodeName: string, vmType: string, i: number, role: "server" | "agent", diskGb: number, groups: readonly (typeof nodes)[]) =>
      new osc.Vm(
        `${name}-${id}`,
        {
          imageId,
          vmType,
          subnetId: subnets[i % subnets.length]!.subnetId,
          securityGroupIds: groups.map((g) => g.securityGroupId),
          placementSubregionName: zoneOf(i, subregions),
          userData: userData(role, nodeName, role === "server" && i === 0),
          // Control-plane disks hold etcd: kept on VM deletion, and the VM itself protected from deletion.
          blockDeviceMappings: [{ deviceName: "/dev/sda1", bsu: { volumeSize: diskGb, volumeType: VOLUME_TYPE, deleteOnVmDeletion: role === "agent" } }],
          deletionProtection: role === "server",
          tags: tags(nodeName, { "socle.io/role": role === "server" ? "control-plane" : "worker" }),
        },
        role === "server" ? { parent: this, protect: true } : child,
      );
    const controlPlane = Array.from({ length: CONTROL_PLANE_NODES }, (_, i) => vm(`cp-${i}`, resourceName(org, "cp", i), settings.controlPlaneVmType, i, "server", 80, [nodes, servers]));
    new osc.LoadBalancerVms(`${name}-api-backends`, { loadBalancerName: apiLb.loadBalancerName, backendVmIds: controlPlane.map((v) => v.vmId) }, child);
    settings.workerPools.forEach((p) => {
      for (let i = 0; i < p.count; i++) vm(`${p.name}-${i}`, resourceName(org, p.name, i), p.flavor, i, "agent", 100, [nodes]);
    });
    const gatewayIp = new osc.PublicIp(`${name}-gateway-ip`, { tags: tags(resourceName(org, "gateway")) }, child);

    this.contract = {
      kubeconfig: pki.kubeconfig(apiEndpoint, resourceName(org, "k8s")),
      apiEndpoint,
      nodePools: settings.workerPools.map((p) => ({ ...p })),
      storageClasses: { default: "standard" },
      gatewayAddress: gatewayIp.publicIp,
      objectStorage,
      region: args.region,
    };
    this.registerOutputs({ apiEndpoint, gatewayAddress: gatewayIp.publicIp });
  }
}
