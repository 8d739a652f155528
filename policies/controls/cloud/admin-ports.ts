import type { CheckResult, Control, ResourceView, Violation } from "../../types";
import { DEFAULT_ADMIN_MIN_PREFIX, parseRange, publicAddressCount, rangeSize, type AddressRange } from "../lib/address-ranges";
import { pass, verdict, violation } from "../lib/results";
import { ofTypes } from "../lib/indexes";
import { verifiedSection } from "../lib/snc";
import { asArray, asInteger, asString, isUnknown, nonEmptyString, records } from "../lib/values";

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

const OPENSTACK_RULE = "openstack:networking/secGroupRule:SecGroupRule";
const OUTSCALE_RULE = "outscale:index/securityGroupRule:SecurityGroupRule";

/** One source range of a rule that reaches administration ports. */
interface Exposure {
  readonly view: ResourceView;
  readonly source: string;
  readonly range?: AddressRange;
  readonly path: string;
  readonly ports: readonly (readonly [string, string])[];
}

export const control: Control = {
  id: "snc-cloud-admin-ports",
  title: {
    fr: "Ports d'administration ouverts seulement à des réseaux bornés",
    en: "Administration ports open only to bounded networks",
  },
  snc: verifiedSection("9", "9.6", "Accès aux interfaces d'administration"),
  severity: "critical",
  enforcement: "mandatory",
  rationale:
    "Administration interfaces must not be reachable from a public network (9.6.d) and must be filtered to the legitimate flows of the flow matrix (13.2.e). " +
    "The control works on the addresses a rule's sources cover, not on their spelling: a source range larger than a /16 in IPv4 (a /48 in IPv6; the stack's `socle:adminCidrMinPrefix` when it declares one), " +
    "or public addresses that, across every rule reaching administration ports, add up to more than such a range, fail — eight ranges that cover the Internet but 10.0.0.0/8 fail as 0.0.0.0/0 does.",
  remediation:
    "Restrict the rule's source to the administration network or bastion CIDR (`remoteIpPrefix` on OpenStack, `ipRange` / `rules[].ipRanges` on Outscale), or to a source security group. Reach the API through the bastion or a VPN.",
  evidence: [
    `${OPENSTACK_RULE}: direction, protocol, portRangeMin, portRangeMax, remoteIpPrefix, remoteGroupId`,
    `${OUTSCALE_RULE}: flow, ipProtocol, fromPortRange, toPortRange, ipRange, rules[].ipRanges`,
  ],
  check(resources, ctx) {
    const minPrefix = { 4: ctx?.adminMinPrefix ?? DEFAULT_ADMIN_MIN_PREFIX[4], 6: DEFAULT_ADMIN_MIN_PREFIX[6] };
    const byView = new Map<ResourceView, Violation[]>();
    const exposures: Exposure[] = [];
    for (const view of ofTypes(resources, (type) => type === OPENSTACK_RULE || type === OUTSCALE_RULE)) {
      const p = view.props;
      if (view.type === OPENSTACK_RULE) {
        if (p.direction !== "ingress") continue;
        byView.set(view, []);
        const ports = adminPorts(p.protocol, p.portRangeMin, p.portRangeMax);
        if (ports.length === 0) continue;
        if (nonEmptyString(p.remoteIpPrefix)) exposures.push(exposure(view, p.remoteIpPrefix, "remoteIpPrefix", ports));
        else if (!nonEmptyString(p.remoteGroupId)) exposures.push({ view, source: "any source (no remoteIpPrefix nor remoteGroupId)", path: "remoteIpPrefix", ports, range: parseRange("0.0.0.0/0") });
      } else if (view.type === OUTSCALE_RULE) {
        if (p.flow !== "Inbound") continue;
        byView.set(view, []);
        if (nonEmptyString(p.ipRange)) {
          const ports = adminPorts(p.ipProtocol, p.fromPortRange, p.toPortRange);
          if (ports.length) exposures.push(exposure(view, p.ipRange, "ipRange", ports));
        }
        for (const { item, index } of records(p.rules)) {
          const ports = adminPorts(item.ipProtocol, item.fromPortRange, item.toPortRange);
          if (ports.length === 0) continue;
          for (const range of asArray(item.ipRanges)) {
            if (typeof range === "string") exposures.push(exposure(view, range, `rules[${index}].ipRanges`, ports));
          }
        }
      }
    }
    for (const e of exposures) {
      const list = byView.get(e.view)!;
      if (isUnknown(e.source)) continue; // computed by the cloud: the region and provider controls say so
      const range = e.range;
      if (!range) list.push(...e.ports.map(([port, what]) => violation(`${what} port ${port} is open to "${e.source.slice(0, 64)}", which is not an address range`, e.path)));
      else if (range.prefix === 0) list.push(...e.ports.map(([port, what]) => violation(`${what} port ${port} is open to ${e.source}`, e.path)));
      else if (range.prefix < minPrefix[range.family]) {
        list.push(...e.ports.map(([port, what]) => violation(`${what} port ${port} is open to ${e.source}, a range larger than a /${minPrefix[range.family]} (${rangeSize(range)} addresses)`, e.path)));
      }
    }
    // Many small ranges are as open as one large one: count the public addresses of all of them.
    for (const family of [4, 6] as const) {
      const ranges = exposures.filter((e) => e.range?.family === family && !isUnknown(e.source));
      const limit = 1n << BigInt((family === 4 ? 32 : 128) - minPrefix[family]);
      const total = publicAddressCount(ranges.map((e) => e.range!));
      if (total <= limit) continue;
      for (const e of ranges) {
        // Already failed on its own size, or holding no public address: nothing to add.
        if (e.range!.prefix < minPrefix[family] || publicAddressCount([e.range!]) === 0n) continue;
        byView.get(e.view)!.push(violation(`administration ports are open to ${total} public IPv${family} addresses across all rules (more than one /${minPrefix[family]}, ${limit}); ${e.source} is one of them`, e.path));
      }
    }
    const results: CheckResult[] = [];
    for (const [view, violations] of byView) {
      const r = verdict(view, violations);
      results.push(r.status === "pass" ? pass(view, "administration ports are open only to bounded networks") : r);
    }
    return results;
  },
};

function exposure(view: ResourceView, source: string, path: string, ports: Exposure["ports"]): Exposure {
  const range = parseRange(source);
  return range ? { view, source, path, ports, range } : { view, source, path, ports };
}

/** The administration ports a rule's protocol and port range cover, as [port, what]. */
function adminPorts(protocol: unknown, from: unknown, to: unknown): (readonly [string, string])[] {
  const proto = asString(protocol)?.toLowerCase();
  const allProtocols = proto === undefined || proto === "" || proto === "-1" || proto === "any";
  if (!allProtocols && proto !== "tcp" && proto !== "6") return [];
  const min = asInteger(from);
  const max = asInteger(to);
  const allPorts = allProtocols || ((min === undefined || min <= 0) && (max === undefined || max <= 0));
  return Object.entries(ADMIN_PORTS).filter(([port]) => allPorts || (min !== undefined && max !== undefined && min <= Number(port) && Number(port) <= max));
}
