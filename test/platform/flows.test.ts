import { describe, expect, it } from "vitest";
import { GATEWAY_POD_LABELS } from "../../charts/gateway";
import { GARAGE_BOOTSTRAP_LABELS, GARAGE_LABELS, renderGarageChart } from "../../charts/platform/garage";
import { renderLogCollectorChart } from "../../charts/platform/log-collector";
import { LOG_COLLECTOR_LABELS, LOG_STORE_LABELS, renderLogStoreChart } from "../../charts/platform/log-store";
import { CERT_MANAGER_LABELS, CNPG_OPERATOR_LABELS, ENVOY_GATEWAY_CERTGEN_HOOK, ENVOY_GATEWAY_CERTGEN_LABELS, ENVOY_GATEWAY_CONTROLLER_LABELS, ENVOY_GATEWAY_WEBHOOK_PORT, renderPlatformNamespaces, TRUST_MANAGER_LABELS, TRUST_MANAGER_WEBHOOK_PORT } from "../../charts/platform/namespaces";
import { BARMAN_PLUGIN_LABELS, BARMAN_PLUGIN_PORT } from "../../charts/platform/barman-plugin";
import { retentionTtl, renderVeleroChart } from "../../charts/platform/velero";
import { flowTable, selects, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { apiServer, fakeImages, type Obj } from "./fixtures";

const policies = [
  ...renderPlatformNamespaces({
    routeNamespaces: ["org-wiki"],
    apiServer,
    backupStore: { peer: { namespace: "socle-storage", pods: GARAGE_LABELS }, port: 3900 },
    acme: false,
    scrapePorts: [3903, 9428],
  }),
  ...renderGarageChart({ sizing: "small", storageClass: "s", images: { garage: fakeImages.garage, curl: fakeImages.curl }, region: "r", buckets: ["b"], s3Clients: [{ namespace: "velero" }, { namespace: "org-wiki" }] }),
  ...renderLogStoreChart({ sizing: "small", storageClass: "s", image: fakeImages["victoria-logs"], retentionDays: 30 }),
  ...renderLogCollectorChart({ sizing: "small", image: fakeImages["fluent-bit"], apiServer }),
].filter((o) => (o as Obj).kind === "NetworkPolicy") as unknown as NetworkPolicy[];

const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
const workloads = [
  w("proxy", "envoy-gateway-system", GATEWAY_POD_LABELS, [10443]),
  w("eg-controller", "envoy-gateway-system", ENVOY_GATEWAY_CONTROLLER_LABELS, [18000]),
  w("cert-manager", "cert-manager", CERT_MANAGER_LABELS.controller, [9402]),
  w("cnpg", "cnpg-system", CNPG_OPERATOR_LABELS, [9443]),
  w("barman-plugin", "cnpg-system", BARMAN_PLUGIN_LABELS, [BARMAN_PLUGIN_PORT]),
  w("velero", "velero", { "app.kubernetes.io/name": "velero" }, [8085]),
  w("garage", "socle-storage", GARAGE_LABELS, [3900, 3903]),
  w("garage-bootstrap", "socle-storage", GARAGE_BOOTSTRAP_LABELS, []),
  w("victoria-logs", "socle-logging", LOG_STORE_LABELS, [9428]),
  w("fluent-bit", "socle-log-collector", LOG_COLLECTOR_LABELS, [2020]),
  w("prometheus", "socle-monitoring", { "app.kubernetes.io/name": "prometheus" }, [9090]),
  w("wiki-db", "org-wiki", { "cnpg.io/cluster": "xwiki-db" }, [5432, 8000]),
  w("intruder", "other-tenant", { app: "x" }, [80]),
];

describe("platform namespaces: flow table", () => {
  const table = flowTable(policies, workloads);
  const platformIds = new Set(["proxy", "eg-controller", "cert-manager", "cnpg", "barman-plugin", "velero", "garage", "garage-bootstrap", "victoria-logs", "fluent-bit", "prometheus"]);
  const involving = (f: string) => {
    const [from, to] = f.split(" -> ");
    return platformIds.has(from) && platformIds.has(to.split(":")[0]);
  };

  it("allows exactly the intended flows between platform services", () => {
    expect(table.filter(involving)).toEqual(
      [
        // cloudnative-pg/charts plugin-barman-cloud-v0.7.0 templates/deployment.yaml: gRPC on 9090, called by the operator.
        "cnpg -> barman-plugin:9090",
        "fluent-bit -> victoria-logs:9428",
        "garage-bootstrap -> garage:3903",
        "prometheus -> garage:3903",
        "prometheus -> prometheus:9090",
        "prometheus -> victoria-logs:9428",
        "proxy -> eg-controller:18000",
        "velero -> garage:3900",
      ].sort(),
    );
  });

  it("lets the proxies reach the app namespaces they route to and the database operator reach instances", () => {
    expect(table).toContain("proxy -> wiki-db:5432");
    expect(table).toContain("cnpg -> wiki-db:8000");
    expect(table).toContain("wiki-db -> garage:3900");
  });

  it("denies another tenant's pods every platform service", () => {
    for (const f of table) if (f.startsWith("intruder -> ")) expect(platformIds.has(f.split(" -> ")[1].split(":")[0]), f).toBe(false);
    expect(table).not.toContain("proxy -> intruder:80");
    expect(table).not.toContain("intruder -> garage:3900");
  });
});

/** True when some egress policy selecting these pods allows the API server's CIDR on every API server port. */
function reachesApiServer(namespace: string, labels: Record<string, string>): boolean {
  const selecting = policies.filter((p) => p.metadata.namespace === namespace && (p.spec.policyTypes ?? []).includes("Egress") && selects(p.spec.podSelector, labels));
  return apiServer.ports.every((port) =>
    selecting.some((p) =>
      (p.spec.egress ?? []).some(
        (r) => (r.ports ?? []).some((x) => x.port === port) && (r.to ?? []).some((peer) => apiServer.peers.some((a) => "cidr" in a && peer.ipBlock?.cidr === a.cidr)),
      ),
    ),
  );
}

describe("platform namespaces: API server egress of the Helm releases' pods", () => {
  // envoyproxy/gateway charts/gateway-helm/templates/certgen.yaml (v1.8.3 and release/v1.8@61bbf19e):
  // the Job's pod template carries `app: certgen` and the Job is a "pre-install, pre-upgrade" hook that
  // writes Secrets through the API server; a default-deny namespace without this flow fails the release.
  it("lets Envoy Gateway's certgen hook Job and its controller reach the API server", () => {
    expect(ENVOY_GATEWAY_CERTGEN_LABELS).toEqual({ app: "certgen" });
    expect(ENVOY_GATEWAY_CERTGEN_HOOK).toBe("pre-install, pre-upgrade");
    expect(reachesApiServer("envoy-gateway-system", ENVOY_GATEWAY_CERTGEN_LABELS)).toBe(true);
    expect(reachesApiServer("envoy-gateway-system", ENVOY_GATEWAY_CONTROLLER_LABELS)).toBe(true);
    expect(reachesApiServer("envoy-gateway-system", GATEWAY_POD_LABELS)).toBe(false);
    // The Barman Cloud plugin watches ObjectStores and Clusters.
    expect(reachesApiServer("cnpg-system", BARMAN_PLUGIN_LABELS)).toBe(true);
  });
});

/** True when some ingress policy selecting these pods admits the API server's CIDR on the port. */
function admitsApiServer(namespace: string, labels: Record<string, string>, port: number): boolean {
  const selecting = policies.filter((p) => p.metadata.namespace === namespace && (p.spec.policyTypes ?? []).includes("Ingress") && selects(p.spec.podSelector, labels));
  return selecting.some((p) =>
    (p.spec.ingress ?? []).some((r) => (r.ports ?? []).some((x) => x.port === port) && (r.from ?? []).some((peer) => apiServer.peers.some((a) => "cidr" in a && peer.ipBlock?.cidr === a.cidr))),
  );
}

describe("platform namespaces: every admission webhook the releases register is reachable from the API server", () => {
  it.each([
    // envoyproxy/gateway release/v1.8 templates/envoy-proxy-topology-injector-webhook.yaml (Service envoy-gateway:9443).
    ["Envoy Gateway topology injector", "envoy-gateway-system", ENVOY_GATEWAY_CONTROLLER_LABELS, ENVOY_GATEWAY_WEBHOOK_PORT],
    // cert-manager chart: webhook.securePort 10250.
    ["cert-manager webhook", "cert-manager", CERT_MANAGER_LABELS.webhook, 10250],
    // cert-manager/trust-manager v0.19.0 templates/webhook.yaml (failurePolicy Fail), app.webhook.port 6443.
    ["trust-manager webhook", "cert-manager", TRUST_MANAGER_LABELS, TRUST_MANAGER_WEBHOOK_PORT],
    ["CloudNativePG webhook", "cnpg-system", CNPG_OPERATOR_LABELS, 9443],
  ])("%s", (_name, namespace, labels, port) => {
    expect(admitsApiServer(namespace, labels, port)).toBe(true);
  });

  it("fixes the upstream ports", () => {
    expect(ENVOY_GATEWAY_WEBHOOK_PORT).toBe(9443);
    expect(TRUST_MANAGER_WEBHOOK_PORT).toBe(6443);
    expect(TRUST_MANAGER_LABELS).toEqual({ app: "trust-manager" });
  });
});

describe("Velero schedules", () => {
  it("back up each app namespace nightly, kept for the backup retention, volumes by file-system backup", () => {
    const objs = renderVeleroChart({ bucket: "b", prefix: "velero", region: "r", s3Url: "http://s3", namespaces: ["org-wiki", "org-docs"], retentionDays: 45 }) as Obj[];
    const schedules = objs.filter((o) => o.kind === "Schedule");
    expect(schedules.map((s) => s.spec.template.includedNamespaces)).toEqual([["org-docs"], ["org-wiki"]]);
    for (const s of schedules) {
      expect(s.spec.template.ttl).toBe("1080h0m0s");
      expect(s.spec.template.defaultVolumesToFsBackup).toBe(true);
      expect(s.spec.template.snapshotVolumes).toBe(false);
      expect(s.spec.template.storageLocation).toBe("default");
    }
    expect(() => retentionTtl(0)).toThrow(/whole number of days/);
  });
});

describe("Prometheus to the kubelets (nodeCidrs)", () => {
  const props = { routeNamespaces: ["org-wiki"], apiServer, backupStore: { peer: { namespace: "socle-storage", pods: GARAGE_LABELS }, port: 3900 }, acme: false, scrapePorts: [3903] };
  const kubelets = (nodeCidrs?: readonly string[]) =>
    renderPlatformNamespaces({ ...props, ...(nodeCidrs ? { nodeCidrs } : {}) }).filter((o) => (o as Obj).kind === "NetworkPolicy" && (o as Obj).metadata.name === "allow-prometheus-to-kubelets") as Obj[];

  it("one egress policy from the Prometheus pods to every node range, on TCP 10250 only", () => {
    const [p, ...rest] = kubelets(["10.10.0.0/24", "192.168.4.0/24"]);
    expect(rest).toEqual([]);
    expect(p!.metadata.namespace).toBe("socle-monitoring");
    expect(p!.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.10.0.0/24" } }, { ipBlock: { cidr: "192.168.4.0/24" } }], ports: [{ port: 10250, protocol: "TCP" }] }],
    });
  });

  it("none when the ranges are unknown (absent or empty)", () => {
    expect(kubelets()).toEqual([]);
    expect(kubelets([])).toEqual([]);
  });
});
