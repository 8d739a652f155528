/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_appArmorProfile.go,
 * check `appArmorProfile`, baseline, revision v1.0 (the only one registered; the field channel was added
 * in place in Kubernetes 1.30, so it applies at every policy version).
 * Restricted fields: spec.securityContext.appArmorProfile.type and {init,ephemeral,}containers[*].securityContext.appArmorProfile.type
 * (allowed: RuntimeDefault, Localhost, undefined); metadata.annotations["container.apparmor.security.beta.kubernetes.io/*"]
 * (allowed: empty, "runtime/default", "localhost/*", undefined).
 */
import type { Violation } from "../../types";
import { type PssCheck, annotationPath, containersOf, quote, violation } from "../check";

const ID = "appArmorProfile";
const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
const ALLOWED_TYPES: ReadonlySet<unknown> = new Set(["RuntimeDefault", "Localhost"]);

function allowedAnnotationValue(value: unknown): boolean {
  return value === "" || value === "runtime/default" || (typeof value === "string" && value.startsWith("localhost/"));
}

export const appArmorProfile: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [0],
  evaluate(pod) {
    const found: Violation[] = [];
    const podProfile = pod.spec.securityContext?.appArmorProfile;
    if (podProfile !== undefined && podProfile !== null && !ALLOWED_TYPES.has(podProfile.type)) {
      found.push(
        violation(
          ID,
          `pod must not set securityContext.appArmorProfile.type to ${quote(podProfile.type)} (allowed: "RuntimeDefault", "Localhost")`,
          `${pod.specPath}.securityContext.appArmorProfile.type`,
        ),
      );
    }
    for (const { container, name, path } of containersOf(pod)) {
      const profile = container.securityContext?.appArmorProfile;
      if (profile === undefined || profile === null || ALLOWED_TYPES.has(profile.type)) continue;
      found.push(
        violation(
          ID,
          `container ${quote(name)} must not set securityContext.appArmorProfile.type to ${quote(profile.type)} (allowed: "RuntimeDefault", "Localhost")`,
          `${path}.securityContext.appArmorProfile.type`,
        ),
      );
    }
    const annotations = pod.metadata.annotations ?? {};
    for (const key of Object.keys(annotations).sort()) {
      const value = annotations[key];
      if (!key.startsWith(ANNOTATION_PREFIX) || allowedAnnotationValue(value)) continue;
      found.push(
        violation(
          ID,
          `annotation ${key}=${quote(value)} is a forbidden AppArmor profile (allowed: "runtime/default", "localhost/<profile>", empty)`,
          annotationPath(pod, key),
        ),
      );
    }
    return found;
  },
};
