import type { CheckResult, Control, Violation } from "../../types";
import { pass, verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asArray, asInteger, asString, nonEmptyString, records, type Json } from "../lib/values";

/** Administration ports: SSH, Kubernetes API, etcd, kubelet, controller-manager, scheduler, RDP. */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: "SSH",
  2379: "etcd client",
  2380: "etcd peer",
  3389: "RDP",
  6443: "Kubernetes API",
  10250: "kubelet API",
  10257: "kube-controller-manager",
  10259: "kube-scheduler",
};

const WORLD = new Set(["0.0.0.0/0", "::/0"]);
const OPENSTACK_RULE = "openstack:networking/secGroupRule:SecGroupRule";
const OUTSCALE_RULE = "outscale:index/securityGroupRule:SecurityGroupRule";

export const control: Control = {
  id: "snc-cloud-admin-ports",
  title: {
    fr: "Ports d'administration jamais ouverts à tout Internet",
    en: "Administration ports never open to the whole Internet",
  },
  snc: verifiedSection("9", "9.6", "Accès aux interfaces d'administration"),
  severity: "critical",
  enforcement: "mandatory",
  rationale:
    "Administration interfaces must not be reachable from a public network (9.6.d) and must be filtered to the legitimate flows of the flow matrix (13.2.e). A security group rule opening SSH, the Kubernetes API, etcd or the kubelet to 0.0.0.0/0 exposes them to the whole Internet.",
  remediation:
    "Restrict the rule's source to the administration network or bastion CIDR (`remoteIpPrefix` on OpenStack, `ipRange` / `rules[].ipRanges` on Outscale), or to a source security group. Reach the API through the bastion or a VPN.",
  evidence: [
    `${OPENSTACK_RULE}: direction, protocol, portRangeMin, portRangeMax, remoteIpPrefix, remoteGroupId`,
    `${OUTSCALE_RULE}: flow, ipProtocol, fromPortRange, toPortRange, ipRange, rules[].ipRanges`,
  ],
  check(resources) {
    const results: CheckResult[] = [];
    for (const view of resources) {
      if (view.type === OPENSTACK_RULE) {
        if (view.props.direction !== "ingress") continue;
        const p = view.props;
        const openToAll = (nonEmptyString(p.remoteIpPrefix) && WORLD.has(p.remoteIpPrefix)) || (!nonEmptyString(p.remoteIpPrefix) && !nonEmptyString(p.remoteGroupId));
        const source = nonEmptyString(p.remoteIpPrefix) ? p.remoteIpPrefix : "any source (no remoteIpPrefix nor remoteGroupId)";
        results.push(verdict(view, openToAll ? exposed(p.protocol, p.portRangeMin, p.portRangeMax, source, "remoteIpPrefix") : []));
      } else if (view.type === OUTSCALE_RULE) {
        if (view.props.flow !== "Inbound") continue;
        results.push(verdict(view, outscaleExposures(view.props)));
      }
    }
    return results.map((r) => (r.status === "pass" ? pass(r.resource, "no administration port is open to the whole Internet") : r));
  },
};

function outscaleExposures(p: Json): Violation[] {
  const violations: Violation[] = [];
  if (nonEmptyString(p.ipRange) && WORLD.has(p.ipRange)) violations.push(...exposed(p.ipProtocol, p.fromPortRange, p.toPortRange, p.ipRange, "ipRange"));
  for (const { item, index } of records(p.rules)) {
    for (const range of asArray(item.ipRanges)) {
      if (typeof range === "string" && WORLD.has(range)) violations.push(...exposed(item.ipProtocol, item.fromPortRange, item.toPortRange, range, `rules[${index}].ipRanges`));
    }
  }
  return violations;
}

/** Violations for a rule open to `source`, one per administration port its protocol and port range cover. */
function exposed(protocol: unknown, from: unknown, to: unknown, source: string, path: string): Violation[] {
  const proto = asString(protocol)?.toLowerCase();
  const allProtocols = proto === undefined || proto === "" || proto === "-1" || proto === "any";
  if (!allProtocols && proto !== "tcp" && proto !== "6") return [];
  const min = asInteger(from);
  const max = asInteger(to);
  const allPorts = allProtocols || ((min === undefined || min <= 0) && (max === undefined || max <= 0));
  return Object.entries(ADMIN_PORTS)
    .filter(([port]) => allPorts || (min !== undefined && max !== undefined && min <= Number(port) && Number(port) <= max))
    .map(([port, what]) => violation(`${what} port ${port} is open to ${source}`, path));
}
