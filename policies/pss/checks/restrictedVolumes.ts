/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_restrictedVolumes.go,
 * check `restrictedVolumes`, restricted, revision v1.0 (the only one registered; `image` was added in place in
 * Kubernetes 1.33), `OverrideCheckIDs: ["hostPathVolumes"]`.
 * spec.volumes[*] may only use the sources below.
 */
import type { Violation } from "../../types";
import { type PssCheck, quote, violation } from "../check";

const ID = "restrictedVolumes";

export const ALLOWED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

export const restrictedVolumes: PssCheck = {
  id: ID,
  level: "restricted",
  overrides: ["hostPathVolumes"],
  revisions: [0],
  evaluate(pod) {
    const found: Violation[] = [];
    const volumes = pod.spec.volumes;
    if (!Array.isArray(volumes)) return found;
    volumes.forEach((volume, index) => {
      if (volume === null || typeof volume !== "object") return;
      const sources = Object.keys(volume).filter((key) => key !== "name" && volume[key] !== undefined && volume[key] !== null);
      // A volume without a source is defaulted to emptyDir by the API server before admission sees it.
      if (sources.length === 0 || sources.some((source) => ALLOWED_VOLUME_SOURCES.has(source))) return;
      for (const source of sources) {
        found.push(
          violation(
            ID,
            `volume ${quote(volume.name)} must not use volume type ${quote(source)} (allowed: ${[...ALLOWED_VOLUME_SOURCES].join(", ")})`,
            `${pod.specPath}.volumes[${index}].${source}`,
          ),
        );
      }
    });
    return found;
  },
};
