import type { CheckFinding, CheckRule } from "../../types";
import { CloudGraph, cidrWithin, finding, rangeHolds, records, strings } from "./graph";

/**
 * The metadata service every node needs, at its link-local address (components/cloud/plan/flows.ts
 * METADATA_SERVICE): cloud-init reads user data there unless a config drive carries it, and the OpenStack
 * cloud-controller-manager and Cinder CSI read the instance id from the config drive or there
 * (kubernetes/cloud-provider-openstack docs/cinder-csi-plugin/using-cinder-csi-plugin.md, `search-order`).
 */
const METADATA = { address: "169.254.169.254", port: 80 };

const OS_INSTANCE = "openstack:compute/instance:Instance";
const OS_PORT = "openstack:networking/port:Port";
const OS_GROUP = "openstack:networking/secGroup:SecGroup";
const OS_RULE = "openstack:networking/secGroupRule:SecGroupRule";
const OSC_VM = "outscale:index/vm:Vm";
const OSC_GROUP = "outscale:index/securityGroup:SecurityGroup";
const OSC_RULE = "outscale:index/securityGroupRule:SecurityGroupRule";

export const metadataReachable: CheckRule = {
  id: "cloud-metadata-reachable",
  description: "Every node reaches its metadata source: a config drive, or egress to 169.254.169.254:80 through its security groups.",
  run(model) {
    const g = new CloudGraph(model);
    const out: CheckFinding[] = [];
    const covers = (cidr: unknown) => cidr === undefined || cidr === "" || (typeof cidr === "string" && cidrWithin(METADATA.address, cidr));

    for (const vm of g.ofType(OS_INSTANCE)) {
      if (vm.props.configDrive === true) continue;
      const groups = g.dependenciesOf(vm, OS_PORT).flatMap((p) => g.dependenciesOf(p, OS_GROUP));
      // A group that keeps OpenStack's default rules allows every egress.
      if (groups.length === 0 || groups.some((s) => s.props.deleteDefaultRules !== true)) continue;
      const allowed = groups
        .flatMap((s) => g.dependentsOf(s, OS_RULE))
        .some((r) => r.props.direction === "egress" && (r.props.protocol === undefined || r.props.protocol === "" || r.props.protocol === "tcp") && rangeHolds(r.props.portRangeMin, r.props.portRangeMax, METADATA.port) && covers(r.props.remoteIpPrefix));
      if (!allowed) {
        out.push(
          finding(
            this.id,
            "blocker",
            vm,
            "configDrive",
            "the instance has no config drive and its security groups (default rules deleted) allow no egress to the metadata service 169.254.169.254:80: cloud-init gets no user data, and the cloud-controller-manager and Cinder CSI cannot read the instance id",
            "set configDrive: true on the instance, or add an egress rule tcp/80 to 169.254.169.254/32 to one of its security groups",
          ),
        );
      }
    }

    for (const vm of g.ofType(OSC_VM)) {
      const groups = g.dependenciesOf(vm, OSC_GROUP);
      if (groups.length === 0 || groups.some((s) => s.props.removeDefaultOutboundRule !== true)) continue;
      const allowed = groups
        .flatMap((s) => g.dependentsOf(s, OSC_RULE))
        .filter((r) => r.props.flow === "Outbound")
        .some((r) => {
          const entries = records(r.props.rules).length > 0 ? records(r.props.rules) : [r.props];
          return entries.some((e) => {
            const proto = e.ipProtocol ?? "-1";
            const ranges = [...strings(e.ipRanges), ...(typeof e.ipRange === "string" ? [e.ipRange] : [])];
            return (proto === "-1" || proto === "tcp") && rangeHolds(e.fromPortRange, e.toPortRange, METADATA.port) && ranges.some((c) => covers(c));
          });
        });
      if (!allowed) {
        out.push(
          finding(
            this.id,
            "blocker",
            vm,
            "securityGroupIds",
            "the VM's security groups have no default outbound rule and allow no outbound flow to the metadata service 169.254.169.254:80: cloud-init gets no user data",
            "add an Outbound rule tcp/80 to 169.254.169.254/32 to one of the VM's security groups",
          ),
        );
      }
    }
    return out;
  },
};
