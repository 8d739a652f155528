import type { KubernetesObject } from "../../../../policies/types";
import type { CheckFinding, CheckRule } from "../../types";
import { CloudGraph, finding, isRecord, num, records } from "./graph";

/**
 * Ports RKE2 servers listen on themselves: the Kubernetes API (6443) and the supervisor nodes register with
 * (9345) (docs.rke2.io, installation requirements, "Inbound Network Rules").
 */
const RKE2_SERVER_PORTS = [6443, 9345];

const OS_MEMBER = "openstack:loadbalancer/member:Member";
const OS_POOL = "openstack:loadbalancer/pool:Pool";
const OS_LISTENER = "openstack:loadbalancer/listener:Listener";
const OSC_LB = "outscale:index/loadBalancer:LoadBalancer";

/**
 * NodePorts something in the rendered objects really gets: those a Service sets, and those an EnvoyProxy
 * attached to a Gateway (`spec.infrastructure.parametersRef`) or GatewayClass (`spec.parametersRef`) fixes on
 * the proxies' Service through `envoyService.type: NodePort` and a `patch` of its ports (Envoy Gateway
 * v1.8.3 api/v1alpha1/shared_types.go). Without that EnvoyProxy, Envoy Gateway's Service gets random ones.
 */
export function listeningNodePorts(objects: readonly KubernetesObject[]): Map<number, string> {
  const ports = new Map<number, string>();
  for (const o of objects) {
    if (o.kind !== "Service") continue;
    const spec = isRecord(o.spec) ? o.spec : {};
    for (const p of records(spec.ports)) {
      const n = num(p.nodePort);
      if (n !== undefined) ports.set(n, `Service ${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`);
    }
  }
  const attached = new Set<string>();
  for (const o of objects) {
    const spec = isRecord(o.spec) ? o.spec : {};
    const ref = o.kind === "Gateway" && isRecord(spec.infrastructure) ? spec.infrastructure.parametersRef : o.kind === "GatewayClass" ? spec.parametersRef : undefined;
    if (!isRecord(ref) || ref.kind !== "EnvoyProxy" || ref.group !== "gateway.envoyproxy.io") continue;
    const ns = typeof ref.namespace === "string" ? ref.namespace : o.metadata.namespace ?? "";
    attached.add(`${ns}/${String(ref.name)}`);
  }
  for (const o of objects) {
    if (o.kind !== "EnvoyProxy" || !attached.has(`${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`)) continue;
    const spec = isRecord(o.spec) ? o.spec : {};
    const provider = isRecord(spec.provider) ? spec.provider : {};
    const kube = isRecord(provider.kubernetes) ? provider.kubernetes : {};
    const service = isRecord(kube.envoyService) ? kube.envoyService : {};
    if (service.type !== "NodePort") continue;
    const patch = isRecord(service.patch) && isRecord(service.patch.value) ? service.patch.value : {};
    const patchSpec = isRecord(patch.spec) ? patch.spec : {};
    for (const p of records(patchSpec.ports)) {
      const n = num(p.nodePort);
      if (n !== undefined) ports.set(n, `the gateway proxies' Service (EnvoyProxy ${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""})`);
    }
  }
  return ports;
}

export const lbBackendListening: CheckRule = {
  id: "cloud-lb-backend-listening",
  description: "Every load balancer listener forwards to a port something listens on: RKE2's own, or a NodePort the rendered Services and the gateway's EnvoyProxy really fix.",
  run(model) {
    const g = new CloudGraph(model);
    const nodePorts = listeningNodePorts(model.objects);
    const listening = (port: number) => RKE2_SERVER_PORTS.includes(port) || nodePorts.has(port);
    // Without the Kubernetes side in the input, NodePorts cannot be known: say so rather than fail.
    const severity = model.objects.length > 0 ? "blocker" : "warning";
    const why = (port: number) =>
      `nothing listens on port ${port} of the backends: it is not an RKE2 server port (${RKE2_SERVER_PORTS.join(", ")}) and no Service or gateway EnvoyProxy in the input fixes it as a NodePort${model.objects.length > 0 ? "" : " (the input has no Kubernetes objects to tell)"}; Envoy Gateway gives its proxy Service random NodePorts unless an EnvoyProxy fixes them`;
    const fix = "attach an EnvoyProxy (envoyService.type: NodePort, patch of the ports' nodePort) to the Gateway, or point the listener at the NodePort the Service really has";
    const out: CheckFinding[] = [];

    for (const member of g.ofType(OS_MEMBER)) {
      const port = num(member.props.protocolPort);
      if (port === undefined || listening(port)) continue;
      const listener = g.dependenciesOf(member, OS_POOL).flatMap((p) => g.dependenciesOf(p, OS_LISTENER))[0];
      const front = listener ? ` (listener ${listener.name}, port ${String(listener.props.protocolPort)})` : "";
      out.push(finding(this.id, severity, member, "protocolPort", `${why(port)}${front}`, fix));
    }
    for (const lb of g.ofType(OSC_LB)) {
      records(lb.props.listeners).forEach((l, i) => {
        const port = num(l.backendPort);
        if (port === undefined || listening(port)) return;
        out.push(finding(this.id, severity, lb, `listeners[${i}].backendPort`, `${why(port)} (load balancer port ${String(l.loadBalancerPort)})`, fix));
      });
    }
    return out;
  },
};
