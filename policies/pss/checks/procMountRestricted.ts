/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_procMount_restricted.go,
 * check `procMount_restricted`, restricted, revision v1.35 (the only one registered), `OverrideCheckIDs: ["procMount"]`:
 * {init,ephemeral,}containers[*].securityContext.procMount allows "Default" or undefined, even in a user namespace.
 */
import type { PssCheck } from "../check";
import { unmaskedProcMounts } from "./procMountShared";

export const procMountRestricted: PssCheck = {
  id: "procMount_restricted",
  level: "restricted",
  overrides: ["procMount"],
  revisions: [35],
  evaluate(pod) {
    return unmaskedProcMounts("procMount_restricted", pod);
  },
};
