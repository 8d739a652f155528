/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_allowPrivilegeEscalation.go,
 * check `allowPrivilegeEscalation`, restricted, newest revision v1.25 (Windows pods exempt).
 * Restricted field {init,ephemeral,}containers[*].securityContext.allowPrivilegeEscalation; allowed: false (undefined is forbidden).
 */
import { type PssCheck, containersOf, isWindowsPod, quote, violation } from "../check";

const ID = "allowPrivilegeEscalation";

export const allowPrivilegeEscalation: PssCheck = {
  id: ID,
  level: "restricted",
  revisions: [8, 25],
  evaluate(pod, minor) {
    if (minor >= 25 && isWindowsPod(pod)) return [];
    return containersOf(pod)
      .filter(({ container }) => container.securityContext?.allowPrivilegeEscalation !== false)
      .map(({ container, name, path }) =>
        violation(
          ID,
          `container ${quote(name)} must set securityContext.allowPrivilegeEscalation=false (found ${quote(container.securityContext?.allowPrivilegeEscalation ?? "unset")})`,
          `${path}.securityContext.allowPrivilegeEscalation`,
        ),
      );
  },
};
