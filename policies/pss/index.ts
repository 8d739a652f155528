/**
 * Pod Security Standards (baseline, restricted) evaluated offline, agreeing with upstream Pod Security Admission
 * (k8s.io/pod-security-admission) at the policy version asked for (default: the newest, `LATEST_MINOR`).
 * Each upstream check lives in `checks/` with every revision upstream registers for it.
 */
import type { KubernetesObject, Violation } from "../types";
import { type PssLevel, revisionAt } from "./check";
import { podSpecOf, podUnderCheck } from "./podSpecOf";
import { checksFor, effectiveMinor } from "./registry";

export type { PssCheck, PssLevel } from "./check";
export type { ObjectMeta, PodSpec } from "./podSpec";
export { podSpecOf, type LocatedPodSpec } from "./podSpecOf";
export { BASELINE_CHECKS, LATEST_MINOR, RESTRICTED_CHECKS, checksFor, effectiveMinor, parsePolicyVersion } from "./registry";
export { revisionAt } from "./check";

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

/** Evaluates `obj` at `level` and policy version `v1.<minor>` (default latest; newer versions are clamped to latest). */
export function evaluatePodSecurity(obj: KubernetesObject, level: PssLevel, minor?: number): PodSecurityResult {
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
  const v = effectiveMinor(minor);
  for (const check of checksFor(level, v)) {
    const key = `${check.id}@${revisionAt(check, v)}`;
    let found = byCheck.get(key);
    if (!found) {
      found = check.evaluate(pod, v);
      byCheck.set(key, found);
    }
    violations.push(...found);
  }
  return { applies: true, violations };
}
