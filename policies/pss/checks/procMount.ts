/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_procMount_baseline.go
 * (check_procMount.go before Kubernetes 1.35), check `procMount`, baseline, newest revision v1.35 (`procMount1_35baseline`):
 * pods in a user namespace (spec.hostUsers: false) may use any procMount; otherwise
 * {init,ephemeral,}containers[*].securityContext.procMount allows "Default" or undefined.
 * At the restricted level upstream replaces it with `procMount_restricted`.
 */
import { type PssCheck, runsInUserNamespace } from "../check";
import { unmaskedProcMounts } from "./procMountShared";

export const procMount: PssCheck = {
  id: "procMount",
  level: "baseline",
  revisions: [0, 35],
  evaluate(pod, minor) {
    return minor >= 35 && runsInUserNamespace(pod) ? [] : unmaskedProcMounts("procMount", pod);
  },
};
