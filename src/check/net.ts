/**
 * NetworkPolicy evaluation for the flow rules, on `src/analysis/reachability.ts`'s policy model and
 * selector semantics, split by direction (a finding says which side denies: the client's egress or the
 * server's ingress) and extended to endpoints outside the pod network (the API server) that policies reach
 * with `ipBlock`, and to the port protocol. `test/check/net.test.ts` compares it with `canReach` on pods.
 */
import type { KubernetesObject } from "../../policies/types";
import { selects, type NetworkPolicy, type Workload } from "../analysis/reachability";


export function networkPolicies(objects: readonly KubernetesObject[]): NetworkPolicy[] {
  return objects.filter((o) => o.kind === "NetworkPolicy" && o.apiVersion.startsWith("networking.k8s.io/")).map((o) => o as unknown as NetworkPolicy);
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

