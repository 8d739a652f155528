import type { ResourceView } from "../../types";
import { apiGroup, k8sResources, namespaceOf, type K8sResource } from "./k8s";

/**
 * Indexes shared by the controls, each built once per resource list in one pass (the lists are never
 * mutated), so that every control stays linear in the input: a control looks up "the NetworkPolicies of
 * namespace n" or "the provider of this resource" instead of scanning every resource for each one.
 * Lists keep the input's order, so results do not depend on the index.
 */
const memo = new WeakMap<object, Map<string, unknown>>();

function cached<T>(owner: object, name: string, build: () => T): T {
  let slot = memo.get(owner);
  if (!slot) memo.set(owner, (slot = new Map()));
  if (!slot.has(name)) slot.set(name, build());
  return slot.get(name) as T;
}

const EMPTY: readonly K8sResource[] = Object.freeze([]);

/** Per API group and kind (group "" for the core group): the objects, in input order, and their positions in k8sResources. */
interface KindEntry {
  readonly list: K8sResource[];
  readonly positions: number[];
}

function kindIndex(resources: readonly ResourceView[]): ReadonlyMap<string, ReadonlyMap<string, KindEntry>> {
  return cached(resources, "kind", () => {
    // kind -> group -> entry: no key string built per object; each distinct apiVersion's group is sliced once.
    const byKind = new Map<string, Map<string, KindEntry>>();
    const groupOf = new Map<string, string>();
    const list = k8sResources(resources);
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      let group = groupOf.get(r.obj.apiVersion);
      if (group === undefined) groupOf.set(r.obj.apiVersion, (group = apiGroup(r.obj)));
      let groups = byKind.get(r.obj.kind);
      if (!groups) byKind.set(r.obj.kind, (groups = new Map()));
      const entry = groups.get(group);
      if (entry) {
        entry.list.push(r);
        entry.positions.push(i);
      } else groups.set(group, { list: [r], positions: [i] });
    }
    return byKind;
  });
}

/** Kubernetes objects of one kind (`group` "" for the core group), in input order. */
export function ofKind(resources: readonly ResourceView[], group: string, kind: string): readonly K8sResource[] {
  return kindIndex(resources).get(kind)?.get(group)?.list ?? EMPTY;
}

/** The objects of `list` grouped by namespace (input order within a namespace). */
export function byNamespace(list: readonly K8sResource[]): ReadonlyMap<string, readonly K8sResource[]> {
  return cached(list, "namespace", () => {
    const map = new Map<string, K8sResource[]>();
    for (const r of list) {
      const ns = namespaceOf(r.obj);
      const group = map.get(ns);
      if (group) group.push(r);
      else map.set(ns, [r]);
    }
    return map;
  });
}

/** The objects of `list` in namespace `ns`. */
export const inNamespace = (list: readonly K8sResource[], ns: string): readonly K8sResource[] => byNamespace(list).get(ns) ?? EMPTY;

/** The objects of `list` whose `metadata.name` is `name`, in namespace `ns` (input order). */
export function named(list: readonly K8sResource[], ns: string, name: string): readonly K8sResource[] {
  const map = cached(list, "namespace-name", () => {
    const m = new Map<string, K8sResource[]>();
    for (const r of list) {
      if (r.obj.metadata.name === undefined) continue;
      const key = `${namespaceOf(r.obj)}\0${r.obj.metadata.name}`;
      const group = m.get(key);
      if (group) group.push(r);
      else m.set(key, [r]);
    }
    return m;
  });
  return map.get(`${ns}\0${name}`) ?? EMPTY;
}

/** The first resource with each URN (as `resources.find((r) => r.urn === urn)` would return). */
export function byUrn(resources: readonly ResourceView[]): ReadonlyMap<string, ResourceView> {
  return cached(resources, "urn", () => {
    const map = new Map<string, ResourceView>();
    for (const r of resources) if (r.urn !== undefined && !map.has(r.urn)) map.set(r.urn, r);
    return map;
  });
}

const NO_VIEW: readonly ResourceView[] = Object.freeze([]);

/** The input positions of the resources of each Pulumi type (types in first-seen order, positions ascending). */
function positionsByType(resources: readonly ResourceView[]): ReadonlyMap<string, readonly number[]> {
  return cached(resources, "type", () => {
    const map = new Map<string, number[]>();
    for (let i = 0; i < resources.length; i++) {
      const type = resources[i]!.type;
      const list = map.get(type);
      if (list) list.push(i);
      else map.set(type, [i]);
    }
    return map;
  });
}

/** The elements of `list` at the union of `positions` (each ascending), in ascending position: input order kept. */
function atPositions<T>(list: readonly T[], positions: readonly (readonly number[])[]): readonly T[] {
  if (positions.length === 1) return positions[0]!.map((i) => list[i]!);
  const merged = Int32Array.from(positions.flat()).sort();
  return Array.from(merged, (i) => list[i]!);
}

/**
 * The resources whose Pulumi type passes `test`, in input order, as a scan of every resource with `test(view.type)`
 * would list them; `test` must depend on the type alone (it runs once per distinct type).
 */
export function ofTypes(resources: readonly ResourceView[], test: (type: string) => boolean): readonly ResourceView[] {
  const positions: (readonly number[])[] = [];
  for (const [type, at] of positionsByType(resources)) if (test(type)) positions.push(at);
  return positions.length === 0 ? NO_VIEW : atPositions(resources, positions);
}

/**
 * Kubernetes objects of any of the given kinds (`[group, kind]`, group "" for the core group), in input order, as a
 * scan of every object with `isKind` would list them.
 */
export function ofKinds(resources: readonly ResourceView[], kinds: readonly (readonly [string, string])[]): readonly K8sResource[] {
  const index = kindIndex(resources);
  const found = new Set<KindEntry>();
  for (const [group, kind] of kinds) {
    const entry = index.get(kind)?.get(group);
    if (entry) found.add(entry);
  }
  if (found.size === 0) return EMPTY;
  if (found.size === 1) return [...found][0]!.list;
  return atPositions(k8sResources(resources), [...found].map((e) => e.positions));
}
