import type { k8s } from "./k8s";

/**
 * Secure defaults for every pod socle deploys: Pod Security `restricted` (non-root, no privilege
 * escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem).
 */

/** Pod-level context for a pod that runs as the given non-root user. */
export function restrictedPodSecurityContext(uid: number, gid: number = uid): k8s.PodSecurityContext {
  if (uid === 0) throw new Error("restrictedPodSecurityContext: uid 0 is root; Pod Security restricted forbids it");
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function restrictedContainerSecurityContext(opts: { readOnlyRootFilesystem?: boolean } = {}): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: opts.readOnlyRootFilesystem ?? true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** A deviation from the secure defaults, declared in code and surfaced on the object it concerns. */
export interface SecurityException {
  readonly container: string;
  /** The relaxed field, e.g. `readOnlyRootFilesystem`. */
  readonly field: string;
  readonly reason: string;
}

export const EXCEPTIONS_ANNOTATION = "socle.io/security-exceptions";

export function exceptionsAnnotation(exceptions: readonly SecurityException[]): Record<string, string> {
  if (exceptions.length === 0) return {};
  return { [EXCEPTIONS_ANNOTATION]: JSON.stringify(exceptions) };
}

/** Labels for Pod Security Admission: enforce, audit and warn at `restricted`, pinned to a version. */
export function podSecurityLabels(level: "restricted" | "baseline" = "restricted"): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
  };
}
