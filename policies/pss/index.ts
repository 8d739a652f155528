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

/**
 * Per object, the outcome of each check already run. Restricted repeats most baseline checks, and the two
 * controls evaluate the same objects: each check runs once per object. Objects are never mutated here.
 */
const evaluated = new WeakMap<KubernetesObject, { pod: ReturnType<typeof podUnderCheck> | undefined; byCheck: Map<string, readonly Violation[]> }>();

export function evaluatePodSecurity(obj: KubernetesObject, level: PssLevel): PodSecurityResult {
  if (!LEVELS.includes(level)) {
    throw new Error(`evaluatePodSecurity: unknown Pod Security Standards level ${JSON.stringify(level)}; use "baseline" or "restricted"`);
  }
  let entry = evaluated.get(obj);
  if (!entry) {
    const located = podSpecOf(obj);
    entry = { pod: located === undefined ? undefined : podUnderCheck(located), byCheck: new Map() };
    evaluated.set(obj, entry);
  }
  const { pod, byCheck } = entry;
  if (pod === undefined) return { applies: false, violations: [] };
  const violations: Violation[] = [];
  for (const check of checksFor(level)) {
    let found = byCheck.get(check.id);
    if (!found) {
      found = check.evaluate(pod);
      byCheck.set(check.id, found);
    }
    violations.push(...found);
  }
  return { applies: true, violations };
}
