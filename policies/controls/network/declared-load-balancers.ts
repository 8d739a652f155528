import type { Control } from "../../types";
import { describe, isKind, k8sResources, nameOf, namespaceOf, specOf } from "../lib/k8s";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";

export const control: Control = {
  id: "snc-network-declared-load-balancers",
  title: {
    fr: "Services LoadBalancer limités à ceux déclarés",
    en: "LoadBalancer Services only where declared",
  },
  snc: verifiedSection("13", "13.1", "Cartographie du système d'information"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Each interconnection with a public network must appear in the information system map and its flow matrix (13.1.a). A LoadBalancer Service creates a public entry point; only the entry points declared in the stack (the gateway, mail) may exist, so that the map stays true.",
  remediation: "Expose HTTP services through the gateway. If a new public entry point is needed, declare it in the stack's `declaredLoadBalancers` as `namespace/name` and add it to the flow matrix.",
  evidence: ["core/v1 Service `spec.type` LoadBalancer, metadata.namespace/name", "context: declaredLoadBalancers"],
  check(resources, ctx) {
    const declared = new Set(ctx.declaredLoadBalancers);
    return k8sResources(resources)
      .filter(({ obj }) => isKind(obj, "", "Service") && specOf(obj).type === "LoadBalancer")
      .map(({ view, obj }) => {
        const key = `${namespaceOf(obj)}/${nameOf(obj)}`;
        return verdict(view, declared.has(key) ? [] : [violation(`${describe(obj)} is a LoadBalancer not declared in declaredLoadBalancers (${key})`, "spec.type")], `${key} is a declared load balancer`);
      });
  },
};
