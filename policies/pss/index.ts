/**
 * Pod Security Standards (baseline, restricted) evaluated offline, agreeing with upstream Pod Security Admission
 * (k8s.io/pod-security-admission) at the policy version asked for (default: the newest, `LATEST_MINOR`).
 * Each upstream check lives in `checks/` with every revision upstream registers for it.
 */
import type { KubernetesObject, Violation } from "../types";
import { type PodUnderCheck, type PssCheck, type PssLevel, revisionAt } from "./check";
import { podSpecOf, podUnderCheck } from "./podSpecOf";
import { BASELINE_CHECKS, RESTRICTED_CHECKS, checksFor, effectiveMinor } from "./registry";
import { structuralKey } from "./structure";

export type { PssCheck, PssLevel } from "./check";
export type { ObjectMeta, PodSpec } from "./podSpec";
export { POD_BEARING_KINDS, podSpecOf, type LocatedPodSpec } from "./podSpecOf";
export { BASELINE_CHECKS, LATEST_MINOR, RESTRICTED_CHECKS, checksFor, effectiveMinor, parsePolicyVersion } from "./registry";
export { revisionAt } from "./check";

export interface PodSecurityResult {
  /** False when the object carries no pod spec (not a pod-bearing kind). */
  readonly applies: boolean;
  readonly violations: readonly Violation[];
}

const LEVELS: readonly PssLevel[] = ["baseline", "restricted"];
const NOT_A_POD: PodSecurityResult = Object.freeze({ applies: false, violations: Object.freeze([]) as readonly Violation[] });
const NO_VIOLATION: readonly Violation[] = Object.freeze([]);

/** One slot per (check, revision): where a pod's outcome of that revision of that check is kept. */
const SLOTS = new Map<PssCheck, ReadonlyMap<number, number>>();
let slotCount = 0;
for (const check of [...BASELINE_CHECKS, ...RESTRICTED_CHECKS]) SLOTS.set(check, new Map(check.revisions.map((r) => [r, slotCount++])));

interface Step {
  readonly check: PssCheck;
  readonly slot: number;
}

/** The checks of a level at a version with their slots, in evaluation order: computed once per (level, version). */
const plans: Record<PssLevel, Map<number, readonly Step[]>> = { baseline: new Map(), restricted: new Map() };

function planFor(level: PssLevel, v: number): readonly Step[] {
  let plan = plans[level].get(v);
  if (!plan) {
    plan = checksFor(level, v).map((check) => ({ check, slot: SLOTS.get(check)!.get(revisionAt(check, v)!)! }));
    plans[level].set(v, plan);
  }
  return plan;
}

/**
 * What the checks found on one pod: each check revision's violations, run once, and each (level, version)
 * result. Restricted repeats most baseline checks, and the two controls evaluate the same objects.
 */
interface PodOutcomes {
  readonly pod: PodUnderCheck;
  readonly bySlot: (readonly Violation[] | undefined)[];
  readonly results: Record<PssLevel, Map<number, PodSecurityResult>>;
}

/** Per object, its outcomes (null: not a pod-bearing object). Objects are never mutated here. */
const evaluated = new WeakMap<KubernetesObject, PodOutcomes | null>();

/**
 * Outcomes shared by the pods of one input that are the same for every check: same pod spec and annotations
 * (the only pod metadata the checks see, see `podUnderCheck`) by structure, at the same place in their objects.
 * A fleet repeats one pod template in many workloads and namespaces: each distinct one is evaluated once.
 */
export interface PodSecurityCache {
  readonly byStructure: Map<string, PodOutcomes>;
}

export function createPodSecurityCache(): PodSecurityCache {
  return { byStructure: new Map() };
}

function outcomesOf(obj: KubernetesObject, shared: PodSecurityCache | undefined): PodOutcomes | null {
  const located = podSpecOf(obj);
  if (located === undefined) return null;
  const pod = podUnderCheck(located);
  const fresh = (): PodOutcomes => ({ pod, bySlot: new Array<readonly Violation[] | undefined>(slotCount), results: { baseline: new Map(), restricted: new Map() } });
  if (shared === undefined) return fresh();
  const spec = structuralKey(pod.spec);
  // No annotations ("-") or their JSON text; JSON text holds no raw NUL, so "\0" separates the parts.
  const annotations = spec === undefined ? undefined : pod.metadata.annotations === undefined ? "-" : structuralKey(pod.metadata.annotations);
  if (annotations === undefined) return fresh();
  const key = `${pod.specPath}\0${pod.metadataPath}\0${spec}\0${annotations}`;
  let outcomes = shared.byStructure.get(key);
  if (!outcomes) {
    outcomes = fresh();
    shared.byStructure.set(key, outcomes);
  }
  return outcomes;
}

/**
 * Evaluates `obj` at `level` and policy version `v1.<minor>` (default latest; newer versions are clamped to latest).
 * With `shared`, pods identical by structure to one already evaluated take its outcome (the same result, computed once).
 * The result is shared and must not be mutated.
 */
export function evaluatePodSecurity(obj: KubernetesObject, level: PssLevel, minor?: number, shared?: PodSecurityCache): PodSecurityResult {
  if (!LEVELS.includes(level)) {
    throw new Error(`evaluatePodSecurity: unknown Pod Security Standards level ${JSON.stringify(level)}; use "baseline" or "restricted"`);
  }
  let outcomes = evaluated.get(obj);
  if (outcomes === undefined) {
    outcomes = outcomesOf(obj, shared);
    evaluated.set(obj, outcomes);
  }
  if (outcomes === null) return NOT_A_POD;
  const v = effectiveMinor(minor);
  let result = outcomes.results[level].get(v);
  if (result) return result;
  let violations: Violation[] | undefined;
  for (const { check, slot } of planFor(level, v)) {
    let found = outcomes.bySlot[slot];
    if (found === undefined) {
      found = check.evaluate(outcomes.pod, v);
      outcomes.bySlot[slot] = found;
    }
    for (let i = 0; i < found.length; i++) (violations ??= []).push(found[i]!);
  }
  result = { applies: true, violations: violations ?? NO_VIOLATION };
  outcomes.results[level].set(v, result);
  return result;
}
