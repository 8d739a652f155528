/**
 * Capsule (projectcapsule/capsule, chart pinned in ./releases.ts `CAPSULE_CHART`): one `Tenant`
 * (capsule.clastix.io/v1beta2, CRD ../shared/crds/capsule at v0.14.0) per socle tenant, rendered by the
 * tenant's own stack (docs/components/platform.md, "Capsule"): namespace ownership and the `<org>-` prefix,
 * a tenant-wide ResourceQuota and a LimitRange derived from what the tenant's plan renders, its storage and
 * gateway classes, Pod Security `restricted` on every namespace, and its admins' RBAC bound in its
 * namespaces only. Pure.
 */
import { compareText } from "../../src/compare";

export const CAPSULE_API_VERSION = "capsule.clastix.io/v1beta2";

/**
 * Cluster roles Capsule binds to a tenant's owners in each of the tenant's namespaces, and only there
 * (CRD `spec.owners[].clusterRoles`, default `admin` and `capsule-namespace-deleter`): a tenant admin is
 * `admin` of its namespaces and of nothing else.
 */
export const TENANT_OWNER_CLUSTER_ROLES = ["admin", "capsule-namespace-deleter"] as const;

/** Headroom over what the plan renders: a rolling update runs one new pod beside each old one. */
export const QUOTA_HEADROOM = 2;

interface Totals {
  requestsCpu: number;
  requestsMemory: number;
  limitsCpu: number;
  limitsMemory: number;
  storage: number;
  pods: number;
}

const UNITS: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A Kubernetes quantity (`500m`, `1`, `512Mi`, `10Gi`) as a number; unparseable: an error naming it. */
export function quantity(q: unknown): number {
  if (typeof q === "number") return q;
  const m = typeof q === "string" ? /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q) : null;
  if (!m) throw new Error(`quantity: ${JSON.stringify(q)} is not a Kubernetes quantity this sum understands`);
  return Number(m[1]) * UNITS[m[2] ?? ""]!;
}

type Obj = Record<string, any>;

function containerTotals(spec: Obj | undefined): Pick<Totals, "requestsCpu" | "requestsMemory" | "limitsCpu" | "limitsMemory"> {
  const sum = (cs: Obj[] | undefined, pick: (c: Obj) => unknown) => (cs ?? []).reduce((n, c) => n + (pick(c) === undefined ? 0 : quantity(pick(c))), 0);
  const max = (cs: Obj[] | undefined, pick: (c: Obj) => unknown) => Math.max(0, ...(cs ?? []).map((c) => (pick(c) === undefined ? 0 : quantity(pick(c)))));
  const both = (pick: (c: Obj) => unknown) => Math.max(sum(spec?.containers, pick), max(spec?.initContainers, pick));
  return {
    requestsCpu: both((c) => c.resources?.requests?.cpu),
    requestsMemory: both((c) => c.resources?.requests?.memory),
    limitsCpu: both((c) => c.resources?.limits?.cpu),
    limitsMemory: both((c) => c.resources?.limits?.memory),
  };
}

/**
 * What a tenant's rendered objects ask of the cluster: the pods of its Deployments, StatefulSets and Jobs
 * (replicas × containers, an init container counting when larger), its CNPG clusters (instances × resources,
 * storage and WAL storage), its volume claims and claim templates. Pure.
 */
export function renderedDemand(objects: readonly Obj[]): Totals {
  const t: Totals = { requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0, storage: 0, pods: 0 };
  const add = (n: number, c: ReturnType<typeof containerTotals>) => {
    t.requestsCpu += n * c.requestsCpu;
    t.requestsMemory += n * c.requestsMemory;
    t.limitsCpu += n * c.limitsCpu;
    t.limitsMemory += n * c.limitsMemory;
    t.pods += n;
  };
  for (const o of objects) {
    const kind = o.kind as string;
    if (kind === "Deployment" || kind === "StatefulSet") {
      const n = typeof o.spec?.replicas === "number" ? o.spec.replicas : 1;
      add(n, containerTotals(o.spec?.template?.spec));
      for (const claim of (o.spec?.volumeClaimTemplates ?? []) as Obj[]) t.storage += n * quantity(claim.spec?.resources?.requests?.storage ?? 0);
    } else if (kind === "Job") {
      add(1, containerTotals(o.spec?.template?.spec));
    } else if (kind === "PersistentVolumeClaim") {
      t.storage += quantity(o.spec?.resources?.requests?.storage ?? 0);
    } else if (kind === "Cluster" && String(o.apiVersion).startsWith("postgresql.cnpg.io/")) {
      const n = typeof o.spec?.instances === "number" ? o.spec.instances : 1;
      add(n, containerTotals({ containers: [{ resources: o.spec?.resources ?? {} }] }));
      t.storage += n * (quantity(o.spec?.storage?.size ?? 0) + quantity(o.spec?.walStorage?.size ?? 0));
    }
  }
  return t;
}

const cpu = (n: number) => `${Math.ceil(n * 1000)}m`;
const bytes = (n: number) => `${Math.ceil(n / 2 ** 20)}Mi`;

/**
 * The tenant-wide quota: what the plan renders, times `QUOTA_HEADROOM` for rollouts (storage: no headroom,
 * volumes do not surge). A resource no rendered container bounds (socle sets no CPU limit) gets no quota: a
 * quota on it would make Kubernetes refuse every pod that does not set it.
 */
export function tenantQuota(objects: readonly Obj[]): Record<string, string> {
  const d = renderedDemand(objects);
  const hard: Record<string, string> = {
    "requests.cpu": cpu(d.requestsCpu * QUOTA_HEADROOM),
    "requests.memory": bytes(d.requestsMemory * QUOTA_HEADROOM),
    "limits.cpu": cpu(d.limitsCpu * QUOTA_HEADROOM),
    "limits.memory": bytes(d.limitsMemory * QUOTA_HEADROOM),
    "requests.storage": bytes(d.storage),
    pods: String(d.pods * QUOTA_HEADROOM),
  };
  const demand: Record<string, number> = { "requests.cpu": d.requestsCpu, "requests.memory": d.requestsMemory, "limits.cpu": d.limitsCpu, "limits.memory": d.limitsMemory, "requests.storage": d.storage, pods: d.pods };
  return Object.fromEntries(Object.entries(hard).filter(([k]) => demand[k]! > 0));
}

/**
 * Per-container bounds: no container may ask more than the largest one the plan renders; one without
 * resources gets the smallest rendered request and limit (so a pod a tenant admin adds by hand still counts
 * against the quota). Pure.
 */
export function tenantLimitRange(objects: readonly Obj[]): Obj {
  const containers: Obj[] = [];
  for (const o of objects) {
    const spec = o.kind === "Deployment" || o.kind === "StatefulSet" || o.kind === "Job" ? o.spec?.template?.spec : undefined;
    if (spec) containers.push(...((spec.containers ?? []) as Obj[]), ...((spec.initContainers ?? []) as Obj[]));
  }
  const values = (pick: (c: Obj) => unknown) => containers.map(pick).filter((v) => v !== undefined).map(quantity);
  const bound = (f: (...n: number[]) => number, pick: (c: Obj) => unknown, fmt: (n: number) => string) => {
    const v = values(pick);
    return v.length ? fmt(f(...v)) : undefined;
  };
  const pair = (f: (...n: number[]) => number, kind: "requests" | "limits") => {
    const c = bound(f, (x) => x.resources?.[kind]?.cpu, cpu);
    const m = bound(f, (x) => x.resources?.[kind]?.memory, bytes);
    return { ...(c ? { cpu: c } : {}), ...(m ? { memory: m } : {}) };
  };
  return { limits: [{ type: "Container", max: pair(Math.max, "limits"), default: pair(Math.min, "limits"), defaultRequest: pair(Math.min, "requests") }] };
}

export interface CapsuleTenantProps {
  /** The tenant's name and namespace prefix: its organization id. */
  readonly name: string;
  /** Its namespaces, all `<name>-…`: Capsule's namespace quota is their count. */
  readonly namespaces: readonly string[];
  /** The identity group whose members administer the tenant's namespaces. */
  readonly adminGroup: string;
  readonly storageClass: string;
  readonly gatewayClass: string;
  /** The tenant's rendered objects, whose demand sizes its quota and limit range. */
  readonly objects: readonly Obj[];
}

/** The tenant's Capsule `Tenant`. Pure. */
export function renderCapsuleTenant(props: CapsuleTenantProps): Obj {
  const bad = props.namespaces.filter((ns) => !ns.startsWith(`${props.name}-`));
  if (bad.length) throw new Error(`renderCapsuleTenant: namespaces ${bad.join(", ")} do not carry the tenant prefix ${props.name}-`);
  return {
    apiVersion: CAPSULE_API_VERSION,
    kind: "Tenant",
    metadata: { name: props.name },
    spec: {
      owners: [{ kind: "Group", name: props.adminGroup, clusterRoles: [...TENANT_OWNER_CLUSTER_ROLES] }],
      forceTenantPrefix: true,
      preventDeletion: true,
      namespaceOptions: {
        quota: props.namespaces.length,
        // Pod Security Admission `restricted` on every namespace of the tenant, set and kept by Capsule.
        additionalMetadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" } },
      },
      resourceQuotas: { scope: "Tenant", items: [{ hard: tenantQuota(props.objects) }] },
      limitRanges: { items: [tenantLimitRange(props.objects)] },
      storageClasses: { allowed: [props.storageClass], default: props.storageClass },
      gatewayOptions: { allowedClasses: { allowed: [props.gatewayClass], default: props.gatewayClass } },
    },
  };
}

/** Sorted, for stable output. */
export function sortedNamespaces(namespaces: Iterable<string>): string[] {
  return [...new Set(namespaces)].sort(compareText);
}

/** Every namespace Capsule admitted for a tenant (the label it keeps on them, charts/gateway.ts). */
export const TENANT_NAMESPACES_SELECTOR = { matchExpressions: [{ key: "capsule.clastix.io/tenant", operator: "Exists" }] } as const;

/**
 * A platform NetworkPolicy opening one flow between platform pods and every tenant's namespaces (which the
 * platform cannot name: its tenants come and go). `direction` from the platform pods' side. Pure.
 */
export function tenantsFlowPolicy(props: { name: string; namespace: string; pods: Readonly<Record<string, string>>; direction: "ingress" | "egress"; port?: number }): Obj {
  const peer = [{ namespaceSelector: TENANT_NAMESPACES_SELECTOR }];
  const ports = props.port ? [{ protocol: "TCP", port: props.port }] : undefined;
  const rule = props.direction === "ingress" ? { from: peer, ...(ports ? { ports } : {}) } : { to: peer, ...(ports ? { ports } : {}) };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: props.name, namespace: props.namespace },
    spec: { podSelector: { matchLabels: { ...props.pods } }, policyTypes: [props.direction === "ingress" ? "Ingress" : "Egress"], [props.direction]: [rule] },
  };
}
