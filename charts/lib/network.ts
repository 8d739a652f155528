import { Chart } from "cdk8s";
import { k8s } from "./k8s";

/**
 * NetworkPolicies as data: a namespace denies everything, then each flow is declared once.
 * `flowTable` (below) turns the declarations back into the reachability the tests compare against.
 */

export interface Peer {
  /** Namespace of the peer; absent means the policy's own namespace. */
  readonly namespace?: string;
  /** Pod labels of the peer; absent means every pod of that namespace. */
  readonly pods?: Readonly<Record<string, string>>;
  /** An address range instead of pods (e.g. the object store outside the cluster). */
  readonly cidr?: string;
}

export interface Port {
  readonly port: number;
  readonly protocol?: "TCP" | "UDP";
}

export interface Flow {
  /** Unique within the namespace; becomes the policy name `allow-<name>`. */
  readonly name: string;
  /** Pods the policy applies to. */
  readonly pods: Readonly<Record<string, string>>;
  readonly ingressFrom?: readonly Peer[];
  readonly egressTo?: readonly Peer[];
  readonly ports: readonly Port[];
}

const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export function defaultDeny(chart: Chart, namespace: string): void {
  new k8s.KubeNetworkPolicy(chart, "default-deny", {
    metadata: { name: "default-deny", namespace },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  });
}

/** DNS lookups to the cluster resolver: every namespace's pods need them. */
export function allowDns(chart: Chart, namespace: string): void {
  new k8s.KubeNetworkPolicy(chart, "allow-dns", {
    metadata: { name: "allow-dns", namespace },
    spec: {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { port: k8s.IntOrString.fromNumber(53), protocol: "UDP" },
            { port: k8s.IntOrString.fromNumber(53), protocol: "TCP" },
          ],
        },
      ],
    },
  });
}

export function allowFlow(chart: Chart, namespace: string, flow: Flow): void {
  const peers = (list: readonly Peer[]) =>
    list.map((p): k8s.NetworkPolicyPeer =>
      p.cidr
        ? { ipBlock: { cidr: p.cidr } }
        : {
            ...(p.namespace && p.namespace !== namespace ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } } } : {}),
            podSelector: { matchLabels: { ...(p.pods ?? {}) } },
          },
    );
  const ports = flow.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? "TCP" }));
  const policyTypes: string[] = [];
  if (flow.ingressFrom) policyTypes.push("Ingress");
  if (flow.egressTo) policyTypes.push("Egress");
  new k8s.KubeNetworkPolicy(chart, `allow-${flow.name}`, {
    metadata: { name: `allow-${flow.name}`, namespace },
    spec: {
      podSelector: { matchLabels: { ...flow.pods } },
      policyTypes,
      ...(flow.ingressFrom ? { ingress: [{ from: peers(flow.ingressFrom), ports }] } : {}),
      ...(flow.egressTo ? { egress: [{ to: peers(flow.egressTo), ports }] } : {}),
    },
  });
}
