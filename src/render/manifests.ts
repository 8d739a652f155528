import { manifestYaml } from "./manifest-yaml";
import { isSecretEnvelope, SECRET } from "./markers";
import { CONTEXT_FILE_NAME, CONTEXT_FILE_VERSION, type ContextObject } from "./context-file";
import type { StateExport } from "./state";
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

export { manifestYaml } from "./manifest-yaml";

export function manifestFileText(objs: readonly Manifest[], stack: string): string {
  const header = `# Rendered by \`socle render ${stack}\`. Secret values are replaced by "${SECRET}": apply with \`pulumi up\`, or fill them from your secret store.\n`;
  const body = objs.map((o) => manifestYaml(o)).join("---\n");
  return header + "---\n" + body;
}

/** The top-level component a resource belongs to (its ancestor just under the stack), by URN. */
export function topComponent(urn: string, byUrn: ReadonlyMap<string, { urn: string; parent?: string; type: string; custom: boolean }>): string {
  let cur = byUrn.get(urn);
  if (!cur) return "stack";
  if (cur.type.startsWith("pulumi:providers:")) return "providers";
  while (cur.parent) {
    const parent = byUrn.get(cur.parent);
    if (!parent || parent.type === "pulumi:pulumi:Stack") break;
    cur = parent;
  }
  if (!cur.parent || byUrn.get(cur.parent)?.type !== "pulumi:pulumi:Stack") return "stack";
  return cur.custom ? "stack" : cur.urn.slice(cur.urn.lastIndexOf("::") + 2);
}

export { CONTEXT_FILE_NAME, CONTEXT_FILE_VERSION, type ContextObject };


/**
 * The stack's audit context: the root stack's URN and `socle` output (declared load balancers, allowed regions and
 * registries, provider attestation, log retention), and for every object of `manifests/` its URN and `protect`
 * resource option (which plain manifests cannot carry), so that auditing `manifests/` gives the same findings as
 * auditing `state.json`. Null when the state has no `socle` output. Holds no secret value.
 */
export function contextFileText(state: StateExport, manifestInputs: ReadonlyMap<string, Record<string, unknown>>): string | null {
  const root = state.deployment.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const socle = (root?.outputs as { socle?: unknown } | undefined)?.socle;
  if (!root || socle === undefined) return null;
  const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(root.urn);
  const objects: ContextObject[] = [];
  for (const r of state.deployment.resources) {
    if (!r.custom || !r.type.startsWith("kubernetes:") || r.type.startsWith("kubernetes:helm")) continue;
    const inputs = manifestInputs.get(r.urn) ?? {};
    const meta = (inputs.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    if (typeof inputs.apiVersion !== "string" || typeof inputs.kind !== "string" || typeof meta.name !== "string") continue;
    objects.push({
      apiVersion: inputs.apiVersion,
      kind: inputs.kind,
      ...(typeof meta.namespace === "string" ? { namespace: meta.namespace } : {}),
      name: meta.name,
      urn: r.urn,
      protect: r.protect === true,
    });
  }
  objects.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const doc = {
    socleContext: CONTEXT_FILE_VERSION,
    stack: { ...(m ? { name: m[1], project: m[2] } : {}), urn: root.urn },
    socle: redactEnvelopes(socle),
    objects,
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

/** Kubernetes API groups served by the API server itself: no CustomResourceDefinition needed. */
const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "policy",
  "autoscaling",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "node.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "certificates.k8s.io",
]);

const codePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `manifests/kustomization.yaml`: makes the folder one `kubectl apply -k` unit listing every file written, and says
 * what must exist first and where it comes from: the Helm releases of the stack (chart, version, repository,
 * namespace, as `pulumi up` installs them; their values are in state.json) and the custom resource kinds the
 * objects use, whose definitions those releases install.
 */
export function kustomizationText(stack: string, files: readonly string[], state: StateExport, manifests: ReadonlyMap<string, readonly Manifest[]>): string {
  const releases = state.deployment.resources
    .filter((r) => r.custom && /^kubernetes:helm\.sh\/v\d+:Release$/.test(r.type))
    .map((r) => {
      const i = (r.inputs ?? {}) as { name?: unknown; chart?: unknown; version?: unknown; namespace?: unknown; repositoryOpts?: { repo?: unknown } };
      const name = typeof i.name === "string" ? i.name : r.urn.slice(r.urn.lastIndexOf("::") + 2);
      const repo = typeof i.repositoryOpts?.repo === "string" ? ` from ${i.repositoryOpts.repo}` : "";
      return `#   - ${name}: chart ${String(i.chart)} ${String(i.version)}${repo}, namespace ${String(i.namespace ?? "default")}`;
    })
    .sort(codePoint);
  const custom = new Set<string>();
  for (const objs of manifests.values()) {
    for (const o of objs) {
      const slash = o.apiVersion.indexOf("/");
      const group = slash < 0 ? "" : o.apiVersion.slice(0, slash);
      if (!BUILT_IN_GROUPS.has(group)) custom.add(`${o.kind}.${group}`);
    }
  }
  const lines = [
    `# Rendered by \`socle render ${stack}\`: apply the whole folder with \`kubectl apply -k <this folder>\` (server-side: add --server-side).`,
    "# Secret values are \"[secret]\" here: fill them from your secret store first, or deploy with `pulumi up`.",
    "#",
    releases.length > 0
      ? "# Not in this folder, installed first: the stack's Helm releases (`pulumi up` installs them; without Pulumi, `helm install`"
      : "# The stack has no Helm release.",
    ...(releases.length > 0 ? ["# each at the version below, with the values recorded in state.json under its kubernetes:helm.sh Release resource):", ...releases] : []),
    "#",
    custom.size > 0
      ? "# Custom resource kinds the objects use; their CustomResourceDefinitions come with the releases above and must exist before applying:"
      : "# The objects use no custom resource kind.",
    ...[...custom].sort(codePoint).map((k) => `#   - ${k}`),
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    "resources:",
    ...files.map((f) => `  - ${f}`),
  ];
  return lines.join("\n") + "\n";
}
