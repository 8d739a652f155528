import * as pulumi from "@pulumi/pulumi";
import * as openstack from "@pulumi/openstack";
import { clusterFlows, groupsOf, NODE_EGRESS, type NodeGroup } from "../plan/flows";
import { resourceName } from "../plan/names";


/**
 * Security groups that deny by default (`deleteDefaultRules`): the cluster's flow matrix (plan/flows.ts)
 * inbound, the node network and a few services outbound. No rule admits an administration port from anywhere
 * but the admin networks, the node network or another of the cluster's groups.
 */
export function openstackSecurityGroups(
  name: string,
  args: { readonly organization: string; readonly region: string; readonly networkCidr: string; readonly adminCidrs: readonly string[]; readonly sshAccess: "disabled" | "admin-cidrs" | "bastion" },
  parent: pulumi.Resource,
): Readonly<Partial<Record<NodeGroup, openstack.networking.SecGroup>>> & { readonly nodes: openstack.networking.SecGroup; readonly servers: openstack.networking.SecGroup } {
  const child = { parent };
  const { region } = args;
  const flows = clusterFlows(args.sshAccess);
  const groups = Object.fromEntries(
    groupsOf(flows).map((g) => [
      g,
      new openstack.networking.SecGroup(`${name}-${g}`, { name: resourceName(args.organization, [g]), description: `socle ${g}: deny by default`, deleteDefaultRules: true, region }, child),
    ]),
  ) as Record<NodeGroup, openstack.networking.SecGroup>;
  const rule = (id: string, r: Omit<openstack.networking.SecGroupRuleArgs, "ethertype" | "region">) =>
    new openstack.networking.SecGroupRule(`${name}-${id}`, { ...r, ethertype: "IPv4", region }, child);

  for (const flow of flows) {
    const base = { direction: "ingress", protocol: flow.protocol, portRangeMin: flow.from, portRangeMax: flow.toPort, securityGroupId: groups[flow.to].id, description: flow.why };
    if ("group" in flow.source) rule(flow.id, { ...base, remoteGroupId: groups[flow.source.group].id });
    else if (flow.source.cidrs === "network") rule(flow.id, { ...base, remoteIpPrefix: args.networkCidr });
    else args.adminCidrs.forEach((cidr, i) => rule(`${flow.id}-${i}`, { ...base, remoteIpPrefix: cidr }));
  }
  for (const g of Object.keys(groups) as NodeGroup[]) {
    rule(`${g}-egress-network`, { direction: "egress", remoteIpPrefix: args.networkCidr, securityGroupId: groups[g].id, description: "the node network" });
    // deleteDefaultRules removes the default egress rules too: the metadata service must be allowed here.
    for (const e of NODE_EGRESS) {
      rule(`${g}-egress-${e.id}`, { direction: "egress", protocol: e.protocol, portRangeMin: e.port, portRangeMax: e.port, remoteIpPrefix: e.cidr, securityGroupId: groups[g].id, description: e.why });
    }
  }
  return groups;
}
