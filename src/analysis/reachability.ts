/**
 * Which pod can open a connection to which other pod, given the NetworkPolicies in force: the
 * semantics of networking.k8s.io/v1 (a pod selected by no policy of a direction is open in that
 * direction; once selected, only what some rule allows). Used to prove a chart's flow table.
 */

export interface Workload {
  /** Name in the flow table, e.g. `wiki/xwiki`. */
  readonly id: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Ports the workload listens on. */
  readonly ports: readonly number[];
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number | string; protocol?: string; endPort?: number }[];
}

export interface NetworkPolicy {
  kind: "NetworkPolicy";
  metadata: { name: string; namespace: string };
  spec: { podSelector: LabelSelector; policyTypes?: ("Ingress" | "Egress")[]; ingress?: Rule[]; egress?: Rule[] };
}

export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
    if (e.operator === "In" && !(has && (e.values ?? []).includes(value))) return false;
    if (e.operator === "NotIn" && has && (e.values ?? []).includes(value)) return false;
  }
  return true;
}

function namespaceLabels(namespace: string): Record<string, string> {
  return { "kubernetes.io/metadata.name": namespace };
}

function policyTypes(p: NetworkPolicy): string[] {
  if (p.spec.policyTypes) return p.spec.policyTypes;
  return p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"];
}

function peerMatches(peer: Peer, policyNamespace: string, other: Workload): boolean {
  if (peer.ipBlock) return false; // pod addresses are not known statically; ipBlock rules are for outside the cluster
  const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels(other.namespace)) : other.namespace === policyNamespace;
  return nsOk && selects(peer.podSelector, other.labels);
}

function portMatches(rule: Rule, port: number): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => p.port === undefined || p.port === port || (typeof p.port === "number" && p.endPort !== undefined && port >= p.port && port <= p.endPort));
}

function allowed(policies: readonly NetworkPolicy[], subject: Workload, other: Workload, port: number, direction: "Ingress" | "Egress"): boolean {
  const selecting = policies.filter(
    (p) => p.metadata.namespace === subject.namespace && policyTypes(p).includes(direction) && selects(p.spec.podSelector, subject.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (direction === "Ingress" ? p.spec.ingress : p.spec.egress)?.some(
      (rule) => portMatches(rule, port) && ((direction === "Ingress" ? rule.from : rule.to) ?? [{}]).some((peer) => peerMatches(peer, p.metadata.namespace, other)),
    ),
  );
}

/** True when `from` may open a TCP connection to `to` on `port`. */
export function canReach(policies: readonly NetworkPolicy[], from: Workload, to: Workload, port: number): boolean {
  return allowed(policies, from, to, port, "Egress") && allowed(policies, to, from, port, "Ingress");
}

/** Every allowed (from, to, port) among the workloads, on the ports each listens on, sorted: the flow table. */
export function flowTable(policies: readonly NetworkPolicy[], workloads: readonly Workload[]): string[] {
  const out: string[] = [];
  for (const from of workloads) {
    for (const to of workloads) {
      for (const port of to.ports) if (canReach(policies, from, to, port)) out.push(`${from.id} -> ${to.id}:${port}`);
    }
  }
  return out.sort();
}
