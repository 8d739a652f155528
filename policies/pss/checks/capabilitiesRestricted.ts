/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_capabilities_restricted.go,
 * check `capabilities_restricted`, restricted, newest revision v1.25 (Windows pods exempt; v1.22 logic otherwise),
 * `OverrideCheckIDs: ["capabilities_baseline"]`.
 * {init,ephemeral,}containers[*].securityContext.capabilities.drop must include "ALL" (exact, case-sensitive);
 * capabilities.add may only hold "NET_BIND_SERVICE".
 */
import type { Violation } from "../../types";
import { type PssCheck, containersOf, isWindowsPod, quote, violation } from "../check";

const ID = "capabilities_restricted";
const CAPABILITY_ALL = "ALL";
const CAPABILITY_NET_BIND_SERVICE = "NET_BIND_SERVICE";

export const capabilitiesRestricted: PssCheck = {
  id: ID,
  level: "restricted",
  overrides: ["capabilities_baseline"],
  revisions: [22, 25],
  evaluate(pod, minor) {
    if (minor >= 25 && isWindowsPod(pod)) return [];
    const found: Violation[] = [];
    for (const { container, name, path } of containersOf(pod)) {
      const capabilities = container.securityContext?.capabilities;
      const dropped = Array.isArray(capabilities?.drop) ? capabilities.drop : [];
      if (!dropped.includes(CAPABILITY_ALL)) {
        found.push(
          violation(
            ID,
            `container ${quote(name)} must set securityContext.capabilities.drop=["ALL"] (found ${quote(capabilities?.drop ?? "unset")})`,
            `${path}.securityContext.capabilities.drop`,
          ),
        );
      }
      const added = Array.isArray(capabilities?.add) ? capabilities.add : [];
      added.forEach((capability: unknown, index: number) => {
        if (capability === CAPABILITY_NET_BIND_SERVICE) return;
        found.push(
          violation(
            ID,
            `container ${quote(name)} must not include ${quote(capability)} in securityContext.capabilities.add (allowed: "NET_BIND_SERVICE")`,
            `${path}.securityContext.capabilities.add[${index}]`,
          ),
        );
      });
    }
    return found;
  },
};
