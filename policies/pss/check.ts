import type { Violation } from "../types";
import type { Container, ObjectMeta, PodSpec } from "./podSpec";

export type PssLevel = "baseline" | "restricted";

/** One pod as a check sees it: the spec, its metadata, and where both sit in the resource. */
export interface PodUnderCheck {
  readonly spec: PodSpec;
  readonly metadata: ObjectMeta;
  /** Property path of the pod spec inside the resource, e.g. `spec.template.spec`. */
  readonly specPath: string;
  /** Property path of the pod metadata inside the resource, e.g. `spec.template.metadata`. */
  readonly metadataPath: string;
}

/**
 * One upstream Pod Security Admission check with every revision upstream registers for it.
 * `revisions` are the minor versions of upstream's `VersionedCheck.MinimumVersion` (all are `1.<minor>`), oldest first:
 * the check does not exist below the first one, and revision `r` applies from policy `v1.<r>` to the next revision.
 */
export interface PssCheck {
  /** The upstream check id, e.g. `capabilities_restricted`. */
  readonly id: string;
  readonly level: PssLevel;
  /** Baseline check ids this restricted check replaces at the restricted level (upstream `OverrideCheckIDs`, same at every revision). */
  readonly overrides?: readonly string[];
  /** Upstream `MinimumVersion` minors, strictly increasing. */
  readonly revisions: readonly number[];
  /** Evaluates the revision in force at policy version `v1.<minor>` (never called below `revisions[0]`). */
  evaluate(pod: PodUnderCheck, minor: number): readonly Violation[];
}

/** The revision of `check` in force at policy `v1.<minor>`, or undefined when the check does not exist yet. */
export function revisionAt(check: PssCheck, minor: number): number | undefined {
  let found: number | undefined;
  for (const r of check.revisions) if (r <= minor) found = r;
  return found;
}

export interface VisitedContainer {
  readonly container: Container;
  /** Property path of the container, e.g. `spec.template.spec.initContainers[0]`. */
  readonly path: string;
  readonly name: string;
}

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

const visitedOf = new WeakMap<PodUnderCheck, readonly VisitedContainer[]>();

/**
 * Every container of the pod, in upstream's order (init, regular, ephemeral), as `visitContainers` does.
 * Listed once per pod (every check asks; pods are never mutated).
 */
export function containersOf(pod: PodUnderCheck): readonly VisitedContainer[] {
  let visited = visitedOf.get(pod);
  if (!visited) {
    visited = listContainers(pod);
    visitedOf.set(pod, visited);
  }
  return visited;
}

function listContainers(pod: PodUnderCheck): readonly VisitedContainer[] {
  const visited: VisitedContainer[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = pod.spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container: Container, index: number) => {
      if (container === null || typeof container !== "object") return;
      visited.push({
        container,
        path: `${pod.specPath}.${list}[${index}]`,
        name: typeof container.name === "string" ? container.name : `${list}[${index}]`,
      });
    });
  }
  return visited;
}

/** Upstream exempts pods with `spec.os.name: windows` from the Linux-only restricted checks (policy v1.25+). */
export function isWindowsPod(pod: PodUnderCheck): boolean {
  return pod.spec.os?.name === "windows";
}

/** Upstream `relaxPolicyForUserNamespacePod`: the pod runs in a user namespace (`hostUsers: false`). */
export function runsInUserNamespace(pod: PodUnderCheck): boolean {
  return pod.spec.hostUsers === false;
}

export function violation(checkId: string, detail: string, path: string): Violation {
  return { message: `${checkId}: ${detail}`, path };
}

/** Property path of one annotation, quoted because annotation keys hold dots and slashes. */
export function annotationPath(pod: PodUnderCheck, key: string): string {
  return `${pod.metadataPath}.annotations[${JSON.stringify(key)}]`;
}

export function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
