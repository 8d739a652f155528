import * as pulumi from "@pulumi/pulumi";
import * as openstack from "@pulumi/openstack";
import { GATEWAY_NODE_PORTS } from "../plan/flows";
import { resourceName } from "../plan/names";

export interface Backend {
  readonly name: string;
  readonly address: pulumi.Input<string>;
  readonly subnetId: pulumi.Input<string>;
}

interface Ctx {
  readonly name: string;
  readonly organization: string;
  readonly region: string;
  readonly parent: pulumi.Resource;
}

/** One TCP listener forwarding to a pool of backends on `backendPort`, with a TCP health monitor. */
function tcpForward(
  ctx: Ctx,
  lb: openstack.loadbalancer.LoadBalancer,
  id: string,
  port: number,
  backendPort: number,
  backends: readonly Backend[],
  allowedCidrs: readonly string[],
): { readonly listener: openstack.loadbalancer.Listener; readonly pool: openstack.loadbalancer.Pool; readonly members: openstack.loadbalancer.Member[] } {
  const child = { parent: ctx.parent };
  const { region } = ctx;
  const listener = new openstack.loadbalancer.Listener(
    `${ctx.name}-${id}-listener`,
    { name: resourceName(ctx.organization, [id, port]), loadbalancerId: lb.id, protocol: "TCP", protocolPort: port, allowedCidrs: [...allowedCidrs], region },
    child,
  );
  const pool = new openstack.loadbalancer.Pool(`${ctx.name}-${id}-pool`, { name: resourceName(ctx.organization, [id, "pool"]), listenerId: listener.id, protocol: "TCP", lbMethod: "ROUND_ROBIN", region }, child);
  new openstack.loadbalancer.Monitor(`${ctx.name}-${id}-monitor`, { poolId: pool.id, type: "TCP", delay: 10, timeout: 5, maxRetries: 3, region }, child);
  const members = backends.map(
    (b) => new openstack.loadbalancer.Member(`${ctx.name}-${id}-${b.name}`, { name: b.name, poolId: pool.id, address: b.address, protocolPort: backendPort, subnetId: b.subnetId, region }, child),
  );
  return { listener, pool, members };
}

/**
 * The internal Kubernetes API load balancer: 6443 (API) from the node network and the admin networks,
 * 9345 (RKE2 registration) from the node network, to the control-plane nodes.
 */
export function apiLoadBalancer(ctx: Ctx, args: { readonly subnetId: pulumi.Input<string>; readonly networkCidr: string; readonly adminCidrs: readonly string[] }) {
  const lb = new openstack.loadbalancer.LoadBalancer(
    `${ctx.name}-api`,
    { name: resourceName(ctx.organization, ["api"]), vipSubnetId: args.subnetId, description: "socle: internal Kubernetes API", region: ctx.region },
    { parent: ctx.parent },
  );
  return {
    lb,
    /** Adds the control-plane nodes once they exist. */
    attach(servers: readonly Backend[]) {
      return {
        api: tcpForward(ctx, lb, "api", 6443, 6443, servers, [args.networkCidr, ...args.adminCidrs]),
        supervisor: tcpForward(ctx, lb, "supervisor", 9345, 9345, servers, [args.networkCidr]),
      };
    },
  };
}

/**
 * The public gateway load balancer: 80 and 443 from anywhere (the suite's web entry) to the gateway's
 * NodePorts on the workers, behind a floating IP that DNS points at.
 */
export function gatewayLoadBalancer(ctx: Ctx, args: { readonly subnetId: pulumi.Input<string>; readonly externalNetwork: string; readonly workers: readonly Backend[] }) {
  const child = { parent: ctx.parent };
  const lb = new openstack.loadbalancer.LoadBalancer(
    `${ctx.name}-gateway`,
    { name: resourceName(ctx.organization, ["gateway"]), vipSubnetId: args.subnetId, description: "socle: public gateway (HTTP, HTTPS)", region: ctx.region },
    child,
  );
  const address = new openstack.networking.FloatingIp(`${ctx.name}-gateway-ip`, { pool: args.externalNetwork, description: "socle: public address of the gateway", region: ctx.region }, child);
  new openstack.networking.FloatingIpAssociate(`${ctx.name}-gateway-ip`, { floatingIp: address.address, portId: lb.vipPortId, region: ctx.region }, child);
  const world = ["0.0.0.0/0"];
  return {
    lb,
    address,
    http: tcpForward(ctx, lb, "http", 80, GATEWAY_NODE_PORTS.http, args.workers, world),
    https: tcpForward(ctx, lb, "https", 443, GATEWAY_NODE_PORTS.https, args.workers, world),
  };
}
