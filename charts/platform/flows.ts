import type { Chart } from "cdk8s";
import { k8s } from "../lib/k8s";
import { allowDns, allowFlow, defaultDeny, type Flow, type Peer, type Port } from "../lib/network";
import { podSecurityLabels } from "../lib/security";

/** Where the Kubernetes API server is, as the program knows it (`ctx.apiServer`). */
export interface ApiServer {
  readonly peers: readonly Peer[];
  readonly ports: readonly number[];
}

/** The monitoring stack's Prometheus pods: every platform namespace lets them scrape its metrics ports. */
export const MONITORING_NAMESPACE = "socle-monitoring";
export const PROMETHEUS_POD_LABELS = { "app.kubernetes.io/name": "prometheus" } as const;

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/**
 * Pod Security Admission labels for a platform namespace. `restricted` is the default; a weaker level is
 * a declared exception whose reason is recorded on the namespace (`socle.io/pod-security-reason`).
 */
export function namespaceSecurityLabels(level: PodSecurityLevel, reason?: string): { labels: Record<string, string>; annotations: Record<string, string> } {
  if (level !== "restricted" && !reason) throw new Error(`namespaceSecurityLabels: Pod Security level ${level} needs a reason`);
  const labels =
    level === "privileged"
      ? { ...podSecurityLabels("restricted"), "pod-security.kubernetes.io/enforce": "privileged" }
      : podSecurityLabels(level);
  return { labels, annotations: reason ? { "socle.io/pod-security-reason": reason } : {} };
}

/** Default deny, DNS, then the namespace's flows: the same shape as every app namespace. */
export function namespacePolicies(chart: Chart, namespace: string, flows: readonly Flow[]): void {
  defaultDeny(chart, namespace);
  allowDns(chart, namespace);
  for (const flow of flows) allowFlow(chart, namespace, flow);
}

/** A flow to or from pods of any namespace (an operator reaching the clusters it manages, Prometheus scraping). */
export interface ClusterWideFlow {
  readonly name: string;
  readonly pods: Readonly<Record<string, string>>;
  readonly direction: "ingress" | "egress";
  /** Labels of the peer pods, in whatever namespace; absent means every pod. */
  readonly peerPods?: Readonly<Record<string, string>>;
  readonly ports: readonly Port[];
}

export function allowClusterWide(chart: Chart, namespace: string, flow: ClusterWideFlow): void {
  const peer: k8s.NetworkPolicyPeer = { namespaceSelector: {}, podSelector: { matchLabels: { ...(flow.peerPods ?? {}) } } };
  const ports = flow.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? "TCP" }));
  new k8s.KubeNetworkPolicy(chart, `allow-${flow.name}`, {
    metadata: { name: `allow-${flow.name}`, namespace },
    spec: {
      podSelector: { matchLabels: { ...flow.pods } },
      policyTypes: [flow.direction === "ingress" ? "Ingress" : "Egress"],
      ...(flow.direction === "ingress" ? { ingress: [{ from: [peer], ports }] } : { egress: [{ to: [peer], ports }] }),
    },
  });
}

/** Egress to the Kubernetes API server, for controllers. */
export function apiServerFlow(name: string, pods: Readonly<Record<string, string>>, apiServer: ApiServer): Flow {
  return { name, pods, egressTo: apiServer.peers, ports: apiServer.ports.map((port) => ({ port })) };
}

/** Ingress from the API server (admission webhooks): the server calls from the control plane's addresses. */
export function webhookFlow(name: string, pods: Readonly<Record<string, string>>, apiServer: ApiServer, port: number): Flow {
  return { name, pods, ingressFrom: apiServer.peers, ports: [{ port }] };
}

/** Ingress from the monitoring stack's Prometheus on a metrics port. */
export function scrapeFlow(name: string, pods: Readonly<Record<string, string>>, port: number): Flow {
  return { name, pods, ingressFrom: [{ namespace: MONITORING_NAMESPACE, pods: PROMETHEUS_POD_LABELS }], ports: [{ port }] };
}
