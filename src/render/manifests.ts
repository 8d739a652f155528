import { writeFileSync } from "node:fs";
import { Document, isScalar, visit } from "yaml";
import { isSecretEnvelope, SECRET } from "./markers";
import type { StateExport } from "./state";
import { topComponent } from "./render";

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
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
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
    a.kind.localeCompare(b.kind) ||
    (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
    (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "")
  );
}

/**
 * One object as YAML that YAML 1.1 and 1.2 parsers read back to the same object. `kubectl` and Helm parse
 * with go-yaml (YAML 1.1 rules: `on`, `off`, `yes`, `no`, `y`, `n`, sexagesimal `1:30`, `0777` are not
 * strings), so a string such as CloudNativePG's `log_connections: "on"` written plain would arrive as a
 * boolean and be rejected. Stringifying under the 1.1 schema quotes every string 1.1 would read as
 * something else; what it writes is also valid YAML 1.2 with the same meaning (test/render/yaml-1.1.test.ts).
 */
export function manifestYaml(obj: unknown): string {
  const doc = new Document(obj, { version: "1.1", sortMapEntries: false });
  // `<<` is YAML 1.1's merge key and the library writes it plain whatever its node type: tag it a string.
  visit(doc, {
    Scalar: (_, node) => {
      if (isScalar(node) && node.value === "<<") Object.assign(node, { type: "QUOTE_DOUBLE", tag: "tag:yaml.org,2002:str" });
    },
  });
  return doc.toString({ lineWidth: 0 });
}

export function writeManifestFile(path: string, objs: readonly Manifest[], stack: string): void {
  const header = `# Rendered by \`socle render ${stack}\`. Secret values are replaced by "${SECRET}": apply with \`pulumi up\`, or fill them from your secret store.\n`;
  const body = objs.map((o) => manifestYaml(o)).join("---\n");
  writeFileSync(path, header + "---\n" + body);
}
