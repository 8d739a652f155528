import * as pulumi from "@pulumi/pulumi";
import { clusterFlows, groupsOf, NODE_EGRESS, type NodeGroup } from "../plan/flows";
import { resourceName } from "../plan/names";
import type { Tags } from "./network";
import * as osc from "./provider";

type Group = InstanceType<typeof osc.SecurityGroup>;

/**
 * Security groups (the nodes' one tagged `OscK8sMainSG/<cluster-id>`: the cloud-controller-manager opens it to
 * the load balancers it creates, cloud-provider-osc deploy/README.md) for nodes, control plane, bastion (when SSH goes through one) and the two load balancers.
 * Outscale security groups admit nothing inbound until a rule does: the rules below are the cluster's flow
 * matrix (plan/flows.ts), the API load balancer's (6443 from the admin and node networks, 9345 from the node
 * network) and the gateway's (80 and 443 from anywhere).
 */
export function outscaleSecurityGroups(
  name: string,
  args: { readonly organization: string; readonly netId: pulumi.Input<string>; readonly networkCidr: string; readonly adminCidrs: readonly string[]; readonly sshAccess: "disabled" | "admin-cidrs" | "bastion"; readonly tags: Tags },
  parent: pulumi.Resource,
): Record<NodeGroup | "api-lb" | "gateway-lb", Group> {
  const child = { parent };
  const flows = clusterFlows(args.sshAccess);
  const group = (id: string) =>
    new osc.SecurityGroup(
      `${name}-${id}`,
      // Without the default allow-all outbound rule (remove_default_outbound_rule, docs/resources/security_group.md, v1.8.0).
      { securityGroupName: resourceName(args.organization, [id]), description: `socle ${id}: deny by default`, netId: args.netId, removeDefaultOutboundRule: true, tags: args.tags(resourceName(args.organization, [id]), id === "nodes" ? { [`OscK8sMainSG/${resourceName(args.organization, ["k8s"])}`]: "owned" } : {}) },
      child,
    );
  const groups = Object.fromEntries([...groupsOf(flows), "api-lb", "gateway-lb"].map((g) => [g, group(g)])) as Record<NodeGroup | "api-lb" | "gateway-lb", Group>;
  const rule = (id: string, target: Group, protocol: "tcp" | "udp" | "-1", from: number, to: number, source: { ipRanges: readonly string[] } | { group: Group }, flow: "Inbound" | "Outbound" = "Inbound") =>
    new osc.SecurityGroupRule(
      `${name}-${id}`,
      {
        flow,
        securityGroupId: target.securityGroupId,
        rules: [
          {
            ipProtocol: protocol,
            ...(protocol === "-1" ? {} : { fromPortRange: from, toPortRange: to }),
            ...("group" in source ? { securityGroupsMembers: [{ securityGroupId: source.group.securityGroupId }] } : { ipRanges: [...source.ipRanges] }),
          },
        ],
      },
      child,
    );
  for (const f of flows) {
    const source = "group" in f.source ? { group: groups[f.source.group] } : { ipRanges: f.source.cidrs === "network" ? [args.networkCidr] : args.adminCidrs };
    rule(f.id, groups[f.to], f.protocol, f.from, f.toPort, source);
  }
  rule("api-lb-api", groups["api-lb"], "tcp", 6443, 6443, { ipRanges: [args.networkCidr, ...args.adminCidrs] });
  rule("api-lb-supervisor", groups["api-lb"], "tcp", 9345, 9345, { ipRanges: [args.networkCidr] });
  rule("gateway-lb-http", groups["gateway-lb"], "tcp", 80, 80, { ipRanges: ["0.0.0.0/0"] });
  rule("gateway-lb-https", groups["gateway-lb"], "tcp", 443, 443, { ipRanges: ["0.0.0.0/0"] });
  // Outbound, as on OpenStack: the node network, and a few services beyond it (plan/flows.ts NODE_EGRESS).
  for (const g of Object.keys(groups) as (NodeGroup | "api-lb" | "gateway-lb")[]) {
    rule(`${g}-egress-network`, groups[g], "-1", -1, -1, { ipRanges: [args.networkCidr] }, "Outbound");
    if (g === "api-lb" || g === "gateway-lb") continue;
    for (const e of NODE_EGRESS) rule(`${g}-egress-${e.id}`, groups[g], e.protocol, e.port, e.port, { ipRanges: [e.cidr] }, "Outbound");
  }
  return groups;
}
