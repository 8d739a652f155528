import type { ResourceView } from "../../../../policies/types";
import type { CheckFinding, CheckRule } from "../../types";
import { CloudGraph, cidrWithin, coveringCidr, finding, isRecord, num, rangeHolds, records, strings } from "./graph";

/**
 * Administration ports of a node (RKE2 inbound rules, docs.rke2.io installation requirements): SSH, the
 * Kubernetes API, the RKE2 supervisor, etcd client and peer, the kubelet API.
 */
const ADMIN_PORTS = [22, 6443, 9345, 2379, 2380, 10250];

const OS_RULE = "openstack:networking/secGroupRule:SecGroupRule";
const OS_LISTENER = "openstack:loadbalancer/listener:Listener";
const OS_SUBNET = "openstack:networking/subnet:Subnet";
const MAGNUM = ["openstack:containerinfra/cluster:Cluster", "openstack:containerinfra/clusterTemplate:ClusterTemplate"];
const OSC_RULE = "outscale:index/securityGroupRule:SecurityGroupRule";
const OSC_LB = "outscale:index/loadBalancer:LoadBalancer";
const OSC_NET = "outscale:index/net:Net";
const OKS_CLUSTER = "outscale:index/oksCluster:OksCluster";
const OKS_PROJECT = "outscale:index/oksProject:OksProject";

export const adminSurface: CheckRule = {
  id: "cloud-admin-surface",
  description: "Administration surfaces (SSH, Kubernetes API, RKE2 supervisor, etcd, kubelet) are reachable only from socle:adminCidrs and the cluster's own network.",
  run(model) {
    const g = new CloudGraph(model);
    const admin = strings(g.socle()?.adminCidrs);
    // The cluster's own network: the Outscale Net or OKS project range, or the smallest range holding every OpenStack subnet.
    const subnets = g.ofType(OS_SUBNET).map((s) => s.props.cidr).filter((c): c is string => typeof c === "string");
    const nodeNetworks = [
      coveringCidr(subnets),
      ...g.ofType(OSC_NET).map((n) => n.props.ipRange),
      ...g.ofType(OKS_PROJECT).map((p) => p.props.cidr),
    ].filter((c): c is string => typeof c === "string");
    const allowed = [...admin, ...nodeNetworks];
    const inside = (cidr: string) => allowed.some((a) => cidrWithin(cidr, a));
    const out: CheckFinding[] = [];
    const exposes = (from: unknown, to: unknown) => ADMIN_PORTS.filter((p) => rangeHolds(from, to, p));
    const report = (view: ResourceView, path: string, cidr: string, ports: readonly number[]) =>
      out.push(
        finding(
          this.id,
          "blocker",
          view,
          path,
          `${cidr} reaches administration port(s) ${ports.join(", ")}, and it is neither in socle:adminCidrs (${admin.join(", ") || "none declared"}) nor the cluster's network`,
          "restrict the source to the admin networks (socle:adminCidrs) or the node network",
        ),
      );

    if (admin.length === 0) {
      const stack = model.resources.find((r) => r.type === "pulumi:pulumi:Stack");
      if (model.cloud.some((r) => r.type.startsWith("openstack:") || r.type.startsWith("outscale:"))) {
        out.push({
          rule: this.id,
          severity: "warning",
          object: stack ? `${stack.type}/${stack.name}` : "deployment",
          path: "outputs.socle.adminCidrs",
          message: "the input declares no admin networks (stack output socle.adminCidrs): only sources open to the whole Internet are checked",
          fix: "check a state rendered by this version of socle, whose socle output lists socle:adminCidrs",
        });
      }
    }

    for (const r of g.ofType(OS_RULE)) {
      if (r.props.direction !== "ingress" || (typeof r.props.remoteGroupId === "string" && r.props.remoteGroupId !== "")) continue;
      const ports = exposes(r.props.portRangeMin, r.props.portRangeMax);
      if (ports.length === 0) continue;
      const cidr = typeof r.props.remoteIpPrefix === "string" && r.props.remoteIpPrefix !== "" ? r.props.remoteIpPrefix : "0.0.0.0/0";
      if (admin.length === 0 ? cidr !== "0.0.0.0/0" : inside(cidr)) continue;
      report(r, "remoteIpPrefix", cidr, ports);
    }
    for (const l of g.ofType(OS_LISTENER)) {
      const port = num(l.props.protocolPort);
      if (port === undefined || !ADMIN_PORTS.includes(port)) continue;
      const cidrs = strings(l.props.allowedCidrs);
      if (cidrs.length === 0) report(l, "allowedCidrs", "0.0.0.0/0 (no allowedCidrs)", [port]);
      cidrs.forEach((c, i) => {
        if (admin.length === 0 ? c !== "0.0.0.0/0" : inside(c)) return;
        report(l, `allowedCidrs[${i}]`, c, [port]);
      });
    }
    for (const r of g.ofType(OSC_RULE)) {
      if (r.props.flow !== "Inbound") continue;
      const entries = records(r.props.rules).length > 0 ? records(r.props.rules).map((e, i) => ({ e, at: `rules[${i}]` })) : [{ e: r.props as Record<string, unknown>, at: "" }];
      for (const { e, at } of entries) {
        if (records(e.securityGroupsMembers).length > 0) continue;
        const ports = exposes(e.fromPortRange, e.toPortRange);
        if (ports.length === 0) continue;
        const ranges = [...strings(e.ipRanges), ...(typeof e.ipRange === "string" ? [e.ipRange] : [])];
        ranges.forEach((c, i) => {
          if (admin.length === 0 ? c !== "0.0.0.0/0" : inside(c)) return;
          report(r, at ? `${at}.ipRanges[${i}]` : "ipRange", c, ports);
        });
      }
    }
    for (const lb of g.ofType(OSC_LB)) {
      if (lb.props.loadBalancerType !== "internet-facing") continue;
      records(lb.props.listeners).forEach((l, i) => {
        const port = num(l.loadBalancerPort);
        if (port !== undefined && ADMIN_PORTS.includes(port)) report(lb, `listeners[${i}].loadBalancerPort`, "the Internet (internet-facing load balancer)", [port]);
      });
    }
    for (const m of MAGNUM.flatMap((t) => g.ofType(t))) {
      const labels = isRecord(m.props.labels) ? m.props.labels : {};
      const csv = labels.api_master_lb_allowed_cidrs;
      if (typeof csv !== "string" || csv.trim() === "") {
        out.push(
          finding(
            this.id,
            "blocker",
            m,
            "labels.api_master_lb_allowed_cidrs",
            `the Magnum cluster's API load balancer is open to every address: magnum-capi-helm restricts it only through the label api_master_lb_allowed_cidrs${typeof labels.master_lb_allowed_cidrs === "string" ? " (master_lb_allowed_cidrs is the removed Heat driver's label, ignored)" : ""}`,
            "set the label api_master_lb_allowed_cidrs to the admin and node networks, comma-separated",
          ),
        );
        continue;
      }
      csv.split(",").map((c) => c.trim()).forEach((c) => {
        if (admin.length === 0 ? c !== "0.0.0.0/0" : inside(c)) return;
        report(m, "labels.api_master_lb_allowed_cidrs", c, [6443]);
      });
    }
    for (const c of g.ofType(OKS_CLUSTER)) {
      const list = strings(c.props.adminWhitelists);
      if (list.length === 0) report(c, "adminWhitelists", "0.0.0.0/0 (no adminWhitelists)", [6443]);
      list.forEach((cidr, i) => {
        if (admin.length === 0 ? cidr !== "0.0.0.0/0" : admin.some((a) => cidrWithin(cidr, a))) return;
        report(c, `adminWhitelists[${i}]`, cidr, [6443]);
      });
    }
    return out;
  },
};
