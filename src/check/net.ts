/**
 * NetworkPolicy evaluation for the flow rules, on `src/analysis/reachability.ts`'s policy model and
 * selector semantics, split by direction (a finding says which side denies: the client's egress or the
 * server's ingress) and extended to endpoints outside the pod network (the API server) that policies reach
 * with `ipBlock`, and to the port protocol. `test/check/net.test.ts` compares it with `canReach` on pods.
 */
import type { KubernetesObject } from "../../policies/types";
import { selects, type NetworkPolicy, type Workload } from "../analysis/reachability";


type J = Record<string, unknown>;
const obj = (v: unknown): J | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as J) : undefined);
const objs = (v: unknown): J[] => (Array.isArray(v) ? v.map(obj).filter((x): x is J => !!x) : []);

function selector(v: unknown): { matchLabels?: Record<string, string>; matchExpressions?: never[] } {
  const o = obj(v);
  if (!o) return {};
  const ml = obj(o.matchLabels);
  const me = objs(o.matchExpressions).filter((e) => typeof e.key === "string" && typeof e.operator === "string");
  return { ...(ml ? { matchLabels: Object.fromEntries(Object.entries(ml).map(([k, x]) => [k, String(x)])) } : {}), ...(me.length ? { matchExpressions: me as never[] } : {}) };
}

function peers(v: unknown): J[] | undefined {
  if (v === undefined || v === null) return undefined;
  return objs(v).map((p) => ({
    ...(p.podSelector !== undefined ? { podSelector: selector(p.podSelector) } : {}),
    ...(p.namespaceSelector !== undefined ? { namespaceSelector: selector(p.namespaceSelector) } : {}),
    ...(obj(p.ipBlock) ? { ipBlock: p.ipBlock } : {}),
  }));
}

function rules(v: unknown, side: "from" | "to"): J[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return objs(v).map((r) => {
    const ps = peers(r[side]);
    const ports = objs(r.ports).filter((p) => p.port === undefined || typeof p.port === "number" || typeof p.port === "string");
    return { ...(ps ? { [side]: ps } : {}), ...(Array.isArray(r.ports) ? { ports } : {}) };
  });
}

/** The input's NetworkPolicies, normalized: a malformed field reads as absent instead of failing the check. */
export function networkPolicies(objects: readonly KubernetesObject[]): NetworkPolicy[] {
  const out: NetworkPolicy[] = [];
  for (const o of objects) {
    if (o.kind !== "NetworkPolicy" || !o.apiVersion.startsWith("networking.k8s.io/")) continue;
    const spec = obj(o.spec) ?? {};
    const types = Array.isArray(spec.policyTypes) ? spec.policyTypes.filter((t): t is "Ingress" | "Egress" => t === "Ingress" || t === "Egress") : undefined;
    const ingress = rules(spec.ingress, "from");
    const egress = rules(spec.egress, "to");
    out.push({
      kind: "NetworkPolicy",
      metadata: { name: o.metadata.name ?? "", namespace: o.metadata.namespace ?? "default" },
      spec: { podSelector: selector(spec.podSelector), ...(types ? { policyTypes: types } : {}), ...(ingress ? { ingress } : {}), ...(egress ? { egress } : {}) },
    } as NetworkPolicy);
  }
  return out;
}

/** A pod as a reachability subject. */
export function podWorkload(id: string, namespace: string, labels: Readonly<Record<string, string>>, ports: readonly number[] = []): Workload {
  return { id, namespace, labels, ports };
}

function policyTypes(p: NetworkPolicy): string[] {
  if (p.spec.policyTypes) return p.spec.policyTypes;
  return p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"];
}

function portOk(rule: { ports?: { port?: number | string; endPort?: number; protocol?: string }[] }, port: number, protocol: string): boolean {
  const ports = rule.ports ?? [];
  if (ports.length === 0) return true;
  return ports.some(
    (p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || p.port === port || (typeof p.port === "number" && p.endPort !== undefined && port >= p.port && port <= p.endPort)),
  );
}

function selecting(policies: readonly NetworkPolicy[], subject: Workload, direction: "Ingress" | "Egress"): NetworkPolicy[] {
  return policies.filter((p) => p.metadata.namespace === subject.namespace && policyTypes(p).includes(direction) && selects(p.spec.podSelector, subject.labels));
}

function nsSelects(selector: unknown, namespace: string): boolean {
  return selects(selector as Parameters<typeof selects>[0], { "kubernetes.io/metadata.name": namespace });
}

/** Egress half only, from `from` to pod `to`. */
export function canEgressTo(policies: readonly NetworkPolicy[], from: Workload, to: Workload, port: number, protocol = "TCP"): boolean {
  const sel = selecting(policies, from, "Egress");
  if (sel.length === 0) return true;
  return sel.some((p) =>
    (p.spec.egress ?? []).some(
      (rule) =>
        portOk(rule, port, protocol) &&
        (rule.to === undefined || rule.to.length === 0 ||
          rule.to.some((peer) => !peer.ipBlock && (peer.namespaceSelector ? nsSelects(peer.namespaceSelector, to.namespace) : to.namespace === p.metadata.namespace) && selects(peer.podSelector, to.labels))),
    ),
  );
}

/** Ingress half only, into `to` from pod `from`. */
export function canIngressFrom(policies: readonly NetworkPolicy[], from: Workload, to: Workload, port: number, protocol = "TCP"): boolean {
  const sel = selecting(policies, to, "Ingress");
  if (sel.length === 0) return true;
  return sel.some((p) =>
    (p.spec.ingress ?? []).some(
      (rule) =>
        portOk(rule, port, protocol) &&
        (rule.from === undefined || rule.from.length === 0 ||
          rule.from.some((peer) => !peer.ipBlock && (peer.namespaceSelector ? nsSelects(peer.namespaceSelector, from.namespace) : from.namespace === p.metadata.namespace) && selects(peer.podSelector, from.labels))),
    ),
  );
}

/**
 * Egress from a pod to an endpoint outside the pod network (the API server): allowed when no policy
 * selects the pod for egress, or some rule allows the port to every destination or to an `ipBlock`.
 * The API server's address is not in the render, so any `ipBlock` on the port counts; the policy's own
 * CIDR is what the operator set in the stack (`apiServer`).
 */
export function canEgressOutside(policies: readonly NetworkPolicy[], from: Workload, ports: readonly number[]): boolean {
  const sel = selecting(policies, from, "Egress");
  if (sel.length === 0) return true;
  return sel.some((p) => (p.spec.egress ?? []).some((rule) => ports.some((port) => portOk(rule, port, "TCP")) && (rule.to === undefined || rule.to.length === 0 || rule.to.some((peer) => !!peer.ipBlock))));
}

/** Ingress into a pod from outside the pod network (the API server calling a webhook). */
export function canIngressFromOutside(policies: readonly NetworkPolicy[], to: Workload, port: number): boolean {
  const sel = selecting(policies, to, "Ingress");
  if (sel.length === 0) return true;
  return sel.some((p) => (p.spec.ingress ?? []).some((rule) => portOk(rule, port, "TCP") && (rule.from === undefined || rule.from.length === 0 || rule.from.some((peer) => !!peer.ipBlock))));
}

