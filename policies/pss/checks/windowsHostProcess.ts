/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_windowsHostProcess.go,
 * check `windowsHostProcess`, baseline, revision v1.0 (the only one registered).
 * Restricted fields spec.securityContext.windowsOptions.hostProcess and
 * {init,ephemeral,}containers[*].securityContext.windowsOptions.hostProcess; allowed: false, undefined.
 */
import type { Violation } from "../../types";
import { type PssCheck, containersOf, quote, violation } from "../check";

const ID = "windowsHostProcess";

export const windowsHostProcess: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [0],
  evaluate(pod) {
    const found: Violation[] = [];
    if (pod.spec.securityContext?.windowsOptions?.hostProcess === true) {
      found.push(
        violation(ID, "pod must not set securityContext.windowsOptions.hostProcess=true", `${pod.specPath}.securityContext.windowsOptions.hostProcess`),
      );
    }
    for (const { container, name, path } of containersOf(pod)) {
      if (container.securityContext?.windowsOptions?.hostProcess !== true) continue;
      found.push(
        violation(
          ID,
          `container ${quote(name)} must not set securityContext.windowsOptions.hostProcess=true`,
          `${path}.securityContext.windowsOptions.hostProcess`,
        ),
      );
    }
    return found;
  },
};
