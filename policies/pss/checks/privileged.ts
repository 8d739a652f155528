/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_privileged.go,
 * check `privileged`, baseline, revision v1.0 (the only one registered).
 * Restricted field {init,ephemeral,}containers[*].securityContext.privileged; allowed: false, undefined.
 */
import { type PssCheck, containersOf, quote, violation } from "../check";

const ID = "privileged";

export const privileged: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [0],
  evaluate(pod) {
    return containersOf(pod)
      .filter(({ container }) => container.securityContext?.privileged === true)
      .map(({ name, path }) =>
        violation(ID, `container ${quote(name)} must not set securityContext.privileged=true`, `${path}.securityContext.privileged`),
      );
  },
};
