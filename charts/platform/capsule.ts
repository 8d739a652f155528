/**
 * Capsule (projectcapsule/capsule, chart pinned in ./releases.ts `CAPSULE_CHART`): one `Tenant`
 * (capsule.clastix.io/v1beta2, CRD ../shared/crds/capsule at v0.14.0) per socle tenant, rendered by the
 * tenant's own stack (docs/components/platform.md, "Capsule"): namespace ownership and the `<org>-` prefix,
 * a tenant-wide ResourceQuota and a LimitRange derived from what the tenant's plan renders, its storage and
 * gateway classes, Pod Security `restricted` on every namespace, and its admins' RBAC bound in its
 * namespaces only. Pure.
 */
import { ApiObject, App, Chart } from "cdk8s";
import { compareText } from "../../src/compare";
import type { SizingProfile } from "../../src/model/names";
import { plainResources } from "../lib/sizing";
import { apiServerFlow, namespacePolicies, namespaceSecurityLabels, webhookFlow, type ApiServer } from "./flows";
import { CAPSULE_CHART, splitImage } from "./releases";
import { controllerSize } from "./sizing";

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

// ------------------------------------------------------------------------------------------------------------
// Capsule on the platform: its namespace, NetworkPolicies, Helm values and disruption budget.
//
// Every fact below was read in projectcapsule/capsule@65a4e19e028fbbb2703b888d81f02035cf36cefa (tag v0.14.0, the
// chart version pinned as CAPSULE_CHART), charts/capsule/, unless another file is named.

/** Namespace the release installs into: socle creates it (Pod Security labels, NetworkPolicies) before the release. */
export const CAPSULE_NAMESPACE = CAPSULE_CHART.namespace;

/** Release name. `capsule.fullname` (templates/_helpers.tpl) is the release name when it contains "capsule": every name below starts `capsule-`. */
export const CAPSULE_RELEASE = "capsule";

/**
 * Pod labels of the controller (Deployment `capsule-controller-manager`): `capsule.selectorLabels`
 * (templates/_helpers.tpl, `app.kubernetes.io/name: <chart name>`, `app.kubernetes.io/instance: <release>`),
 * which templates/_pod.tpl puts on the pod and templates/webhook-service.yaml selects.
 */
export const CAPSULE_POD_LABELS = { "app.kubernetes.io/name": "capsule", "app.kubernetes.io/instance": CAPSULE_RELEASE } as const;

/**
 * Pods of the chart's hook Jobs, which run kubectl against the API server: the CRD lifecycle Job
 * (templates/hooks/crd-lifecycle/job.yaml, `pre-install,pre-upgrade`, when `crds.install` and not `crds.inline`)
 * and the pre-delete Job (templates/hooks/pre-delete/job.yaml, when `global.jobs.preDelete.enabled`). Their pod
 * label `app.kubernetes.io/name` is the component of hooks/crd-lifecycle/_helpers.tpl and hooks/pre-delete/_helpers.tpl.
 * Without API-server egress the CRD Job fails and the atomic release rolls back.
 */
export const CAPSULE_HOOK_LABELS = {
  crds: { "app.kubernetes.io/name": "crd-install-hook" },
  preDelete: { "app.kubernetes.io/name": "pre-delete-hook" },
} as const;

/**
 * The admission port: `manager.webhookPort` (values.yaml, 9443) is the container port `admission`
 * (templates/_pod.tpl), the port and targetPort of Service `capsule-webhook-service` (templates/webhook-service.yaml)
 * and the port every webhook Capsule registers calls (templates/_helpers.tpl `capsule.webhooks.serviceConfig`), as
 * does the Tenant CRD's conversion webhook (crds/capsule.clastix.io_tenants.patch, path /convert). The controller
 * writes its webhook configurations itself, from the CapsuleConfiguration's `spec.admission`
 * (templates/configuration.yaml): `namespaces.validating` and `namespaces.mutating` match every namespace of the
 * cluster (`namespaceSelector: {}`) and fail closed (`failurePolicy: Fail`, values.yaml `webhooks.hooks.namespaces`):
 * if the API server cannot reach this port, no namespace can be created, changed or deleted anywhere.
 */
export const CAPSULE_WEBHOOK_PORT = 9443;
/** Metrics (container port `metrics`, templates/_pod.tpl). Not scraped: socle opens no flow to it. */
export const CAPSULE_METRICS_PORT = 8080;

/**
 * The group whose members Capsule treats as its users (CapsuleConfiguration `spec.users`, values.yaml
 * `manager.options.users`). Capsule matches group names exactly (pkg/api/rbac/users_list.go `IsPresent`,
 * pkg/users/is_capsule_user.go), and the platform cannot list its tenants' own groups (`socle:tenant:<org>:admins`,
 * src/program/tenancy.ts `tenantAdminGroup`, the owner of each `Tenant`): the hoster's authentication puts every
 * tenant admin in this group too. A tenant admin in it owns only the tenant whose owner group it is also in.
 */
export const CAPSULE_USERS_GROUP = "socle:tenants";

/**
 * Capsule administrators (CapsuleConfiguration `spec.administrators`): the identity that runs the tenant stacks.
 * A namespace carrying `capsule.clastix.io/tenant` created by anyone else who is not the tenant's owner is refused
 * ("only tenant owners can create tenant-owned namespaces": internal/webhook/namespace/validation/handler.go), and
 * only an administrator's labelled namespace is assigned to the named tenant (internal/webhook/namespace/mutation/
 * assignment.go). Tenant stacks run with the platform's administrator credentials, whose certificate is in
 * `system:masters` on the clusters socle builds on virtual machines (components/cloud/pki.ts); other clusters'
 * administrator groups are not known here (docs/components/platform.md says what to add by hand).
 */
export const CAPSULE_ADMINISTRATORS = [{ kind: "Group", name: "system:masters" }] as const;

/**
 * Namespaces no tenant may create (CapsuleConfiguration `protectedNamespaceRegex`, values.yaml
 * `manager.options.protectedNamespaceRegex`): Kubernetes' own and every namespace of the platform. A tenant's
 * namespaces are `<org>-…` (`forceTenantPrefix`), so a tenant whose id is `socle` or `cert` would otherwise
 * reach `socle-storage` or `cert-manager`.
 */
export function protectedNamespaceRegex(platformNamespaces: readonly string[]): string {
  const names = sortedNamespaces(["default", CAPSULE_NAMESPACE, ...platformNamespaces])
    .filter((n) => !n.startsWith("kube-") && !n.startsWith("socle-"))
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return `^(kube-.*|socle-.*|${names.join("|")})$`;
}

/**
 * Controller replicas: two, so the fail-closed namespace webhook survives a node drain (with the PDB below). Leader
 * election picks one reconciler; controller-runtime's webhook server runs on every replica (pkg/webhook/server.go,
 * `NeedLeaderElection` returns false).
 */
export const CAPSULE_REPLICAS = 2;

/** Restricted Pod Security contexts (the chart's defaults in values.yaml, set explicitly so a default change cannot weaken them). */
const RESTRICTED_POD = { enabled: true, seccompProfile: { type: "RuntimeDefault" }, runAsNonRoot: true, runAsUser: 1002, runAsGroup: 1002 };
const RESTRICTED_CONTAINER = { enabled: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
/** The hook Jobs run one kubectl apply or delete. */
const HOOK_RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } };

/** `{registry, repository, tag}` of a catalog reference; a digest rides on the tag (the chart prints `<registry>/<repository>:<tag>`). */
function chartImage(ref: string): { registry: string; repository: string; tag: string } {
  const i = splitImage(ref);
  return { registry: i.registry, repository: i.repository, tag: i.digest ? `${i.tag}@${i.digest}` : i.tag };
}

export interface CapsuleValuesProps {
  /** Catalog references (mirror and lock applied) of the controller and of the hook Jobs' kubectl. */
  readonly images: { readonly capsule: string; readonly kubectl: string };
  readonly sizing: SizingProfile;
  /** Namespaces of the platform, protected from tenants. */
  readonly platformNamespaces: readonly string[];
}

/**
 * Helm values of the Capsule release, each key as charts/capsule/values.yaml names it at v0.14.0. The CRDs are
 * applied by the chart's own pre-install/pre-upgrade Job (`crds.install`, not `inline`: the chart's default,
 * which also upgrades them; Helm alone never upgrades a chart's CRDs). Webhook certificates come from
 * cert-manager (`certManager.generateCertificates`, the default: templates/certificate.yaml, CA injected by
 * cainjector through `cert-manager.io/inject-ca-from`), so the release waits for the platform's cert-manager.
 */
export function capsuleValues(props: CapsuleValuesProps): Record<string, unknown> {
  return {
    global: {
      jobs: {
        kubectl: { image: chartImage(props.images.kubectl), podSecurityContext: RESTRICTED_POD, securityContext: RESTRICTED_CONTAINER, resources: HOOK_RESOURCES },
        postInstall: { enabled: true },
        preDelete: { enabled: true },
      },
    },
    crds: { install: true, inline: false },
    certManager: { generateCertificates: true },
    tls: { enableController: false, create: false },
    replicaCount: CAPSULE_REPLICAS,
    // Spread over nodes when possible (values.yaml `topologySpreadConstraints`, passed to the pod by templates/_pod.tpl):
    // one node lost does not take both webhook replicas.
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { ...CAPSULE_POD_LABELS } } }],
    podSecurityContext: RESTRICTED_POD,
    securityContext: RESTRICTED_CONTAINER,
    manager: {
      image: chartImage(props.images.capsule),
      webhookPort: CAPSULE_WEBHOOK_PORT,
      resources: plainResources(controllerSize(props.sizing).resources),
      options: {
        users: [{ kind: "Group", name: CAPSULE_USERS_GROUP }],
        administrators: CAPSULE_ADMINISTRATORS.map((a) => ({ ...a })),
        forceTenantPrefix: true,
        allowServiceAccountPromotion: false,
        protectedNamespaceRegex: protectedNamespaceRegex(props.platformNamespaces),
      },
    },
    monitoring: { serviceMonitor: { enabled: false }, prometheusRules: { enabled: false } },
  };
}

export interface CapsuleNamespaceProps {
  readonly apiServer: ApiServer;
}

/**
 * `capsule-system` with Pod Security `restricted` (every pod of the chart runs with the restricted contexts
 * above), default-deny, DNS, and exactly: the API server to the webhook port, the controller and both hook Jobs
 * to the API server. Plus the controller's PodDisruptionBudget (the chart has none). Pure.
 */
export function renderCapsuleNamespace(props: CapsuleNamespaceProps): Obj[] {
  const app = new App();
  const chart = new Chart(app, "capsule-namespace", { disableResourceNameHashes: true });
  const { labels } = namespaceSecurityLabels("restricted");
  new ApiObject(chart, "namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name: CAPSULE_NAMESPACE, labels: { ...labels, "socle.io/platform": "true" } } });
  const policies = new Chart(app, "capsule-policies", { disableResourceNameHashes: true });
  namespacePolicies(policies, CAPSULE_NAMESPACE, [
    webhookFlow("webhook-from-api-server", CAPSULE_POD_LABELS, props.apiServer, CAPSULE_WEBHOOK_PORT),
    apiServerFlow("controller-to-api-server", CAPSULE_POD_LABELS, props.apiServer),
    apiServerFlow("crds-hook-to-api-server", CAPSULE_HOOK_LABELS.crds, props.apiServer),
    apiServerFlow("pre-delete-hook-to-api-server", CAPSULE_HOOK_LABELS.preDelete, props.apiServer),
  ]);
  return app.charts.flatMap((c) => c.toJson() as Obj[]);
}

/** The controller's disruption budget: one replica always serves the fail-closed webhooks. Pure. */
export function renderCapsuleDisruptionBudget(): Obj {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "capsule-controller-manager", namespace: CAPSULE_NAMESPACE },
    spec: { minAvailable: 1, selector: { matchLabels: { ...CAPSULE_POD_LABELS } } },
  };
}
