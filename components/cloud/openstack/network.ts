import * as pulumi from "@pulumi/pulumi";
import * as openstack from "@pulumi/openstack";
import { planSubnets } from "../plan/cidr-split";
import { resourceName } from "../plan/names";

export interface OpenStackNetwork {
  readonly externalNetworkId: pulumi.Output<string>;
  readonly network: openstack.networking.Network;
  /** One subnet per availability zone, in zone order. */
  readonly subnets: readonly { readonly zone: string; readonly subnet: openstack.networking.Subnet }[];
  readonly router: openstack.networking.Router;
}

/** A private network with one subnet per availability zone, routed to the external network. */
export function openstackNetwork(
  name: string,
  args: { readonly organization: string; readonly region: string; readonly networkCidr: string; readonly zones: readonly string[]; readonly externalNetwork: string },
  parent: pulumi.Resource,
): OpenStackNetwork {
  const child = { parent };
  const org = args.organization;
  const region = args.region;
  const external = openstack.networking.getNetworkOutput({ name: args.externalNetwork, external: true, region }, child);
  const network = new openstack.networking.Network(`${name}-network`, { name: resourceName(org, ["network"]), adminStateUp: true, region }, child);
  const plan = planSubnets(args.networkCidr, args.zones, false);
  const subnets = plan.zones.map(({ zone, cidr }, i) => ({
    zone,
    subnet: new openstack.networking.Subnet(`${name}-subnet-${i}`, { name: resourceName(org, ["subnet", zone]), networkId: network.id, cidr, ipVersion: 4, region }, child),
  }));
  const router = new openstack.networking.Router(`${name}-router`, { name: resourceName(org, ["router"]), externalNetworkId: external.id, adminStateUp: true, region }, child);
  subnets.forEach(({ subnet }, i) => new openstack.networking.RouterInterface(`${name}-router-${i}`, { routerId: router.id, subnetId: subnet.id, region }, child));
  return { externalNetworkId: external.id, network, subnets, router };
}
