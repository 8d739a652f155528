/**
 * The cluster's inbound flow matrix, shared by the OpenStack and Outscale targets: everything not listed
 * here is denied. Ports are RKE2's (docs.rke2.io, "Inbound Network Rules" of the installation requirements)
 * with Canal, its default CNI.
 */

export type NodeGroup = "nodes" | "servers" | "bastion";
export type FlowSource = { readonly group: NodeGroup } | { readonly cidrs: "network" | "admin" };

export interface Flow {
  /** Stable id: part of the rule's resource name. */
  readonly id: string;
  /** The group the rule is added to: `nodes` (every node), `servers` (control plane), `bastion`. */
  readonly to: NodeGroup;
  readonly protocol: "tcp" | "udp";
  readonly from: number;
  readonly toPort: number;
  readonly source: FlowSource;
  readonly why: string;
}

/**
 * The link-local metadata service of OpenStack (Nova, EC2-compatible paths) and of Outscale: cloud-init reads
 * the instance's user data there when no config drive is attached, and the OpenStack cloud-controller-manager
 * and Cinder CSI read the instance id there (`[Metadata] search-order`, default `configDrive,metadataService`,
 * kubernetes/cloud-provider-openstack docs/cinder-csi-plugin/using-cinder-csi-plugin.md, chart 2.36.0).
 */
export const METADATA_SERVICE = { address: "169.254.169.254", cidr: "169.254.169.254/32", port: 80 } as const;

export interface EgressRule {
  readonly id: string;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
  readonly cidr: string;
  readonly why: string;
}

/** Outbound flows nodes need besides the node network (both targets deny every other outbound flow). */
export const NODE_EGRESS: readonly EgressRule[] = [
  { id: "metadata", protocol: "tcp", port: METADATA_SERVICE.port, cidr: METADATA_SERVICE.cidr, why: "instance metadata service (cloud-init user data, CCM and CSI instance id)" },
  { id: "https", protocol: "tcp", port: 443, cidr: "0.0.0.0/0", why: "registry mirror, cloud APIs, object storage" },
  { id: "dns-udp", protocol: "udp", port: 53, cidr: "0.0.0.0/0", why: "DNS" },
  { id: "dns-tcp", protocol: "tcp", port: 53, cidr: "0.0.0.0/0", why: "DNS" },
  { id: "ntp", protocol: "udp", port: 123, cidr: "0.0.0.0/0", why: "NTP" },
];

/** NodePorts the gateway's Envoy Service must use: the public load balancer forwards 80 and 443 to them. */
export const GATEWAY_NODE_PORTS = { http: 30080, https: 30443 } as const;

/**
 * On managed clusters (Magnum, OKS) the cluster's own cloud-controller-manager creates the gateway's load
 * balancer and its address when the proxies' LoadBalancer Service appears: socle cannot know it ahead.
 */
export const GATEWAY_ADDRESS_FROM_SERVICE =
  "[unknown: the address the cluster's cloud-controller-manager gives the gateway's LoadBalancer Service; read it with `kubectl -n envoy-gateway-system get service -l gateway.envoyproxy.io/owning-gateway-name=socle`]";

const tcp = (id: string, to: NodeGroup, port: number | readonly [number, number], source: FlowSource, why: string): Flow => {
  const [from, toPort] = typeof port === "number" ? [port, port] : port;
  return { id, to, protocol: "tcp", from, toPort, source, why };
};

/**
 * The flows for a cluster, by how SSH is reached: `disabled` opens no SSH port, `admin-cidrs` opens it to the
 * admin networks, `bastion` only from the bastion group (which itself admits SSH from the admin networks).
 */
export function clusterFlows(sshAccess: "disabled" | "admin-cidrs" | "bastion"): Flow[] {
  const flows: Flow[] = [
    tcp("supervisor", "servers", 9345, { group: "nodes" }, "RKE2 supervisor: nodes register with the servers"),
    tcp("api-nodes", "servers", 6443, { group: "nodes" }, "Kubernetes API from nodes"),
    tcp("etcd", "servers", [2379, 2380], { group: "servers" }, "etcd client and peer, between servers only"),
    tcp("kubelet", "nodes", 10250, { group: "nodes" }, "kubelet API (metrics, logs, exec) from the cluster"),
    { id: "vxlan", to: "nodes", protocol: "udp", from: 8472, toPort: 8472, source: { group: "nodes" }, why: "Canal (flannel) VXLAN overlay" },
    tcp("canal-health", "nodes", 9099, { group: "nodes" }, "Canal health checks"),
    // The load balancers sit in the node network and forward from their own addresses there.
    tcp("api-lb", "servers", 6443, { cidrs: "network" }, "Kubernetes API through the internal load balancer"),
    tcp("supervisor-lb", "servers", 9345, { cidrs: "network" }, "node registration through the internal load balancer"),
    tcp("gateway-http", "nodes", GATEWAY_NODE_PORTS.http, { cidrs: "network" }, "gateway HTTP NodePort from the public load balancer"),
    tcp("gateway-https", "nodes", GATEWAY_NODE_PORTS.https, { cidrs: "network" }, "gateway HTTPS NodePort from the public load balancer"),
    tcp("api-admin", "servers", 6443, { cidrs: "admin" }, "Kubernetes API from the admin networks"),
  ];
  if (sshAccess === "admin-cidrs") flows.push(tcp("ssh-admin", "nodes", 22, { cidrs: "admin" }, "SSH from the admin networks"));
  if (sshAccess === "bastion") {
    flows.push(tcp("ssh-bastion", "nodes", 22, { group: "bastion" }, "SSH from the bastion only"));
    flows.push(tcp("bastion-admin", "bastion", 22, { cidrs: "admin" }, "SSH to the bastion from the admin networks"));
  }
  return flows;
}

/** Groups a set of flows needs. */
export function groupsOf(flows: readonly Flow[]): NodeGroup[] {
  const groups = new Set<NodeGroup>(["nodes", "servers"]);
  for (const f of flows) {
    groups.add(f.to);
    if ("group" in f.source) groups.add(f.source.group);
  }
  return [...groups];
}
