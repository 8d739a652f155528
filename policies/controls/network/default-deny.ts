import type { Control } from "../../types";
import { k8sResources, namespaceOf, namespaceView, specOf } from "../lib/k8s";
import { inNamespace, ofKind } from "../lib/indexes";
import { workloadsOf } from "../lib/pod";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asArray, asRecord, isRecord, type Json } from "../lib/values";

type Direction = "Ingress" | "Egress";

export const control: Control = {
  id: "snc-network-default-deny",
  title: {
    fr: "Politique réseau d'interdiction par défaut dans chaque espace de noms applicatif",
    en: "Default-deny NetworkPolicy in every namespace that runs workloads",
  },
  snc: verifiedSection("13", "13.2", "Cloisonnement des réseaux"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Flows must be partitioned and only the legitimate flows of the flow matrix allowed (13.2). Kubernetes allows every pod-to-pod flow until a NetworkPolicy selects the pod: a namespace without a default-deny policy for both directions lets a compromised pod reach any other pod and any external address.",
  remediation:
    "Add to each namespace a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules, then one policy per legitimate flow (socle's charts/lib/network.ts builds both).",
  evidence: ["namespaces of Pods and pod-template workloads", "networking.k8s.io/v1 NetworkPolicy `podSelector`, `policyTypes`, `ingress`, `egress`"],
  check(resources) {
    const k8s = k8sResources(resources);
    const namespaces = [...new Set(workloadsOf(resources).map(({ obj }) => namespaceOf(obj)))].sort();
    const policies = ofKind(resources, "networking.k8s.io", "NetworkPolicy");
    return namespaces.map((ns) => {
      const inNs = inNamespace(policies, ns).map(({ obj }) => specOf(obj));
      const missing = (["Ingress", "Egress"] as const).filter((d) => !inNs.some((spec) => deniesAll(spec, d)));
      const violations = missing.map((d) =>
        violation(`namespace ${ns} runs workloads but no NetworkPolicy with podSelector {} denies all ${d.toLowerCase()} traffic`),
      );
      return verdict(namespaceView(k8s, ns), violations, `namespace ${ns} has a default-deny policy for ingress and egress`);
    });
  },
};

/** True when the policy selects every pod and lists `direction` with no rule for it. */
function deniesAll(spec: Json, direction: Direction): boolean {
  const selector = asRecord(spec.podSelector);
  if (!isRecord(spec.podSelector) || asArray(selector.matchExpressions).length > 0 || Object.keys(asRecord(selector.matchLabels)).length > 0) return false;
  const rules = asArray(spec[direction === "Ingress" ? "ingress" : "egress"]);
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : rules.length > 0 || direction === "Ingress" ? [direction] : [];
  return types.includes(direction) && rules.length === 0;
}
