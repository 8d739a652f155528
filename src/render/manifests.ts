import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { isSecretEnvelope, SECRET } from "./markers";
import type { StateExport } from "./state";
import { topComponent } from "./render";
import { compareText } from "../compare";

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } };

/** Apply order within a file: what others depend on first (namespaces, identities, config, storage). */
const KIND_ORDER = [
  "Namespace",
  "CustomResourceDefinition",
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "Secret",
  "ConfigMap",
  "PersistentVolumeClaim",
  "NetworkPolicy",
  "Service",
];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
}

/**
 * Every Kubernetes object of a rendered state, grouped by top-level component, secrets replaced by the
 * fixed marker, in apply order. The objects are the resources' inputs: what `pulumi up` would send.
 */
export function collectManifests(state: StateExport, manifestInputs: ReadonlyMap<string, Record<string, unknown>>): Map<string, Manifest[]> {
  const byUrn = new Map(state.deployment.resources.map((r) => [r.urn, r]));
  const groups = new Map<string, Manifest[]>();
  for (const r of state.deployment.resources) {
    if (!r.custom || !r.type.startsWith("kubernetes:") || r.type.startsWith("kubernetes:helm")) continue;
    const inputs = manifestInputs.get(r.urn) ?? {};
    if (typeof inputs.apiVersion !== "string" || typeof inputs.kind !== "string") continue;
    const obj = toManifest(inputs);
    const component = topComponent(r.urn, byUrn);
    if (!groups.has(component)) groups.set(component, []);
    groups.get(component)!.push(obj);
  }
  for (const objs of groups.values()) objs.sort(compareManifests);
  return new Map([...groups].sort(([a], [b]) => compareText(a, b)));
}

function toManifest(inputs: Record<string, unknown>): Manifest {
  const obj = redactEnvelopes(inputs) as Manifest;
  if (obj.kind === "Secret" && obj.apiVersion === "v1") {
    for (const field of ["data", "stringData"] as const) {
      const values = obj[field] as Record<string, unknown> | undefined;
      if (values && typeof values === "object") obj[field] = Object.fromEntries(Object.keys(values).map((k) => [k, SECRET]));
      else if (values !== undefined) obj[field] = SECRET;
    }
  }
  return obj;
}

function redactEnvelopes(v: unknown): unknown {
  if (isSecretEnvelope(v)) return SECRET;
  if (Array.isArray(v)) return v.map(redactEnvelopes);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(v as object);
    // Conventional order for readers: apiVersion, kind, metadata first; the rest as stored (sorted).
    const head = ["apiVersion", "kind", "metadata"].filter((k) => keys.includes(k));
    for (const k of [...head, ...keys.filter((k) => !head.includes(k))]) out[k] = redactEnvelopes((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function compareManifests(a: Manifest, b: Manifest): number {
  return (
    kindRank(a.kind) - kindRank(b.kind) ||
    compareText(a.kind, b.kind) ||
    compareText(a.metadata.namespace ?? "", b.metadata.namespace ?? "") ||
    compareText(a.metadata.name ?? "", b.metadata.name ?? "")
  );
}

export function writeManifestFile(path: string, objs: readonly Manifest[], stack: string): void {
  writeFileSync(path, manifestFileText(objs, stack));
}

export function manifestFileText(objs: readonly Manifest[], stack: string): string {
  const header = `# Rendered by \`socle render ${stack}\`. Secret values are replaced by "${SECRET}": apply with \`pulumi up\`, or fill them from your secret store.\n`;
  const body = objs.map((o) => stringify(o, { lineWidth: 0, sortMapEntries: false })).join("---\n");
  return header + "---\n" + body;
}
