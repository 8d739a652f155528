/**
 * Pod Security Standards (baseline, restricted) evaluated offline, agreeing with upstream Pod Security Admission
 * (k8s.io/pod-security-admission) at its newest policy version. Each upstream check lives in `checks/`.
 */
import type { KubernetesObject, Violation } from "../types";
import type { PssLevel } from "./check";
import { podSpecOf, podUnderCheck } from "./podSpecOf";
import { checksFor } from "./registry";

export type { PssCheck, PssLevel } from "./check";
export type { ObjectMeta, PodSpec } from "./podSpec";
export { podSpecOf, type LocatedPodSpec } from "./podSpecOf";
export { BASELINE_CHECKS, RESTRICTED_CHECKS, checksFor } from "./registry";

export interface PodSecurityResult {
  /** False when the object carries no pod spec (not a pod-bearing kind). */
  readonly applies: boolean;
  readonly violations: readonly Violation[];
}

const LEVELS: readonly PssLevel[] = ["baseline", "restricted"];

export function evaluatePodSecurity(obj: KubernetesObject, level: PssLevel): PodSecurityResult {
  if (!LEVELS.includes(level)) {
    throw new Error(`evaluatePodSecurity: unknown Pod Security Standards level ${JSON.stringify(level)}; use "baseline" or "restricted"`);
  }
  const located = podSpecOf(obj);
  if (located === undefined) return { applies: false, violations: [] };
  const pod = podUnderCheck(located);
  return { applies: true, violations: checksFor(level).flatMap((check) => check.evaluate(pod)) };
}
