import type { Control } from "../../types";
import { describe, isKind, k8sResources, specOf } from "../lib/k8s";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";

export const control: Control = {
  id: "snc-network-no-nodeport",
  title: {
    fr: "Aucun Service de type NodePort",
    en: "No Service of type NodePort",
  },
  snc: verifiedSection("13", "13.2", "Cloisonnement des réseaux"),
  severity: "medium",
  enforcement: "mandatory",
  rationale:
    "A NodePort Service opens the same port on every node's addresses, bypassing the gateway where TLS, authentication and the flow matrix are enforced (13.2). Every exposure must go through the gateway or a declared load balancer.",
  remediation: "Use a ClusterIP Service behind the gateway (an HTTPRoute), or a declared LoadBalancer Service when a non-HTTP protocol must be exposed.",
  evidence: ["core/v1 Service `spec.type`"],
  check(resources) {
    return k8sResources(resources)
      .filter(({ obj }) => isKind(obj, "", "Service"))
      .map(({ view, obj }) => {
        const type = specOf(obj).type ?? "ClusterIP";
        return verdict(view, type === "NodePort" ? [violation(`${describe(obj)} is of type NodePort`, "spec.type")] : [], `${describe(obj)} is of type ${String(type)}`);
      });
  },
};
