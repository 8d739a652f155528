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

/** One upstream Pod Security Admission check, at the revision registered for the newest policy version. */
export interface PssCheck {
  /** The upstream check id, e.g. `capabilities_restricted`. */
  readonly id: string;
  readonly level: PssLevel;
  /** Baseline check ids this restricted check replaces at the restricted level (upstream `OverrideCheckIDs`). */
  readonly overrides?: readonly string[];
  evaluate(pod: PodUnderCheck): readonly Violation[];
}

export interface VisitedContainer {
  readonly container: Container;
  /** Property path of the container, e.g. `spec.template.spec.initContainers[0]`. */
  readonly path: string;
  readonly name: string;
}

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

/** Every container of the pod, in upstream's order (init, regular, ephemeral), as `visitContainers` does. */
export function containersOf(pod: PodUnderCheck): readonly VisitedContainer[] {
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
