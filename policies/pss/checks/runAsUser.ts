/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_runAsUser.go,
 * check `runAsUser`, restricted, newest revision v1.35 (user-namespace pods, spec.hostUsers: false, are exempt).
 * Restricted fields spec.securityContext.runAsUser and {init,ephemeral,}containers[*].securityContext.runAsUser;
 * allowed: non-zero, undefined. A pod-level 0 is forbidden even when every container overrides it.
 */
import type { Violation } from "../../types";
import { type PssCheck, containersOf, quote, runsInUserNamespace, violation } from "../check";

const ID = "runAsUser";

export const runAsUser: PssCheck = {
  id: ID,
  level: "restricted",
  revisions: [23, 35],
  evaluate(pod, minor) {
    if (minor >= 35 && runsInUserNamespace(pod)) return [];
    const found: Violation[] = [];
    if (pod.spec.securityContext?.runAsUser === 0) {
      found.push(violation(ID, "pod must not set securityContext.runAsUser=0", `${pod.specPath}.securityContext.runAsUser`));
    }
    for (const { container, name, path } of containersOf(pod)) {
      if (container.securityContext?.runAsUser !== 0) continue;
      found.push(violation(ID, `container ${quote(name)} must not set securityContext.runAsUser=0`, `${path}.securityContext.runAsUser`));
    }
    return found;
  },
};
