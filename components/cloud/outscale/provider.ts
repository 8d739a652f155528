import * as pulumi from "@pulumi/pulumi";

/**
 * 3DS Outscale resources, typed by the arguments socle sets, in one module.
 *
 * No Pulumi package for Outscale is on the npm registry. `pulumi package add terraform-provider outscale/outscale`
 * generates the SDK (`@pulumi/outscale`, published in the Pulumi registry as `outscale`); these classes carry
 * its type tokens (`outscale:index/<resource>:<Resource>`) and its input names, the camelCase of the
 * Terraform arguments (docs/resources/*.md of outscale/terraform-provider-outscale; the bridge pluralises
 * list arguments with a singular Terraform name, e.g. `admin_whitelist` → `adminWhitelists`, as the Pulumi
 * registry's OksCluster page shows). To swap in the generated SDK, replace this module's body with
 * re-exports of its classes (docs/cloud.md, "Outscale provider SDK"); the compiler points at any difference.
 */

/** A Terraform `tags { key, value }` block. */
export interface Tag {
  readonly key: string;
  readonly value: pulumi.Input<string>;
}

type Outputs<K extends string> = { readonly [P in K]: pulumi.Output<string> };
type Ctor<TArgs, K extends string> = new (name: string, args: TArgs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & Outputs<K>;

function outscale<TArgs extends object, K extends string = never>(token: string, outputs: readonly K[] = []): Ctor<TArgs, K> {
  return class extends pulumi.CustomResource {
    constructor(name: string, args: TArgs, opts?: pulumi.CustomResourceOptions) {
      super(token, name, { ...Object.fromEntries(outputs.map((o) => [o, undefined])), ...args }, opts);
    }
  } as unknown as Ctor<TArgs, K>;
}

type Id = pulumi.Input<string>;

/**
 * The Outscale provider socle is written against: terraform-provider-outscale v1.8.0 (tag v1.8.0 of
 * outscale/terraform-provider-outscale), bridged by `pulumi package add terraform-provider outscale/outscale 1.8.0`.
 */
export const OUTSCALE_PROVIDER = { repository: "outscale/terraform-provider-outscale", version: "1.8.0" } as const;

/**
 * Every resource of that release: the file names of `docs/resources/` at tag v1.8.0 (`outscale_<name>`).
 * A type socle registers must be one of these (`socle check`, rule cloud-provider-types).
 */
export const OUTSCALE_RESOURCES_V1_8_0 = [
  "access_key", "api_access_policy", "api_access_rule", "ca", "client_gateway", "dhcp_option", "flexible_gpu", "flexible_gpu_link",
  "image", "image_export_task", "image_launch_permission", "internet_service", "internet_service_link", "keypair", "load_balancer",
  "load_balancer_attributes", "load_balancer_listener_rule", "load_balancer_policy", "load_balancer_vms", "main_route_table_link",
  "nat_service", "net", "net_access_point", "net_attributes", "net_peering", "net_peering_acceptation", "nic", "nic_link",
  "nic_private_ip", "oks_cluster", "oks_manifest", "oks_project", "policy", "policy_version", "public_ip", "public_ip_link", "route",
  "route_table", "route_table_link", "security_group", "security_group_rule", "server_certificate", "snapshot", "snapshot_attributes",
  "snapshot_export_task", "subnet", "user", "user_group", "virtual_gateway", "virtual_gateway_link",
  "virtual_gateway_route_propagation", "vm", "volume", "volume_link", "vpn_connection", "vpn_connection_route",
] as const;

/** The Pulumi type token the bridge gives `outscale_<name>`: `outscale:index/<camelName>:<PascalName>`. Pure. */
export function outscaleToken(resource: string): string {
  const camel = resource.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return `outscale:index/${camel}:${camel[0]!.toUpperCase()}${camel.slice(1)}`;
}

export const TOKENS = {
  net: "outscale:index/net:Net",
  subnet: "outscale:index/subnet:Subnet",
  internetService: "outscale:index/internetService:InternetService",
  internetServiceLink: "outscale:index/internetServiceLink:InternetServiceLink",
  publicIp: "outscale:index/publicIp:PublicIp",
  natService: "outscale:index/natService:NatService",
  routeTable: "outscale:index/routeTable:RouteTable",
  route: "outscale:index/route:Route",
  routeTableLink: "outscale:index/routeTableLink:RouteTableLink",
  securityGroup: "outscale:index/securityGroup:SecurityGroup",
  securityGroupRule: "outscale:index/securityGroupRule:SecurityGroupRule",
  vm: "outscale:index/vm:Vm",
  volume: "outscale:index/volume:Volume",
  loadBalancer: "outscale:index/loadBalancer:LoadBalancer",
  loadBalancerVms: "outscale:index/loadBalancerVms:LoadBalancerVms",
  accessKey: "outscale:index/accessKey:AccessKey",
  oksProject: "outscale:index/oksProject:OksProject",
  oksCluster: "outscale:index/oksCluster:OksCluster",
} as const;

// outscale_net, outscale_subnet
export const Net = outscale<{ ipRange: string; tenancy?: "default" | "dedicated"; tags?: readonly Tag[] }, "netId">(TOKENS.net, ["netId"]);
export const Subnet = outscale<{ netId: Id; ipRange: string; subregionName: string; tags?: readonly Tag[] }, "subnetId">(TOKENS.subnet, ["subnetId"]);
// outscale_internet_service, outscale_internet_service_link
export const InternetService = outscale<{ tags?: readonly Tag[] }, "internetServiceId">(TOKENS.internetService, ["internetServiceId"]);
export const InternetServiceLink = outscale<{ internetServiceId: Id; netId: Id }>(TOKENS.internetServiceLink);
// outscale_public_ip, outscale_nat_service
export const PublicIp = outscale<{ tags?: readonly Tag[] }, "publicIp" | "publicIpId">(TOKENS.publicIp, ["publicIp", "publicIpId"]);
export const NatService = outscale<{ subnetId: Id; publicIpId: Id; tags?: readonly Tag[] }, "natServiceId">(TOKENS.natService, ["natServiceId"]);
// outscale_route_table, outscale_route, outscale_route_table_link
export const RouteTable = outscale<{ netId: Id; tags?: readonly Tag[] }, "routeTableId">(TOKENS.routeTable, ["routeTableId"]);
export const Route = outscale<{ routeTableId: Id; destinationIpRange: string; gatewayId?: Id; natServiceId?: Id }>(TOKENS.route);
export const RouteTableLink = outscale<{ routeTableId: Id; subnetId: Id }>(TOKENS.routeTableLink);
// outscale_security_group, outscale_security_group_rule
// `remove_default_outbound_rule` (Net only): created without the default allow-all outbound rule (docs/resources/security_group.md, v1.8.0).
export const SecurityGroup = outscale<{ securityGroupName: string; description: string; netId: Id; removeDefaultOutboundRule?: boolean; tags?: readonly Tag[] }, "securityGroupId">(TOKENS.securityGroup, ["securityGroupId"]);
export interface SecurityGroupRuleArgs {
  readonly flow: "Inbound" | "Outbound";
  readonly securityGroupId: Id;
  /** With `ipRange`: one CIDR. Exclusive with `rules`. */
  readonly ipProtocol?: "tcp" | "udp" | "-1";
  readonly fromPortRange?: number;
  readonly toPortRange?: number;
  readonly ipRange?: string;
  /** Rules from (or to) other security groups, or several CIDRs. */
  readonly rules?: readonly {
    readonly ipProtocol: "tcp" | "udp" | "-1";
    /** TCP and UDP only. */
    readonly fromPortRange?: number;
    readonly toPortRange?: number;
    readonly ipRanges?: readonly string[];
    readonly securityGroupsMembers?: readonly { readonly securityGroupId: Id }[];
  }[];
}
export const SecurityGroupRule = outscale<SecurityGroupRuleArgs>(TOKENS.securityGroupRule);
// outscale_vm
export interface VmArgs {
  readonly imageId: string;
  readonly vmType: string;
  readonly subnetId: Id;
  readonly securityGroupIds: readonly Id[];
  readonly placementSubregionName: string;
  /** Base64-encoded cloud-init. */
  readonly userData: pulumi.Input<string>;
  readonly blockDeviceMappings: readonly {
    readonly deviceName: string;
    readonly bsu: { readonly volumeSize: number; readonly volumeType: "standard" | "gp2" | "io1"; readonly deleteOnVmDeletion: boolean };
  }[];
  readonly deletionProtection?: boolean;
  readonly tags: readonly Tag[];
}
export const Vm = outscale<VmArgs, "vmId" | "privateIp">(TOKENS.vm, ["vmId", "privateIp"]);
// outscale_volume
export const Volume = outscale<{ subregionName: string; size: number; volumeType: "standard" | "gp2" | "io1"; tags?: readonly Tag[] }, "volumeId">(TOKENS.volume, ["volumeId"]);
// outscale_load_balancer, outscale_load_balancer_vms
export interface LoadBalancerArgs {
  readonly loadBalancerName: string;
  readonly loadBalancerType: "internal" | "internet-facing";
  readonly subnets: readonly Id[];
  readonly securityGroups: readonly Id[];
  readonly listeners: readonly { readonly backendPort: number; readonly backendProtocol: "TCP"; readonly loadBalancerPort: number; readonly loadBalancerProtocol: "TCP" }[];
  /** internet-facing only: the public IP (address) to use. */
  readonly publicIp?: pulumi.Input<string>;
  readonly tags?: readonly Tag[];
}
export const LoadBalancer = outscale<LoadBalancerArgs, "dnsName" | "loadBalancerName">(TOKENS.loadBalancer, ["dnsName", "loadBalancerName"]);
export const LoadBalancerVms = outscale<{ loadBalancerName: Id; backendVmIds: readonly Id[] }>(TOKENS.loadBalancerVms);
// outscale_access_key
export const AccessKey = outscale<{ state?: "ACTIVE" | "INACTIVE"; userName?: Id }, "accessKeyId" | "secretKey">(TOKENS.accessKey, ["accessKeyId", "secretKey"]);
// outscale_oks_project, outscale_oks_cluster (tags are maps here, not blocks)
export const OksProject = outscale<{ name: string; cidr: string; region: string; description?: string; disableApiTermination?: boolean; tags?: Readonly<Record<string, string>> }>(TOKENS.oksProject);
export interface OksClusterArgs {
  readonly projectId: Id;
  readonly name: string;
  readonly version: string;
  readonly adminWhitelists: readonly string[];
  readonly cidrPods: string;
  readonly cidrService: string;
  readonly cpMultiAz: boolean;
  readonly cpSubregions: readonly string[];
  readonly controlPlanes?: string;
  readonly disableApiTermination?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}
export const OksCluster = outscale<OksClusterArgs, "kubeconfig">(TOKENS.oksCluster, ["kubeconfig"]);
