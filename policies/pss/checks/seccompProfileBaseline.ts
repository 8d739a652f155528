/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_seccompProfile_baseline.go,
 * (also kubernetes/pod-security-admission policy/check_seccompProfile_baseline.go at tag v0.37.0-alpha.2),
 * check `seccompProfile_baseline`, baseline, revisions v1.0 (the seccomp.security.alpha.kubernetes.io annotations)
 * and v1.19 (the fields; the annotations are no longer read).
 * Restricted fields spec.securityContext.seccompProfile.type and {init,ephemeral,}containers[*].securityContext.seccompProfile.type;
 * allowed: RuntimeDefault, Localhost, undefined (Unconfined is forbidden).
 * At the restricted level upstream replaces it with `seccompProfile_restricted`.
 */
import type { Violation } from "../../types";
import { type PodUnderCheck, type PssCheck, annotationPath, containersOf, quote, violation } from "../check";

const ID = "seccompProfile_baseline";
export const VALID_SECCOMP_TYPES: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

/** v1.0–v1.18 read the alpha annotations (upstream `annotationKeyPod`, `annotationKeyContainerPrefix`). */
const ANNOTATION_POD = "seccomp.security.alpha.kubernetes.io/pod";
const ANNOTATION_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

/** Upstream `validSeccompAnnotationValue`: runtime/default, docker/default, localhost/<profile>. */
function validAnnotationValue(value: unknown): boolean {
  return value === "runtime/default" || value === "docker/default" || (typeof value === "string" && value.startsWith("localhost/"));
}

/** Upstream `seccompProfileBaseline_1_0`: the annotations only; fields are not read at these versions. */
function annotationViolations(pod: PodUnderCheck): Violation[] {
  const annotations = pod.metadata.annotations;
  if (annotations === undefined || annotations === null || typeof annotations !== "object") return [];
  const found: Violation[] = [];
  const keys = [ANNOTATION_POD, ...containersOf(pod).map(({ name }) => ANNOTATION_CONTAINER_PREFIX + name)];
  for (const key of [...new Set(keys)]) {
    if (!Object.prototype.hasOwnProperty.call(annotations, key)) continue;
    const value: unknown = annotations[key];
    if (validAnnotationValue(value)) continue;
    found.push(
      violation(ID, `forbidden annotation ${key}=${quote(value)} (allowed: "runtime/default", "docker/default", "localhost/*")`, annotationPath(pod, key)),
    );
  }
  return found;
}

export const seccompProfileBaseline: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [0, 19],
  evaluate(pod, minor) {
    if (minor < 19) return annotationViolations(pod);
    const found: Violation[] = [];
    const podProfile = pod.spec.securityContext?.seccompProfile;
    if (podProfile !== undefined && podProfile !== null && !VALID_SECCOMP_TYPES.has(podProfile.type)) {
      found.push(
        violation(
          ID,
          `pod must not set securityContext.seccompProfile.type to ${quote(podProfile.type)} (allowed: "RuntimeDefault", "Localhost")`,
          `${pod.specPath}.securityContext.seccompProfile.type`,
        ),
      );
    }
    for (const { container, name, path } of containersOf(pod)) {
      const profile = container.securityContext?.seccompProfile;
      if (profile === undefined || profile === null || VALID_SECCOMP_TYPES.has(profile.type)) continue;
      found.push(
        violation(
          ID,
          `container ${quote(name)} must not set securityContext.seccompProfile.type to ${quote(profile.type)} (allowed: "RuntimeDefault", "Localhost")`,
          `${path}.securityContext.seccompProfile.type`,
        ),
      );
    }
    return found;
  },
};
