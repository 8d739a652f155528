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

/** Options of the analysis; the defaults are those of the chart flow tables. */
export interface ReachOptions {
  /**
   * Labels of each namespace beyond `kubernetes.io/metadata.name` (which Kubernetes sets on every
   * namespace), e.g. from the Namespace objects of a render.
   */
  readonly namespaceLabels?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /**
   * True: an `ipBlock` whose prefix length is 0 (`0.0.0.0/0`, `::/0`) matches every pod, since it
   * covers the pod network whatever its CIDR (how Calico and most plugins read it). Default false:
   * ipBlock rules are taken as meant for outside the cluster.
   */
  readonly wholeAddressSpaceMatchesPods?: boolean;
}

function namespaceLabels(namespace: string, opts: ReachOptions): Record<string, string> {
  return { ...(opts.namespaceLabels?.get(namespace) ?? {}), "kubernetes.io/metadata.name": namespace };
}

function policyTypes(p: NetworkPolicy): string[] {
  if (p.spec.policyTypes) return p.spec.policyTypes;
  return p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"];
}

function peerMatches(peer: Peer, policyNamespace: string, other: Workload, opts: ReachOptions): boolean {
  // Pod addresses are not known statically: an ipBlock matches a pod only when it covers every address (and then only if asked).
  if (peer.ipBlock) return opts.wholeAddressSpaceMatchesPods === true && /\/0$/.test(peer.ipBlock.cidr) && (peer.ipBlock.except ?? []).length === 0;
  const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels(other.namespace, opts)) : other.namespace === policyNamespace;
  return nsOk && selects(peer.podSelector, other.labels);
}

function portMatches(rule: Rule, port: number): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => p.port === undefined || p.port === port || (typeof p.port === "number" && p.endPort !== undefined && port >= p.port && port <= p.endPort));
}

/**
 * The peers of a rule. A missing or EMPTY `from`/`to` list matches every source or destination
 * (networking.k8s.io/v1 NetworkPolicyIngressRule.from: "If this field is empty or missing, this rule
 * matches all sources"), not none.
 */
function peersOf(rule: Rule, direction: "Ingress" | "Egress"): readonly Peer[] | "all" {
  const peers = direction === "Ingress" ? rule.from : rule.to;
  return peers && peers.length > 0 ? peers : "all";
}

function rulePeersMatch(rule: Rule, direction: "Ingress" | "Egress", policyNamespace: string, other: Workload, opts: ReachOptions): boolean {
  const peers = peersOf(rule, direction);
  return peers === "all" || peers.some((peer) => peerMatches(peer, policyNamespace, other, opts));
}

const byNamespaceCache = new WeakMap<readonly NetworkPolicy[], ReadonlyMap<string, readonly NetworkPolicy[]>>();

/** The policies of each namespace, computed once per list: a fleet has tens of thousands of policies. */
function policiesIn(policies: readonly NetworkPolicy[], namespace: string): readonly NetworkPolicy[] {
  let index = byNamespaceCache.get(policies);
  if (!index) {
    const m = new Map<string, NetworkPolicy[]>();
    for (const p of policies) {
      const list = m.get(p.metadata.namespace);
      if (list) list.push(p);
      else m.set(p.metadata.namespace, [p]);
    }
    index = m;
    byNamespaceCache.set(policies, index);
  }
  return index.get(namespace) ?? [];
}

const selectingCache = new WeakMap<readonly NetworkPolicy[], WeakMap<Workload, { Ingress?: readonly NetworkPolicy[]; Egress?: readonly NetworkPolicy[] }>>();

/**
 * The policies of `subject`'s namespace that select it for `direction`; empty: the pod is open in that direction.
 * Computed once per list, pod and direction: a fleet's analysis asks it for every pair and port it tries. Callers
 * build the list and the pods once and never change them afterwards (a changed one would be answered from before).
 */
export function selectingPolicies(policies: readonly NetworkPolicy[], subject: Workload, direction: "Ingress" | "Egress"): readonly NetworkPolicy[] {
  let bySubject = selectingCache.get(policies);
  if (!bySubject) selectingCache.set(policies, (bySubject = new WeakMap()));
  let entry = bySubject.get(subject);
  if (!entry) bySubject.set(subject, (entry = {}));
  return (entry[direction] ??= policiesIn(policies, subject.namespace).filter((p) => policyTypes(p).includes(direction) && selects(p.spec.podSelector, subject.labels)));
}

function allowed(policies: readonly NetworkPolicy[], subject: Workload, other: Workload, port: number, direction: "Ingress" | "Egress", opts: ReachOptions): boolean {
  const selecting = selectingPolicies(policies, subject, direction);
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (direction === "Ingress" ? p.spec.ingress : p.spec.egress)?.some(
      (rule) => portMatches(rule, port) && rulePeersMatch(rule, direction, p.metadata.namespace, other, opts),
    ),
  );
}

/** True when `from` may open a TCP connection to `to` on `port`. */
export function canReach(policies: readonly NetworkPolicy[], from: Workload, to: Workload, port: number, opts: ReachOptions = {}): boolean {
  return allowed(policies, from, to, port, "Egress", opts) && allowed(policies, to, from, port, "Ingress", opts);
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
