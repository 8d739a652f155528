/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_seccompProfile_restricted.go,
 * check `seccompProfile_restricted`, restricted, newest revision v1.25 (Windows pods exempt),
 * `OverrideCheckIDs: ["seccompProfile_baseline"]`.
 * spec.securityContext.seccompProfile.type, when set, must be RuntimeDefault or Localhost; each container must either
 * set an allowed type itself or leave seccompProfile unset with an allowed pod-level type.
 */
import type { Violation } from "../../types";
import { type PssCheck, containersOf, isWindowsPod, quote, violation } from "../check";
import { VALID_SECCOMP_TYPES } from "./seccompProfileBaseline";

const ID = "seccompProfile_restricted";

export const seccompProfileRestricted: PssCheck = {
  id: ID,
  level: "restricted",
  overrides: ["seccompProfile_baseline"],
  revisions: [19, 25],
  evaluate(pod, minor) {
    if (minor >= 25 && isWindowsPod(pod)) return [];
    const found: Violation[] = [];
    const implicit: Violation[] = [];
    const podProfile = pod.spec.securityContext?.seccompProfile;
    let podSeccompSet = false;
    if (podProfile !== undefined && podProfile !== null) {
      if (VALID_SECCOMP_TYPES.has(podProfile.type)) {
        podSeccompSet = true;
      } else {
        found.push(
          violation(
            ID,
            `pod must not set securityContext.seccompProfile.type to ${quote(podProfile.type)} (allowed: "RuntimeDefault", "Localhost")`,
            `${pod.specPath}.securityContext.seccompProfile.type`,
          ),
        );
      }
    }
    for (const { container, name, path } of containersOf(pod)) {
      const profile = container.securityContext?.seccompProfile;
      if (profile !== undefined && profile !== null) {
        if (VALID_SECCOMP_TYPES.has(profile.type)) continue;
        found.push(
          violation(
            ID,
            `container ${quote(name)} must not set securityContext.seccompProfile.type to ${quote(profile.type)} (allowed: "RuntimeDefault", "Localhost")`,
            `${path}.securityContext.seccompProfile.type`,
          ),
        );
      } else if (!podSeccompSet) {
        implicit.push(
          violation(
            ID,
            `pod or container ${quote(name)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
            `${path}.securityContext.seccompProfile`,
          ),
        );
      }
    }
    // As upstream: containers that merely inherit a bad default are reported only when nothing sets a bad value explicitly.
    return found.length > 0 ? found : implicit;
  },
};
