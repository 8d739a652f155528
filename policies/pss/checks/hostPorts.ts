/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_hostPorts.go,
 * check `hostPorts`, baseline, revision v1.0 (the only one registered).
 * Restricted field {init,ephemeral,}containers[*].ports[*].hostPort; allowed: 0, undefined.
 */
import type { Violation } from "../../types";
import { type PssCheck, containersOf, quote, violation } from "../check";

const ID = "hostPorts";

export const hostPorts: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [0],
  evaluate(pod) {
    const found: Violation[] = [];
    for (const { container, name, path } of containersOf(pod)) {
      if (!Array.isArray(container.ports)) continue;
      container.ports.forEach((port, index) => {
        const hostPort: unknown = port?.hostPort;
        if (hostPort === undefined || hostPort === null || hostPort === 0) return;
        found.push(
          violation(ID, `container ${quote(name)} must not set hostPort ${quote(hostPort)} (allowed: 0 or unset)`, `${path}.ports[${index}].hostPort`),
        );
      });
    }
    return found;
  },
};
