import type { CheckResult, Control, KubernetesObject, ResourceView, Violation } from "../../types";
import { canReach, selectingPolicies, selects, type NetworkPolicy, type Workload as FlowWorkload } from "../lib/reachability";
import { apiGroup, isKind, k8sResources, nameOf, namespaceOf, type K8sResource } from "../lib/k8s";
import { ofKind, ofTypes } from "../lib/indexes";
import { workloadsOf } from "../lib/pod";
import { notApplicable, verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { ROOT_STACK_TYPE } from "../lib/stack";
import { asArray, asRecord, asString, isRecord, records, type Json } from "../lib/values";

/** At most this many violations are listed per tenant: a fleet with no policy at all would list millions of flows. */
const MAX_VIOLATIONS_PER_TENANT = 50;
/** How deep a spec is walked for cross-namespace references. */
const MAX_DEPTH = 24;

/** Stack kinds whose organization is a tenant (a `platform` stack holds the shared services). */
const TENANT_KINDS = new Set(["tenant", "dedicated"]);

export const control: Control = {
  id: "snc-network-tenant-isolation",
  title: {
    fr: "Cloisonnement des locataires : aucun flux, nom d'hôte, secret ou volume partagé entre locataires",
    en: "Tenant isolation: no flow, hostname, secret or volume shared between tenants",
  },
  snc: verifiedSection("13", "13.2", "Cloisonnement des réseaux"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "On a shared platform each tenant's networks and data must be partitioned from the others' (13.2). Proved statically over the whole fleet: the NetworkPolicies allow no connection from one tenant's pods to another's, no hostname is served for two tenants, and no object of one tenant references, grants or overwrites a secret, volume or role of another. A tenant is a stack of kind tenant (or dedicated) and owns the namespaces prefixed `<organization>-`; other namespaces are the platform's shared services. One tenant or none: the control is not assessed (it never passes on a single stack).",
  remediation:
    "Keep a default-deny NetworkPolicy in every tenant namespace and allow only DNS, the platform gateway and the tenant's own namespaces (select namespaces by `kubernetes.io/metadata.name`, never `namespaceSelector: {}`); give each tenant its own hostnames under its domain; never reference, grant (ReferenceGrant, RoleBinding) or declare objects in another tenant's namespace or under a shared name in a platform namespace.",
  evidence: [
    "root stacks' `socle.kind` and `socle.organization` (which stacks are tenants, which namespaces each owns)",
    "networking.k8s.io/v1 NetworkPolicy `podSelector`, `policyTypes`, `ingress`, `egress` and pod template labels and container ports (reachability analysis, src/analysis/reachability.ts)",
    "gateway.networking.k8s.io HTTPRoute `spec.hostnames`, Gateway and ListenerSet `spec.listeners[].hostname`",
    "references carrying a `namespace` (certificateRefs, backendRefs, parentRefs, secretRef…), ReferenceGrant `spec.from`, RoleBinding and ClusterRoleBinding `subjects`",
    "the kind, namespace and name of every object each tenant's stack declares",
  ],
  check(resources) {
    const fleet = fleetModel(resources);
    if (fleet.tenants.length < 2) {
      const subject = resources.find((r) => r.type === ROOT_STACK_TYPE) ?? { type: ROOT_STACK_TYPE, name: "deployment", props: {}, protect: false };
      return [
        notApplicable(
          subject,
          `not assessed: the input holds ${fleet.tenants.length === 0 ? "no tenant" : `one tenant (${fleet.tenants[0]})`}; isolation is proved over two or more tenants (socle fleet audit)`,
        ),
      ];
    }
    const found = new Map<string, Violation[]>(fleet.tenants.map((t) => [t, []]));
    const add = (tenant: string, message: string, path?: string) => {
      const list = found.get(tenant);
      if (list && list.length < MAX_VIOLATIONS_PER_TENANT) list.push(violation(message, path));
    };
    crossTenantFlows(resources, fleet, add);
    sharedHostnames(fleet, add);
    crossTenantReferences(fleet, add);
    sharedObjects(fleet, add);
    rbacAcrossTenants(fleet, add);
    return fleet.tenants.map((tenant): CheckResult => {
      const violations = found.get(tenant)!;
      const full = violations.length >= MAX_VIOLATIONS_PER_TENANT ? [...violations, violation(`(listing stopped at ${MAX_VIOLATIONS_PER_TENANT} violations for tenant ${tenant})`)] : violations;
      return verdict(
        fleet.stackOf.get(tenant)!,
        full,
        `tenant ${tenant}: no allowed flow to or from another tenant's pods, no hostname served for another tenant, no secret, volume, grant or object shared with another tenant (${fleet.tenants.length} tenants analysed)`,
      );
    });
  },
};

type Add = (tenant: string, message: string, path?: string) => void;

interface Fleet {
  /** Tenant organizations, sorted. */
  readonly tenants: readonly string[];
  /** Each tenant's root stack resource (where its findings are reported). */
  readonly stackOf: ReadonlyMap<string, ResourceView>;
  /** The tenant owning a namespace (`<org>-` prefix, longest wins); undefined: a platform namespace. */
  tenantOfNamespace(ns: string): string | undefined;
  /** The tenant whose stack declared a resource, from its URN; undefined for the platform or an unknown stack. */
  tenantOfStack(view: ResourceView): string | undefined;
  readonly k8s: readonly K8sResource[];
  /** Every namespace seen, with its labels. */
  readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** `urn:pulumi:<stack>::<project>::…` → `<stack>`. */
function stackNameOf(urn: string | undefined): string | undefined {
  if (urn === undefined || !urn.startsWith("urn:pulumi:")) return undefined;
  const end = urn.indexOf("::");
  return end < 0 ? undefined : urn.slice("urn:pulumi:".length, end);
}

function fleetModel(resources: readonly ResourceView[]): Fleet {
  const stackOf = new Map<string, ResourceView>();
  const tenantByStack = new Map<string, string>();
  for (const r of ofTypes(resources, (type) => type === ROOT_STACK_TYPE)) {
    const socle = asRecord(r.props.socle);
    const org = asString(socle.organization);
    const kind = asString(socle.kind);
    if (org === undefined || kind === undefined || !TENANT_KINDS.has(kind)) continue;
    if (!stackOf.has(org)) stackOf.set(org, r);
    const stack = stackNameOf(r.urn);
    if (stack !== undefined) tenantByStack.set(stack, org);
  }
  const tenants = [...stackOf.keys()].sort(cmp);
  const tenantSet = new Set(tenants);
  const nsCache = new Map<string, string | undefined>();
  // The longest tenant `org` with `ns` starting with `<org>-` (tenant `a-b` owns `a-b-wiki` rather than tenant `a`):
  // the prefixes of `ns` ending before one of its dashes, longest first. Linear in the name, not in the tenants.
  const tenantOfNamespace = (ns: string): string | undefined => {
    if (nsCache.has(ns)) return nsCache.get(ns);
    let t: string | undefined;
    for (let i = ns.lastIndexOf("-"); i > 0; i = ns.lastIndexOf("-", i - 1)) {
      if (tenantSet.has(ns.slice(0, i))) {
        t = ns.slice(0, i);
        break;
      }
    }
    nsCache.set(ns, t);
    return t;
  };
  const k8s = k8sResources(resources);
  const namespaces = new Map<string, Record<string, string>>();
  for (const { obj } of k8s) {
    if (isKind(obj, "", "Namespace") && obj.metadata.name !== undefined) namespaces.set(obj.metadata.name, { ...(namespaces.get(obj.metadata.name) ?? {}), ...(obj.metadata.labels ?? {}) });
    else if (obj.metadata.namespace !== undefined && !namespaces.has(obj.metadata.namespace)) namespaces.set(obj.metadata.namespace, {});
  }
  return {
    tenants,
    stackOf,
    tenantOfNamespace,
    tenantOfStack: (view) => {
      const s = stackNameOf(view.urn);
      return s === undefined ? undefined : tenantByStack.get(s);
    },
    k8s,
    namespaces,
  };
}

/** The tenant a namespaced object belongs to: its namespace's, else (in a platform namespace) none. */
const ownerOf = (fleet: Fleet, obj: KubernetesObject): string | undefined =>
  obj.metadata.namespace === undefined ? undefined : fleet.tenantOfNamespace(obj.metadata.namespace);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------
// Flows

function containerPorts(spec: Json): number[] {
  const ports = new Set<number>();
  for (const list of ["containers", "initContainers"]) {
    for (const { item } of records(spec[list])) for (const { item: p } of records(item.ports)) if (typeof p.containerPort === "number") ports.add(p.containerPort);
  }
  return [...ports].sort((a, b) => a - b);
}

function crossTenantFlows(resources: readonly ResourceView[], fleet: Fleet, add: Add): void {
  const policies: NetworkPolicy[] = ofKind(resources, "networking.k8s.io", "NetworkPolicy").map(({ obj }) => ({
    kind: "NetworkPolicy",
    metadata: { name: nameOf(obj), namespace: namespaceOf(obj) },
    spec: asRecord(obj.spec) as unknown as NetworkPolicy["spec"],
  }));
  const opts = { namespaceLabels: fleet.namespaces, wholeAddressSpaceMatchesPods: true };
  const workloads: (FlowWorkload & { tenant: string })[] = [];
  const seen = new Set<string>();
  for (const w of workloadsOf(resources)) {
    const ns = namespaceOf(w.obj);
    const tenant = fleet.tenantOfNamespace(ns);
    if (tenant === undefined) continue;
    const id = `${ns}/${nameOf(w.obj)}`;
    if (seen.has(`${w.obj.kind}/${id}`)) continue;
    seen.add(`${w.obj.kind}/${id}`);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(asRecord(w.pod.metadata.labels))) if (typeof v === "string") labels[k] = v;
    const ports = containerPorts(w.pod.spec);
    // A pod that declares no port may still listen: port 0 stands for "a port no rule names", so only port-less rules admit it.
    workloads.push({ id, namespace: ns, labels, ports: ports.length ? ports : [0], tenant });
  }
  const byNamespace = new Map<string, (FlowWorkload & { tenant: string })[]>();
  for (const w of workloads) {
    const list = byNamespace.get(w.namespace);
    if (list) list.push(w);
    else byNamespace.set(w.namespace, [w]);
  }
  const tenantNamespaces = [...byNamespace.keys()].sort(cmp);
  const labelsOf = (ns: string) => ({ ...(fleet.namespaces.get(ns) ?? {}), "kubernetes.io/metadata.name": ns });
  // Tenant namespaces by label `key=value`: a selector naming label values is matched against the namespaces that
  // carry one of them, not against every namespace of the fleet (each tenant's own selector would make it quadratic).
  const byLabel = new Map<string, string[]>();
  for (const ns of tenantNamespaces) {
    for (const [k, v] of Object.entries(labelsOf(ns))) {
      const key = `${k}=${v}`;
      const list = byLabel.get(key);
      if (list) list.push(ns);
      else byLabel.set(key, [ns]);
    }
  }
  /** The sorted namespaces that can match `selector` (a superset: `selects` decides), from its matchLabels and `In` expressions. */
  const poolOf = (selector: unknown): readonly string[] => {
    const sel = asRecord(selector);
    let best: readonly string[] = tenantNamespaces;
    for (const [k, v] of Object.entries(asRecord(sel.matchLabels))) {
      const list = typeof v === "string" ? (byLabel.get(`${k}=${v}`) ?? []) : [];
      if (list.length < best.length) best = list;
    }
    for (const e of asArray(sel.matchExpressions)) {
      const ex = asRecord(e);
      if (ex.operator !== "In" || typeof ex.key !== "string") continue;
      const union = new Set<string>();
      for (const v of asArray(ex.values)) if (typeof v === "string") for (const ns of byLabel.get(`${ex.key}=${v}`) ?? []) union.add(ns);
      if (union.size < best.length) best = [...union].sort(cmp);
    }
    return best;
  };
  const selectorCache = new Map<string, readonly string[]>();
  const namespacesSelected = (selector: unknown): readonly string[] => {
    const key = JSON.stringify(selector ?? null);
    let hit = selectorCache.get(key);
    if (!hit) {
      hit = poolOf(selector).filter((ns) => selects(selector as never, labelsOf(ns)));
      selectorCache.set(key, hit);
    }
    return hit;
  };
  // The namespaces a pod's policies can name at all in one direction ("all": any): no selecting policy, a rule
  // without peers or a whole-address-space ipBlock name every namespace; a namespaceSelector the namespaces it
  // selects; a bare podSelector the policy's own namespace. A superset: canReach decides every pair and port.
  const named = (w: FlowWorkload, direction: "Ingress" | "Egress"): ReadonlySet<string> | "all" => {
    const selecting = selectingPolicies(policies, w, direction);
    if (selecting.length === 0) return "all";
    const out = new Set<string>();
    for (const p of selecting) {
      for (const rule of asArray(direction === "Ingress" ? p.spec.ingress : p.spec.egress)) {
        const peers = asArray(asRecord(rule)[direction === "Ingress" ? "from" : "to"]);
        if (peers.length === 0) return "all";
        for (const peer of peers) {
          const pr = asRecord(peer);
          if (isRecord(pr.ipBlock)) {
            if (/\/0$/.test(asString(pr.ipBlock.cidr) ?? "") && asArray(pr.ipBlock.except).length === 0) return "all";
          } else if (pr.namespaceSelector !== undefined) for (const ns of namespacesSelected(pr.namespaceSelector)) out.add(ns);
          else out.add(p.metadata.namespace);
        }
      }
    }
    return out;
  };
  // Candidate destinations of a pod: the tenant namespaces its egress can name, sorted.
  const candidates = (w: FlowWorkload): readonly string[] => {
    const egress = named(w, "Egress");
    return egress === "all" ? tenantNamespaces : [...egress].sort(cmp);
  };
  // A pod is tried only against the pods whose ingress may admit its namespace. Without it every pod whose egress is
  // open (mail to the Internet, a 0.0.0.0/0 rule) would be tried against every pod of the fleet: quadratic in tenants
  // (300 tenants: 2.9 s, 1,000: about 30 s).
  const admitted = new Map<FlowWorkload, ReadonlySet<string> | "all">();
  const targetsOf = new Map<string, Set<string>>(); // source namespace -> namespaces holding a pod that may admit it
  const openTargets = new Set<string>(); // namespaces holding a pod that may admit any namespace
  for (const to of workloads) {
    const a = named(to, "Ingress");
    admitted.set(to, a);
    if (a === "all") openTargets.add(to.namespace);
    else {
      for (const src of a) {
        const set = targetsOf.get(src);
        if (set) set.add(to.namespace);
        else targetsOf.set(src, new Set([to.namespace]));
      }
    }
  }
  const sortedOpen = [...openTargets].sort(cmp);
  for (const from of workloads) {
    const cands = candidates(from);
    // The candidate namespaces holding a pod that may admit `from`, in the candidates' (sorted) order.
    const reachable = targetsOf.get(from.namespace);
    const may = (ns: string) => openTargets.has(ns) || reachable?.has(ns) === true;
    const targets = cands === tenantNamespaces ? (reachable ? [...new Set([...reachable, ...sortedOpen])].sort(cmp) : sortedOpen) : cands.filter(may);
    for (const ns of targets) {
      const targetTenant = fleet.tenantOfNamespace(ns);
      if (targetTenant === undefined || targetTenant === from.tenant) continue;
      for (const to of byNamespace.get(ns) ?? []) {
        const a = admitted.get(to)!;
        if (a !== "all" && !a.has(from.namespace)) continue;
        const port = to.ports.find((p) => canReach(policies, from, to, p, opts));
        if (port === undefined) continue;
        const flow = `${from.id} (tenant ${from.tenant}) -> ${to.id}${port ? `:${port}` : ""} (tenant ${to.tenant})`;
        add(from.tenant, `NetworkPolicies allow a cross-tenant flow: ${flow}`);
        add(to.tenant, `NetworkPolicies allow a cross-tenant flow: ${flow}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Hostnames

function sharedHostnames(fleet: Fleet, add: Add): void {
  const owners = new Map<string, Map<string, string>>(); // hostname -> tenant -> where
  const note = (host: string, tenant: string | undefined, where: string) => {
    if (tenant === undefined) return;
    const h = host.toLowerCase().replace(/\.$/, "");
    let m = owners.get(h);
    if (!m) owners.set(h, (m = new Map()));
    if (!m.has(tenant)) m.set(tenant, where);
  };
  for (const { view, obj } of fleet.k8s) {
    if (apiGroup(obj) !== "gateway.networking.k8s.io") continue;
    const tenant = ownerOf(fleet, obj) ?? fleet.tenantOfStack(view);
    const where = `${obj.kind} ${namespaceOf(obj)}/${nameOf(obj)}`;
    const spec = asRecord(obj.spec);
    if (obj.kind === "HTTPRoute" || obj.kind === "GRPCRoute" || obj.kind === "TLSRoute") for (const h of asArray(spec.hostnames)) if (typeof h === "string") note(h, tenant, where);
    if (obj.kind === "Gateway" || obj.kind === "ListenerSet" || obj.kind === "XListenerSet") {
      for (const { item } of records(spec.listeners)) if (typeof item.hostname === "string") note(item.hostname, tenant, where);
    }
  }
  const wildcards = new Map<string, Map<string, string>>(); // suffix (after "*.") -> tenants
  for (const [h, m] of owners) if (h.startsWith("*.")) wildcards.set(h.slice(2), m);
  const report = (host: string, m: ReadonlyMap<string, string>) => {
    const list = [...m].sort((a, b) => cmp(a[0], b[0]));
    const text = list.map(([t, w]) => `tenant ${t} (${w})`).join(", ");
    for (const [t] of list) add(t, `hostname ${host} is served for several tenants: ${text}`);
  };
  for (const [h, m] of [...owners].sort((a, b) => cmp(a[0], b[0]))) {
    if (m.size > 1) report(h, m);
    // A wildcard of one tenant covering another tenant's hostname (one label deep, as Gateway API wildcards match).
    const dot = h.indexOf(".");
    if (!h.startsWith("*.") && dot > 0) {
      const w = wildcards.get(h.slice(dot + 1));
      if (w) {
        const merged = new Map([...m, ...[...w].map(([t, where]) => [t, `${where}, *.${h.slice(dot + 1)}`] as [string, string])]);
        if (merged.size > 1 && [...w.keys()].some((t) => !m.has(t) || m.size > 1)) report(h, merged);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// References, grants, shared objects, RBAC

/** Every `{name, namespace}` reference in a spec, with its path. */
function references(value: unknown, path: string, depth: number, out: { ns: string; name: string; kind?: string; path: string }[]): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => references(v, `${path}[${i}]`, depth + 1, out));
    return;
  }
  if (!isRecord(value)) return;
  if (typeof value.namespace === "string" && typeof value.name === "string") {
    out.push({ ns: value.namespace, name: value.name, ...(typeof value.kind === "string" ? { kind: value.kind } : {}), path });
  }
  for (const [k, v] of Object.entries(value)) if (typeof v === "object" && v !== null) references(v, path ? `${path}.${k}` : k, depth + 1, out);
}

function crossTenantReferences(fleet: Fleet, add: Add): void {
  for (const { obj } of fleet.k8s) {
    const tenant = ownerOf(fleet, obj);
    if (tenant === undefined) continue;
    const where = `${obj.kind} ${namespaceOf(obj)}/${nameOf(obj)}`;
    if (obj.kind === "ReferenceGrant" && apiGroup(obj) === "gateway.networking.k8s.io") {
      for (const { item, index } of records(asRecord(obj.spec).from)) {
        const ns = asString(item.namespace);
        const other = ns === undefined ? undefined : fleet.tenantOfNamespace(ns);
        if (other !== undefined && other !== tenant) {
          const m = `${where} (tenant ${tenant}) lets ${asString(item.kind) ?? "objects"} of namespace ${ns} (tenant ${other}) reference its ${records(asRecord(obj.spec).to).map(({ item: t }) => asString(t.kind) ?? "objects").join(", ") || "objects"}`;
          add(tenant, m, `spec.from[${index}].namespace`);
          add(other, m);
        }
      }
      continue;
    }
    if (obj.kind === "RoleBinding" || obj.kind === "ClusterRoleBinding") continue; // rbacAcrossTenants
    const refs: { ns: string; name: string; kind?: string; path: string }[] = [];
    references(obj.spec, "spec", 0, refs);
    for (const r of refs) {
      const other = fleet.tenantOfNamespace(r.ns);
      if (other === undefined || other === tenant) continue;
      const m = `${where} (tenant ${tenant}) references ${r.kind ?? "object"} ${r.ns}/${r.name} of tenant ${other}`;
      add(tenant, m, r.path);
      add(other, m);
    }
  }
}

/** The same object (group, kind, namespace, name) declared by two tenants' stacks: one overwrites the other's (a certificate's Secret, a volume claim…). */
function sharedObjects(fleet: Fleet, add: Add): void {
  const declared = new Map<string, Map<string, true>>();
  for (const { view, obj } of fleet.k8s) {
    const t = fleet.tenantOfStack(view);
    if (t === undefined) continue;
    const key = `${apiGroup(obj) || "core"}/${obj.kind} ${obj.metadata.namespace !== undefined ? `${obj.metadata.namespace}/` : ""}${nameOf(obj)}`;
    let m = declared.get(key);
    if (!m) declared.set(key, (m = new Map()));
    m.set(t, true);
  }
  for (const [key, m] of [...declared].sort((a, b) => cmp(a[0], b[0]))) {
    if (m.size < 2) continue;
    const ts = [...m.keys()].sort(cmp);
    for (const t of ts) add(t, `${key} is declared by the stacks of several tenants (${ts.join(", ")}): one overwrites the other's, which then reads or serves it`);
  }
}

const SENSITIVE = new Set(["*", "secrets", "configmaps", "persistentvolumeclaims", "persistentvolumes", "pods", "pods/exec", "pods/attach", "serviceaccounts/token"]);

/** The namespace a binding subject lives in (ServiceAccount, or a service-account user or group name). */
function subjectNamespace(subject: Json, bindingNamespace: string | undefined): string | undefined {
  const kind = asString(subject.kind);
  const name = asString(subject.name) ?? "";
  if (kind === "ServiceAccount") return asString(subject.namespace) ?? bindingNamespace;
  const user = /^system:serviceaccount:([^:]+):/.exec(name);
  if (kind === "User" && user) return user[1];
  const group = /^system:serviceaccounts:([^:]+)$/.exec(name);
  if (kind === "Group" && group) return group[1];
  return undefined;
}

function rbacAcrossTenants(fleet: Fleet, add: Add): void {
  const clusterRoles = new Map<string, KubernetesObject>();
  for (const { obj } of fleet.k8s) if (isKind(obj, "rbac.authorization.k8s.io", "ClusterRole") && obj.metadata.name) clusterRoles.set(obj.metadata.name, obj);
  for (const { obj } of fleet.k8s) {
    if (apiGroup(obj) !== "rbac.authorization.k8s.io" || (obj.kind !== "RoleBinding" && obj.kind !== "ClusterRoleBinding")) continue;
    const where = `${obj.kind} ${obj.metadata.namespace !== undefined ? `${obj.metadata.namespace}/` : ""}${nameOf(obj)}`;
    const role = asRecord(obj.roleRef);
    for (const { item, index } of records(obj.subjects)) {
      const ns = subjectNamespace(item, obj.metadata.namespace);
      const subjectTenant = ns === undefined ? undefined : fleet.tenantOfNamespace(ns);
      if (subjectTenant === undefined) continue;
      if (obj.kind === "RoleBinding") {
        const tenant = ownerOf(fleet, obj);
        if (tenant === undefined || tenant === subjectTenant) continue;
        const m = `${where} (tenant ${tenant}) grants ${asString(role.kind) ?? "a role"} ${asString(role.name) ?? ""} to ${asString(item.kind)} ${ns}/${asString(item.name)} of tenant ${subjectTenant}`;
        add(tenant, m, `subjects[${index}]`);
        add(subjectTenant, m);
      } else {
        const cr = clusterRoles.get(asString(role.name) ?? "");
        const rules = cr ? records(cr.rules).map(({ item: r }) => r) : undefined;
        const reaches = rules === undefined || rules.some((r) => asArray(r.resources).some((x) => typeof x === "string" && SENSITIVE.has(x)));
        if (!reaches) continue;
        add(
          subjectTenant,
          `${where} grants ClusterRole ${asString(role.name) ?? ""}${cr ? " (secrets, config maps, volumes or pods in every namespace)" : " (not in the input: its reach cannot be proved)"} to ${asString(item.kind)} ${asString(item.name)} of tenant ${subjectTenant}: it reaches every other tenant's namespace`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Evidence kept per stack in a fleet run

const WORKLOAD_KINDS = new Set(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"]);

/** A pod template reduced to what the flow analysis reads: its labels and its containers' ports, at the same path. */
function reducedTemplate(obj: KubernetesObject): Json | undefined {
  const pod = workloadsOf([{ type: "k8s", name: "", props: {}, protect: false, k8s: obj }])[0]?.pod;
  if (!pod) return undefined;
  const containers = (list: unknown) => records(list).map(({ item }) => ({ name: item.name, ...(item.ports !== undefined ? { ports: item.ports } : {}) }));
  const spec = { containers: containers(pod.spec.containers), initContainers: containers(pod.spec.initContainers) };
  const template = { metadata: { labels: asRecord(pod.metadata.labels) }, spec };
  // Rebuild the object's path to its pod spec (`spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`).
  if (pod.path === "spec") return spec;
  if (pod.path === "spec.template.spec") return { template };
  if (pod.path === "spec.jobTemplate.spec.template.spec") return { jobTemplate: { spec: { template } } };
  return undefined;
}

/**
 * The part of a resource this control reads, for a fleet run that keeps thousands of stacks in memory
 * (src/fleet/run.ts): the root stack's kind and organization; each object's identity; and only the fields
 * the checks read (policies, pod labels and ports, hostnames, grants, bindings, roles, and the spec of an
 * object that references another namespace). The control gives the same results on the evidence as on
 * the full resources (test/policies/controls/tenant-isolation.test.ts). Undefined: nothing to keep.
 */
export function isolationEvidence(view: ResourceView): ResourceView | undefined {
  const base = { ...(view.urn !== undefined ? { urn: view.urn } : {}), type: view.type, name: view.name, protect: false };
  if (view.type === ROOT_STACK_TYPE) {
    const socle = asRecord(view.props.socle);
    return { ...base, props: { socle: { kind: socle.kind, organization: socle.organization } } };
  }
  const obj = view.k8s;
  if (!obj) return undefined;
  const group = apiGroup(obj);
  const metadata = {
    ...(obj.metadata.name !== undefined ? { name: obj.metadata.name } : {}),
    ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
    ...(obj.kind === "Namespace" && obj.metadata.labels ? { labels: obj.metadata.labels } : {}),
  };
  const keep: Record<string, unknown> = { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
  const refs: { ns: string; name: string; path: string }[] = [];
  references(obj.spec, "spec", 0, refs);
  const fullSpec =
    (group === "networking.k8s.io" && obj.kind === "NetworkPolicy") ||
    group === "gateway.networking.k8s.io" ||
    refs.some((r) => r.ns !== obj.metadata.namespace);
  if (fullSpec) keep.spec = obj.spec;
  else if (WORKLOAD_KINDS.has(obj.kind)) {
    const spec = reducedTemplate(obj);
    if (spec) keep.spec = spec;
  }
  if (group === "rbac.authorization.k8s.io") {
    if (obj.roleRef !== undefined) keep.roleRef = obj.roleRef;
    if (obj.subjects !== undefined) keep.subjects = obj.subjects;
    if (obj.rules !== undefined) keep.rules = obj.rules;
  }
  return { ...base, props: {}, k8s: keep as unknown as KubernetesObject };
}
