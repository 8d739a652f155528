/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_runAsNonRoot.go,
 * check `runAsNonRoot`, restricted, newest revision v1.35 (user-namespace pods, spec.hostUsers: false, are exempt;
 * see helpers.go `relaxPolicyForUserNamespacePod`).
 * spec.securityContext.runAsNonRoot must not be false; each container must set runAsNonRoot=true itself, or leave it
 * unset while the pod sets it to true. A container's explicit false is forbidden even when the pod sets true.
 */
import type { Violation } from "../../types";
import { type PssCheck, containersOf, quote, runsInUserNamespace, violation } from "../check";

const ID = "runAsNonRoot";

export const runAsNonRoot: PssCheck = {
  id: ID,
  level: "restricted",
  revisions: [0, 35],
  evaluate(pod, minor) {
    if (minor >= 35 && runsInUserNamespace(pod)) return [];
    const found: Violation[] = [];
    const implicit: Violation[] = [];
    const podValue: unknown = pod.spec.securityContext?.runAsNonRoot;
    const podRunAsNonRoot = podValue === true;
    if (podValue !== undefined && podValue !== null && !podRunAsNonRoot) {
      found.push(
        violation(ID, `pod must not set securityContext.runAsNonRoot=${quote(podValue)}`, `${pod.specPath}.securityContext.runAsNonRoot`),
      );
    }
    for (const { container, name, path } of containersOf(pod)) {
      const value: unknown = container.securityContext?.runAsNonRoot;
      if (value !== undefined && value !== null) {
        if (value === true) continue;
        found.push(
          violation(ID, `container ${quote(name)} must not set securityContext.runAsNonRoot=${quote(value)}`, `${path}.securityContext.runAsNonRoot`),
        );
      } else if (!podRunAsNonRoot) {
        implicit.push(
          violation(ID, `pod or container ${quote(name)} must set securityContext.runAsNonRoot=true`, `${path}.securityContext.runAsNonRoot`),
        );
      }
    }
    // As upstream: containers that merely inherit a bad default are reported only when nothing sets a bad value explicitly.
    return found.length > 0 ? found : implicit;
  },
};
