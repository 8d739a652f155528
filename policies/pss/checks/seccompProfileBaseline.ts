/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_seccompProfile_baseline.go,
 * check `seccompProfile_baseline`, baseline, newest revision v1.19 (fields; the v1.0 revision read the
 * seccomp.security.alpha.kubernetes.io annotations, which later policy versions ignore).
 * Restricted fields spec.securityContext.seccompProfile.type and {init,ephemeral,}containers[*].securityContext.seccompProfile.type;
 * allowed: RuntimeDefault, Localhost, undefined (Unconfined is forbidden).
 * At the restricted level upstream replaces it with `seccompProfile_restricted`.
 */
import type { Violation } from "../../types";
import { type PssCheck, containersOf, quote, violation } from "../check";

const ID = "seccompProfile_baseline";
export const VALID_SECCOMP_TYPES: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

export const seccompProfileBaseline: PssCheck = {
  id: ID,
  level: "baseline",
  evaluate(pod) {
    const found: Violation[] = [];
    const podProfile = pod.spec.securityContext?.seccompProfile;
    if (podProfile !== undefined && podProfile !== null && !VALID_SECCOMP_TYPES.has(podProfile.type)) {
      found.push(
        violation(
          ID,
          `pod must not set securityContext.seccompProfile.type to ${quote(podProfile.type)} (allowed: "RuntimeDefault", "Localhost")`,
          `${pod.specPath}.securityContext.seccompProfile.type`,
        ),
      );
    }
    for (const { container, name, path } of containersOf(pod)) {
      const profile = container.securityContext?.seccompProfile;
      if (profile === undefined || profile === null || VALID_SECCOMP_TYPES.has(profile.type)) continue;
      found.push(
        violation(
          ID,
          `container ${quote(name)} must not set securityContext.seccompProfile.type to ${quote(profile.type)} (allowed: "RuntimeDefault", "Localhost")`,
          `${path}.securityContext.seccompProfile.type`,
        ),
      );
    }
    return found;
  },
};
