import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CAPSULE_ADMINISTRATORS,
  CAPSULE_HOOK_LABELS,
  CAPSULE_NAMESPACE,
  CAPSULE_POD_LABELS,
  CAPSULE_USERS_GROUP,
  CAPSULE_WEBHOOK_PORT,
  capsuleValues,
  protectedNamespaceRegex,
  renderCapsuleDisruptionBudget,
  renderCapsuleNamespace,
} from "../../charts/platform/capsule";
import { CAPSULE_CHART } from "../../charts/platform/releases";
import { PLATFORM_OWNED_NAMESPACES } from "../../components/platform/capsule";
import { flowTable, selects, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { contractFor } from "../../src/check/releases";
import { CAPSULE_WEBHOOKS } from "../../src/check/releases/capsule";
import { apiServer, fakeImages, type Obj } from "./fixtures";

const objs = renderCapsuleNamespace({ apiServer }) as Obj[];
const policies = objs.filter((o) => o.kind === "NetworkPolicy") as unknown as NetworkPolicy[];

/** Ingress policies of capsule-system selecting these pods that admit the API server's CIDR on the port. */
const admitsApiServer = (labels: Record<string, string>, port: number) =>
  policies.some(
    (p) =>
      (p.spec.policyTypes ?? []).includes("Ingress") &&
      selects(p.spec.podSelector, labels) &&
      (p.spec.ingress ?? []).some((r) => (r.ports ?? []).some((x) => x.port === port) && (r.from ?? []).some((peer) => apiServer.peers.some((a) => "cidr" in a && peer.ipBlock?.cidr === a.cidr))),
  );
/** Egress policies selecting these pods that allow the API server's CIDR on every API server port. */
const reachesApiServer = (labels: Record<string, string>) =>
  apiServer.ports.every((port) =>
    policies.some(
      (p) =>
        (p.spec.policyTypes ?? []).includes("Egress") &&
        selects(p.spec.podSelector, labels) &&
        (p.spec.egress ?? []).some((r) => (r.ports ?? []).some((x) => x.port === port) && (r.to ?? []).some((peer) => apiServer.peers.some((a) => "cidr" in a && peer.ipBlock?.cidr === a.cidr))),
    ),
  );

describe("capsule-system: namespace and flows", () => {
  it("is Pod Security restricted and denies everything by default", () => {
    const ns = objs.find((o) => o.kind === "Namespace")!;
    expect(ns.metadata.name).toBe(CAPSULE_CHART.namespace);
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const deny = policies.find((p) => p.metadata.name === "default-deny")!;
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policies.every((p) => p.metadata.namespace === CAPSULE_NAMESPACE)).toBe(true);
  });

  it("opens exactly the API server to the webhook port, the controller and both hook Jobs to the API server, and DNS", () => {
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(
      ["default-deny", "allow-dns", "allow-webhook-from-api-server", "allow-controller-to-api-server", "allow-crds-hook-to-api-server", "allow-pre-delete-hook-to-api-server"].sort(),
    );
    expect(admitsApiServer(CAPSULE_POD_LABELS, CAPSULE_WEBHOOK_PORT)).toBe(true);
    expect(admitsApiServer(CAPSULE_POD_LABELS, 8080)).toBe(false);
    expect(admitsApiServer(CAPSULE_HOOK_LABELS.crds, CAPSULE_WEBHOOK_PORT)).toBe(false);
    for (const labels of [CAPSULE_POD_LABELS, CAPSULE_HOOK_LABELS.crds, CAPSULE_HOOK_LABELS.preDelete]) expect(reachesApiServer(labels), JSON.stringify(labels)).toBe(true);
    expect(reachesApiServer({ app: "something-else" })).toBe(false);
  });

  it("lets no pod of the cluster reach Capsule, and Capsule no pod (flow table)", () => {
    const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
    const table = flowTable(policies, [
      w("capsule", CAPSULE_NAMESPACE, CAPSULE_POD_LABELS, [CAPSULE_WEBHOOK_PORT, 8080, 10080]),
      w("crds-hook", CAPSULE_NAMESPACE, CAPSULE_HOOK_LABELS.crds, []),
      w("tenant-app", "t-wiki", { app: "wiki" }, [8080]),
    ]);
    expect(table.filter((f) => f.includes("capsule") || f.includes("crds-hook"))).toEqual([]);
  });

  it("keeps one controller up through a drain: two replicas and a PDB selecting the chart's pods", () => {
    const pdb = renderCapsuleDisruptionBudget();
    expect(pdb.metadata.namespace).toBe(CAPSULE_NAMESPACE);
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: CAPSULE_POD_LABELS } });
    const values = capsuleValues({ images: { capsule: fakeImages.capsule, kubectl: fakeImages["capsule-kubectl"] }, sizing: "small", platformNamespaces: [] }) as Obj;
    expect(values.replicaCount).toBe(2);
    expect(values.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: CAPSULE_POD_LABELS } }]);
  });
});

describe("Capsule's Helm values (charts/capsule/values.yaml at v0.14.0)", () => {
  const values = capsuleValues({ images: { capsule: "registry.example/mirror/ghcr.io/projectcapsule/capsule:v0.14.0@sha256:" + "a".repeat(64), kubectl: "registry.example/mirror/docker.io/clastix/kubectl:v1.35" }, sizing: "medium", platformNamespaces: PLATFORM_OWNED_NAMESPACES }) as Obj;

  it("pulls both images from the catalog reference as given (mirror, digest on the tag)", () => {
    expect(values.manager.image).toEqual({ registry: "registry.example", repository: "mirror/ghcr.io/projectcapsule/capsule", tag: `v0.14.0@sha256:${"a".repeat(64)}` });
    expect(values.global.jobs.kubectl.image).toEqual({ registry: "registry.example", repository: "mirror/docker.io/clastix/kubectl", tag: "v1.35" });
  });

  it("installs the CRDs through the chart's hook Job, webhook certificates from cert-manager, on the admission port", () => {
    expect(values.crds).toEqual({ install: true, inline: false });
    expect(values.certManager.generateCertificates).toBe(true);
    expect(values.tls.enableController).toBe(false);
    expect(values.manager.webhookPort).toBe(CAPSULE_WEBHOOK_PORT);
  });

  it("runs every pod restricted, with resources from sizing", () => {
    for (const sc of [values.podSecurityContext, values.global.jobs.kubectl.podSecurityContext]) expect(sc).toMatchObject({ enabled: true, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    for (const sc of [values.securityContext, values.global.jobs.kubectl.securityContext]) expect(sc).toMatchObject({ enabled: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(values.manager.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } });
    expect(values.global.jobs.kubectl.resources.limits.memory).toBeDefined();
  });

  it("configures the CapsuleConfiguration: tenants' admins as users, the platform's admins as administrators, forced prefix", () => {
    expect(values.manager.options.users).toEqual([{ kind: "Group", name: CAPSULE_USERS_GROUP }]);
    expect(values.manager.options.administrators).toEqual([{ kind: "Group", name: "system:masters" }]);
    expect(CAPSULE_ADMINISTRATORS).toEqual([{ kind: "Group", name: "system:masters" }]);
    expect(values.manager.options.forceTenantPrefix).toBe(true);
    expect(values.manager.options.allowServiceAccountPromotion).toBe(false);
  });

  it("protects Kubernetes' and every platform namespace from tenants, and no tenant namespace", () => {
    const re = new RegExp(values.manager.options.protectedNamespaceRegex as string);
    for (const ns of ["kube-system", "kube-public", "default", "capsule-system", "cert-manager", "cnpg-system", "velero", "envoy-gateway-system", "socle-storage", "socle-gateway", "socle-monitoring", "socle-anything"]) expect(re.test(ns), ns).toBe(true);
    for (const ns of ["tenant-a-wiki", "cert-manager-x", "socle", "acme-velero", "xcnpg-system"]) expect(re.test(ns), ns).toBe(false);
    // Regex metacharacters in a name are escaped.
    expect(new RegExp(protectedNamespaceRegex(["a.b"])).test("axb")).toBe(false);
  });
});

describe("Capsule's release contract follows the values socle sets", () => {
  const c = contractFor(CAPSULE_CHART.chart, CAPSULE_CHART.version)!;
  const release = (values: Obj) => c.objects({ name: "capsule", namespace: CAPSULE_NAMESPACE, values });
  const hooks = (objs: Obj[], kind: string) => (objs.find((o) => o.kind === kind)?.webhooks ?? []) as { name: string; failurePolicy: string; clientConfig: { service: { name: string; namespace: string; port: number } } }[];

  it("registers the validating and mutating webhooks the controller writes, the namespace ones failing closed, all on the webhook Service", () => {
    const objs = release(capsuleValues({ images: { capsule: fakeImages.capsule, kubectl: fakeImages["capsule-kubectl"] }, sizing: "small", platformNamespaces: [] }) as Obj) as Obj[];
    const validating = hooks(objs, "ValidatingWebhookConfiguration");
    const mutating = hooks(objs, "MutatingWebhookConfiguration");
    expect(validating.find((h) => h.name === "namespaces.validating.projectcapsule.dev")!.failurePolicy).toBe("Fail");
    expect(mutating.find((h) => h.name === "namespaces.mutating.projectcapsule.dev")!.failurePolicy).toBe("Fail");
    expect(mutating.find((h) => h.name === "metadata.mutating.projectcapsule.dev")!.failurePolicy).toBe("Ignore");
    // Disabled by default (values.yaml): nodes, calculations.
    expect(validating.map((h) => h.name)).not.toContain("nodes.validating.projectcapsule.dev");
    for (const h of [...validating, ...mutating]) expect(h.clientConfig.service).toEqual({ name: "capsule-webhook-service", namespace: CAPSULE_NAMESPACE, port: CAPSULE_WEBHOOK_PORT });
    // The hook Jobs' ServiceAccounts (hooks/*/serviceaccount.yaml) come with them.
    expect(objs.filter((o) => o.kind === "ServiceAccount").map((o) => o.metadata.name).sort()).toEqual(["capsule", "capsule-crds", "capsule-pre-delete"]);
  });

  it("moves the container, Service and webhook port together with manager.webhookPort, and honours a hook's values", () => {
    const objs = release({ manager: { webhookPort: 9444 }, webhooks: { hooks: { namespaces: { failurePolicy: "Ignore" }, nodes: { enabled: true } } } }) as Obj[];
    const deployment = objs.find((o) => o.kind === "Deployment")!;
    expect(deployment.spec.template.spec.containers[0].ports[0]).toEqual({ name: "admission", containerPort: 9444 });
    expect(objs.find((o) => o.kind === "Service")!.spec.ports).toEqual([{ name: "admission", port: 9444, targetPort: 9444 }]);
    const validating = hooks(objs, "ValidatingWebhookConfiguration");
    expect(validating.find((h) => h.name === "namespaces.validating.projectcapsule.dev")!.failurePolicy).toBe("Ignore");
    expect(validating.map((h) => h.name)).toContain("nodes.validating.projectcapsule.dev");
    expect(validating[0]!.clientConfig.service.port).toBe(9444);
  });
});

describe("every value socle sets is a key of the chart at v0.14.0", () => {
  // Recorded from upstream (the fixture names its source): Helm ignores an unknown key silently, so a typo
  // (`webhookPorts`) would leave the chart's default in force with nothing to show for it.
  const upstream = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "capsule-0.14.0-values-keys.json"), "utf8")) as { paths: string[]; passThrough: string[] };
  const known = new Set(upstream.paths);
  const passThrough = upstream.passThrough;
  const unknownKeys = (values: Obj): string[] => {
    const out: string[] = [];
    const walk = (o: Obj, prefix: string) => {
      for (const [k, v] of Object.entries(o)) {
        const path = prefix ? `${prefix}.${k}` : k;
        if (passThrough.some((p) => path.startsWith(`${p}.`))) continue;
        if (!known.has(path)) out.push(path);
        else if (v && typeof v === "object" && !Array.isArray(v)) walk(v as Obj, path);
      }
    };
    walk(values, "");
    return out;
  };

  it("holds for the values of every sizing", () => {
    for (const sizing of ["small", "medium", "large"] as const) {
      expect(unknownKeys(capsuleValues({ images: { capsule: fakeImages.capsule, kubectl: fakeImages["capsule-kubectl"] }, sizing, platformNamespaces: PLATFORM_OWNED_NAMESPACES }) as Obj)).toEqual([]);
    }
  });

  it("catches a misspelt key", () => {
    expect(unknownKeys({ manager: { webhookPorts: 9443, options: { forceTenantPrefix: true } }, replicaCount: 2 })).toEqual(["manager.webhookPorts"]);
  });
});

describe("the release contract's webhooks are the chart's", () => {
  const upstream = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "capsule-0.14.0-values-keys.json"), "utf8")) as {
    webhooks: { configuration: "validating" | "mutating"; name: string; key: string }[];
    webhookHooks: Record<string, { enabled: boolean; failurePolicy: "Fail" | "Ignore" }>;
  };

  it("names every webhook configuration.yaml renders, from the same values key, with that key's default enabled and failurePolicy", () => {
    const ours = CAPSULE_WEBHOOKS.map((w) => ({ configuration: w.kind === "ValidatingWebhookConfiguration" ? "validating" : "mutating", name: w.name, key: w.key, enabled: w.enabled, failurePolicy: w.failurePolicy }));
    const theirs = upstream.webhooks.map((w) => ({ ...w, ...upstream.webhookHooks[w.key]! }));
    const byName = (a: { configuration: string; name: string }, b: { configuration: string; name: string }) => (`${a.configuration}/${a.name}` < `${b.configuration}/${b.name}` ? -1 : 1);
    expect([...ours].sort(byName)).toEqual([...theirs].sort(byName));
  });
});
