/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_hostNamespaces.go,
 * check `hostNamespaces`, baseline, revision v1.0 (the only one registered).
 * Restricted fields spec.hostNetwork, spec.hostPID, spec.hostIPC; allowed: false, undefined.
 */
import type { Violation } from "../../types";
import { type PssCheck, violation } from "../check";

const ID = "hostNamespaces";

const HOST_NAMESPACE_FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;

export const hostNamespaces: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [0],
  evaluate(pod) {
    const found: Violation[] = [];
    for (const field of HOST_NAMESPACE_FIELDS) {
      if (pod.spec[field] === true) {
        found.push(violation(ID, `pod must not set ${field}=true`, `${pod.specPath}.${field}`));
      }
    }
    return found;
  },
};
