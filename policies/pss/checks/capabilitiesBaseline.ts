/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_capabilities_baseline.go,
 * check `capabilities_baseline`, baseline, revision v1.0 (the only one registered; set `capabilities_allowed_1_0`).
 * Restricted field {init,ephemeral,}containers[*].securityContext.capabilities.add; allowed: undefined or the list below.
 * At the restricted level upstream replaces it with `capabilities_restricted`.
 */
import type { Violation } from "../../types";
import { type PssCheck, containersOf, quote, violation } from "../check";

const ID = "capabilities_baseline";

/** Upstream `capabilities_allowed_1_0`: the container runtime's default set, NET_RAW excluded. */
export const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

export const capabilitiesBaseline: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [0],
  evaluate(pod) {
    const found: Violation[] = [];
    for (const { container, name, path } of containersOf(pod)) {
      const added = container.securityContext?.capabilities?.add;
      if (!Array.isArray(added)) continue;
      added.forEach((capability: unknown, index: number) => {
        if (typeof capability === "string" && BASELINE_ALLOWED_CAPABILITIES.has(capability)) return;
        found.push(
          violation(
            ID,
            `container ${quote(name)} must not include ${quote(capability)} in securityContext.capabilities.add (allowed: ${[...BASELINE_ALLOWED_CAPABILITIES].join(", ")})`,
            `${path}.securityContext.capabilities.add[${index}]`,
          ),
        );
      });
    }
    return found;
  },
};
