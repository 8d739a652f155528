/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_hostPathVolumes.go,
 * check `hostPathVolumes`, baseline, revision v1.0 (the only one registered).
 * Restricted field spec.volumes[*].hostPath; allowed: undefined. At the restricted level upstream
 * replaces it with `restrictedVolumes`.
 */
import type { Violation } from "../../types";
import { type PssCheck, quote, violation } from "../check";

const ID = "hostPathVolumes";

export const hostPathVolumes: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [0],
  evaluate(pod) {
    const found: Violation[] = [];
    const volumes = pod.spec.volumes;
    if (!Array.isArray(volumes)) return found;
    volumes.forEach((volume, index) => {
      if (volume?.hostPath === undefined || volume.hostPath === null) return;
      found.push(
        violation(ID, `volume ${quote(volume.name)} must not be a hostPath volume`, `${pod.specPath}.volumes[${index}].hostPath`),
      );
    });
    return found;
  },
};
