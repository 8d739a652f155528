import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "../plan/cidr-split";
import { resourceName } from "../plan/names";
import * as osc from "./provider";

export type Tags = (name: string, extra?: Readonly<Record<string, string>>) => osc.Tag[];

/**
 * A Net with one private subnet per subregion (nodes, internal load balancer) routed through a NAT service,
 * and one public subnet (NAT service, internet-facing load balancer) routed to the internet service.
 */
export function outscaleNetwork(name: string, args: { readonly organization: string; readonly networkCidr: string; readonly subregions: readonly string[]; readonly tags: Tags }, parent: pulumi.Resource) {
  const child = { parent };
  const org = args.organization;
  const tags = args.tags;
  const plan = planSubnets(args.networkCidr, args.subregions, true);
  const net = new osc.Net(`${name}-net`, { ipRange: args.networkCidr, tenancy: "default", tags: tags(resourceName(org, ["net"])) }, child);
  const publicSubnet = new osc.Subnet(`${name}-public`, { netId: net.netId, ipRange: plan.public!, subregionName: args.subregions[0]!, tags: tags(resourceName(org, ["public"])) }, child);
  const subnets = plan.zones.map(
    ({ zone, cidr }, i) => new osc.Subnet(`${name}-subnet-${i}`, { netId: net.netId, ipRange: cidr, subregionName: zone, tags: tags(resourceName(org, ["subnet", zone])) }, child),
  );
  const internet = new osc.InternetService(`${name}-internet`, { tags: tags(resourceName(org, ["internet"])) }, child);
  const internetLink = new osc.InternetServiceLink(`${name}-internet-link`, { internetServiceId: internet.internetServiceId, netId: net.netId }, child);
  const natIp = new osc.PublicIp(`${name}-nat-ip`, { tags: tags(resourceName(org, ["nat"])) }, child);
  const nat = new osc.NatService(`${name}-nat`, { subnetId: publicSubnet.subnetId, publicIpId: natIp.publicIpId, tags: tags(resourceName(org, ["nat"])) }, { parent, dependsOn: [internetLink] });
  const publicRoutes = new osc.RouteTable(`${name}-public-routes`, { netId: net.netId, tags: tags(resourceName(org, ["public-routes"])) }, child);
  const publicDefault = new osc.Route(`${name}-public-default`, { routeTableId: publicRoutes.routeTableId, destinationIpRange: "0.0.0.0/0", gatewayId: internet.internetServiceId }, child);
  new osc.RouteTableLink(`${name}-public-link`, { routeTableId: publicRoutes.routeTableId, subnetId: publicSubnet.subnetId }, child);
  const privateRoutes = new osc.RouteTable(`${name}-private-routes`, { netId: net.netId, tags: tags(resourceName(org, ["private-routes"])) }, child);
  new osc.Route(`${name}-private-default`, { routeTableId: privateRoutes.routeTableId, destinationIpRange: "0.0.0.0/0", natServiceId: nat.natServiceId }, child);
  subnets.forEach((s, i) => new osc.RouteTableLink(`${name}-private-link-${i}`, { routeTableId: privateRoutes.routeTableId, subnetId: s.subnetId }, child));
  return { net, publicSubnet, subnets, publicDefault };
}
