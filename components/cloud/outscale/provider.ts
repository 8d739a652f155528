import * as pulumi from "@pulumi/pulumi";

/**
 * 3DS Outscale resources, typed by the arguments socle sets. No Pulumi package for Outscale is published
 * on the npm registry; these classes carry the type tokens of the Terraform-bridged provider
 * (`pulumi package add terraform-provider outscale/outscale` generates `@pulumi/outscale` with the same
 * tokens: `outscale:index/<resource>:<Resource>`), and argument names are the camelCase of the Terraform
 * arguments (`outscale_vm.vm_type` → `vmType`). To swap in the generated SDK, replace this module's
 * exports with re-exports of its classes; the components keep compiling where the names agree, and the
 * compiler points at any that differ. Argument names are from the provider's documentation and are to be
 * checked against the generated SDK on that swap.
 */

export interface Tag {
  readonly key: string;
  readonly value: pulumi.Input<string>;
}

type Outputs<K extends string> = { readonly [P in K]: pulumi.Output<string> };

function outscale<TArgs extends object, K extends string>(token: string, outputs: readonly K[]) {
  const Resource = class extends pulumi.CustomResource {
    constructor(name: string, args: TArgs, opts?: pulumi.CustomResourceOptions) {
      super(token, name, { ...Object.fromEntries(outputs.map((o) => [o, undefined])), ...args }, opts);
    }
  };
  return Resource as unknown as new (name: string, args: TArgs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & Outputs<K>;
}

export const Net = outscale<{ ipRange: string; tenancy?: string; tags?: readonly Tag[] }, "netId">("outscale:index/net:Net", ["netId"]);
export const Subnet = outscale<{ netId: pulumi.Input<string>; ipRange: string; subregionName: string; tags?: readonly Tag[] }, "subnetId">("outscale:index/subnet:Subnet", ["subnetId"]);
export const InternetService = outscale<{ tags?: readonly Tag[] }, "internetServiceId">("outscale:index/internetService:InternetService", ["internetServiceId"]);
export const InternetServiceLink = outscale<{ internetServiceId: pulumi.Input<string>; netId: pulumi.Input<string> }, never>("outscale:index/internetServiceLink:InternetServiceLink", []);
export const PublicIp = outscale<{ tags?: readonly Tag[] }, "publicIp" | "publicIpId">("outscale:index/publicIp:PublicIp", ["publicIp", "publicIpId"]);
export const NatService = outscale<{ subnetId: pulumi.Input<string>; publicIpId: pulumi.Input<string>; tags?: readonly Tag[] }, "natServiceId">("outscale:index/natService:NatService", ["natServiceId"]);
export const RouteTable = outscale<{ netId: pulumi.Input<string>; tags?: readonly Tag[] }, "routeTableId">("outscale:index/routeTable:RouteTable", ["routeTableId"]);
export const Route = outscale<{ routeTableId: pulumi.Input<string>; destinationIpRange: string; gatewayId?: pulumi.Input<string>; natServiceId?: pulumi.Input<string> }, never>(
  "outscale:index/route:Route",
  [],
);
export const RouteTableLink = outscale<{ routeTableId: pulumi.Input<string>; subnetId: pulumi.Input<string> }, never>("outscale:index/routeTableLink:RouteTableLink", []);
export const SecurityGroup = outscale<{ securityGroupName: string; description: string; netId: pulumi.Input<string>; tags?: readonly Tag[] }, "securityGroupId">(
  "outscale:index/securityGroup:SecurityGroup",
  ["securityGroupId"],
);
export interface SecurityGroupRuleArgs {
  readonly flow: "Inbound" | "Outbound";
  readonly securityGroupId: pulumi.Input<string>;
  readonly ipProtocol?: "tcp" | "udp" | "-1";
  readonly fromPortRange?: number;
  readonly toPortRange?: number;
  /** A CIDR the rule admits; or, with `rules`, members of another security group. */
  readonly ipRange?: string;
  readonly rules?: readonly {
    readonly fromPortRange: number;
    readonly toPortRange: number;
    readonly ipProtocol: "tcp" | "udp";
    readonly securityGroupsMembers?: readonly { readonly securityGroupId: pulumi.Input<string> }[];
    readonly ipRanges?: readonly string[];
  }[];
}
export const SecurityGroupRule = outscale<SecurityGroupRuleArgs, never>("outscale:index/securityGroupRule:SecurityGroupRule", []);
export interface VmArgs {
  readonly imageId: string;
  readonly vmType: string;
  readonly subnetId: pulumi.Input<string>;
  readonly securityGroupIds: readonly pulumi.Input<string>[];
  readonly placementSubregionName: string;
  /** Base64-encoded cloud-init. */
  readonly userData: pulumi.Input<string>;
  readonly blockDeviceMappings: readonly {
    readonly deviceName: string;
    readonly bsu: { readonly volumeSize: number; readonly volumeType: string; readonly deleteOnVmDeletion: boolean };
  }[];
  readonly deletionProtection?: boolean;
  readonly tags: readonly Tag[];
}
export const Vm = outscale<VmArgs, "vmId" | "privateIp">("outscale:index/vm:Vm", ["vmId", "privateIp"]);
export const Volume = outscale<{ subregionName: string; size: number; volumeType: string; tags?: readonly Tag[] }, "volumeId">("outscale:index/volume:Volume", ["volumeId"]);
export interface LoadBalancerArgs {
  readonly loadBalancerName: string;
  readonly loadBalancerType: "internal" | "internet-facing";
  readonly subnets: readonly pulumi.Input<string>[];
  readonly securityGroups: readonly pulumi.Input<string>[];
  readonly listeners: readonly { readonly backendPort: number; readonly backendProtocol: "TCP"; readonly loadBalancerPort: number; readonly loadBalancerProtocol: "TCP" }[];
  readonly tags?: readonly Tag[];
}
export const LoadBalancer = outscale<LoadBalancerArgs, "dnsName" | "loadBalancerName">("outscale:index/loadBalancer:LoadBalancer", ["dnsName", "loadBalancerName"]);
export const LoadBalancerVms = outscale<{ loadBalancerName: pulumi.Input<string>; backendVmIds: readonly pulumi.Input<string>[] }, never>("outscale:index/loadBalancerVms:LoadBalancerVms", []);
export const AccessKey = outscale<{ state?: "ACTIVE" }, "accessKeyId" | "secretKey">("outscale:index/accessKey:AccessKey", ["accessKeyId", "secretKey"]);
export const OksProject = outscale<{ name: string; cidr: string; region: string; description?: string }, "id">("outscale:index/oksProject:OksProject", []);
export interface OksClusterArgs {
  readonly projectId: pulumi.Input<string>;
  readonly name: string;
  readonly version: string;
  readonly cpMultiAz: boolean;
  readonly cpSubregions: readonly string[];
  readonly adminWhitelist: readonly string[];
  readonly cidrPods: string;
  readonly cidrService: string;
}
export const OksCluster = outscale<OksClusterArgs, "kubeconfig">("outscale:index/oksCluster:OksCluster", ["kubeconfig"]);
