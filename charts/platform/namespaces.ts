import { tenantsFlowPolicy } from "./capsule";
import { ApiObject, App, Chart } from "cdk8s";
import { k8s } from "../lib/k8s";
import { ACME_SOLVER_LABELS, ACME_SOLVER_PORT, GATEWAY_NAMESPACE, GATEWAY_POD_LABELS } from "../gateway";
import type { Peer } from "../lib/network";
import { allowClusterWide, apiServerFlow, MONITORING_NAMESPACE, namespacePolicies, namespaceSecurityLabels, PROMETHEUS_POD_LABELS, scrapeFlow, webhookFlow, type ApiServer, type PodSecurityLevel } from "./flows";
import { BARMAN_PLUGIN_LABELS, BARMAN_PLUGIN_PORT } from "./barman-plugin";
import { CERT_MANAGER_CHART, CNPG_CHART, ENVOY_GATEWAY_CHART, VELERO_CHART } from "./releases";

/** Pod labels the upstream charts put on their workloads (chart defaults for the pinned versions). */
export const ENVOY_GATEWAY_CONTROLLER_LABELS = { "control-plane": "envoy-gateway" } as const;
/**
 * Pods of the chart's `certgen` Job, a `pre-install, pre-upgrade` Helm hook that writes the control
 * plane's TLS Secrets (and patches the topology injector webhook) through the API server: without API
 * server egress the hook fails and the release rolls back. Label and hook read in envoyproxy/gateway
 * charts/gateway-helm/templates/certgen.yaml at tag v1.8.3 and at the head of branch release/v1.8
 * (61bbf19e675b2c3afeaae4ebf4c30da0425a7c39, 2026-08-21, the branch v1.8.4 is cut from; the file is the same
 * in both and in v1.9.0). The v1.8.4 tag itself is not in the stored snapshot.
 */
export const ENVOY_GATEWAY_CERTGEN_LABELS = { app: "certgen" } as const;
export const ENVOY_GATEWAY_CERTGEN_HOOK = "pre-install, pre-upgrade" as const;
/**
 * The controller's admission webhook (topology injector, `MutatingWebhookConfiguration` on `pods/binding`,
 * Service `envoy-gateway` port 9443, failurePolicy Ignore; `topologyInjector.enabled: true` by default):
 * charts/gateway-helm/templates/envoy-proxy-topology-injector-webhook.yaml and values.tmpl.yaml, same
 * branch and commit. Blocked, every proxy pod binding waits for the webhook's timeout and loses its zone labels.
 */
export const ENVOY_GATEWAY_WEBHOOK_PORT = 9443;
export const CERT_MANAGER_LABELS = {
  controller: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" },
  webhook: { "app.kubernetes.io/name": "webhook", "app.kubernetes.io/component": "webhook" },
} as const;
/**
 * trust-manager (installed in cert-manager's namespace with the internal CA): a ValidatingWebhookConfiguration
 * on Bundles with failurePolicy Fail, served on container port 6443 of pods labelled `app: trust-manager`.
 * cert-manager/trust-manager tag v0.19.0 (d431fca6895b56fb4718ec4fb962b2dccff3d07e):
 * deploy/charts/trust-manager/templates/webhook.yaml, deployment.yaml, values.yaml (`app.webhook.port: 6443`).
 * Without API-server ingress on that port, applying socle's Bundle is refused.
 */
export const TRUST_MANAGER_LABELS = { app: "trust-manager" } as const;
export const TRUST_MANAGER_WEBHOOK_PORT = 6443;
export const CNPG_OPERATOR_LABELS = { "app.kubernetes.io/name": "cloudnative-pg" } as const;
export const VELERO_LABELS = { "app.kubernetes.io/name": "velero" } as const;

/** Ports of the services below, named once for the policies, the monitors and the tests. */
export const PLATFORM_PORTS = {
  envoyHttp: 10080,
  envoyHttps: 10443,
  envoyXds: 18000,
  envoyMetrics: 19001,
  certManagerMetrics: 9402,
  certManagerWebhook: 10250,
  cnpgWebhook: 9443,
  cnpgMetrics: 8080,
  cnpgInstanceStatus: 8000,
  cnpgInstanceMetrics: 9187,
  veleroMetrics: 8085,
  prometheus: 9090,
  prometheusOperator: 8080,
  /**
   * The kubelet's secure port, where Prometheus reads cAdvisor's container series (`/metrics/cadvisor`): the
   * port of the `https-metrics` endpoint the Prometheus operator writes for every node in its kubelet
   * Service and Endpoints (prometheus-operator/prometheus-operator pkg/kubelet/controller.go, `httpsPort =
   * int32(10250)`, stored version 037f9bb33f2224be943fa63a787df58adec960fa), which the chart's kubelet
   * ServiceMonitor scrapes (kube-prometheus-stack templates/exporters/kubelet/servicemonitor.yaml, `port:
   * https-metrics`).
   */
  kubelet: 10250,
} as const;

export interface PlatformNamespacesProps {
  /** Namespaces whose routes the gateway proxies forward to. */
  readonly routeNamespaces: readonly string[];
  readonly apiServer: ApiServer;
  /** The object store the backups go to, for Velero's egress. */
  readonly backupStore: { readonly peer: Peer; readonly port: number };
  /** ACME issuer: cert-manager then reaches the directory over HTTPS. */
  readonly acme: boolean;
  /** Metrics ports Prometheus may scrape in any namespace. */
  readonly scrapePorts: readonly number[];
  /** A platform: the gateway proxies forward to its tenants' namespaces too (Capsule-labelled). */
  readonly tenants?: boolean;
  /**
   * The nodes' address ranges (`socle:monitoring.nodeCidrs`, or the cloud network the stack provisions): Prometheus
   * may reach the kubelets there on their port only. Absent or empty: no egress to the nodes (kubelet scraping off).
   */
  readonly nodeCidrs?: readonly string[];
}

interface NamespaceSpec {
  readonly name: string;
  readonly level: PodSecurityLevel;
  readonly reason?: string;
}

export const PLATFORM_NAMESPACES: readonly NamespaceSpec[] = [
  {
    name: ENVOY_GATEWAY_CHART.namespace,
    level: "baseline",
    reason: "Envoy Gateway creates the proxy Deployments itself; their security context is upstream's and not verified against restricted here",
  },
  { name: CERT_MANAGER_CHART.namespace, level: "restricted" },
  { name: CNPG_CHART.namespace, level: "restricted" },
  {
    name: VELERO_CHART.namespace,
    level: "privileged",
    reason: "Velero's node-agent reads pod volumes through hostPath /var/lib/kubelet/pods for file-system (kopia) backups",
  },
  {
    name: MONITORING_NAMESPACE,
    level: "baseline",
    reason: "kube-prometheus-stack's pods keep the chart's security contexts, not verified against restricted here",
  },
];

const ANYWHERE: Peer = { cidr: "0.0.0.0/0" };

/** Every object of every chart of the app (policy sets are sibling charts: construct ids repeat per namespace). */
export function synthAll(app: App): Record<string, unknown>[] {
  return app.charts.flatMap((c) => c.toJson() as Record<string, unknown>[]);
}

/**
 * Namespaces of the platform services installed from Helm charts, with their Pod Security labels and
 * NetworkPolicies (default deny + the flows each service needs). The releases
 * themselves install into these namespaces; they never create them.
 */
export class PlatformNamespacesChart extends Chart {
  constructor(scope: App, id: string, props: PlatformNamespacesProps) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const ns of PLATFORM_NAMESPACES) {
      const { labels, annotations } = namespaceSecurityLabels(ns.level, ns.reason);
      new k8s.KubeNamespace(this, `namespace-${ns.name}`, {
        metadata: { name: ns.name, labels: { ...labels, "socle.io/platform": "true" }, ...(Object.keys(annotations).length ? { annotations } : {}) },
      });
    }

    const P = PLATFORM_PORTS;
    const api = props.apiServer;

    const eg = ENVOY_GATEWAY_CHART.namespace;
    const egChart = new Chart(scope, "envoy-gateway-policies", { disableResourceNameHashes: true });
    namespacePolicies(egChart, eg, [
      { name: "clients-to-proxies", pods: GATEWAY_POD_LABELS, ingressFrom: [ANYWHERE], ports: [{ port: P.envoyHttp }, { port: P.envoyHttps }] },
      { name: "proxies-to-controller", pods: GATEWAY_POD_LABELS, egressTo: [{ pods: ENVOY_GATEWAY_CONTROLLER_LABELS }], ports: [{ port: P.envoyXds }] },
      { name: "controller-from-proxies", pods: ENVOY_GATEWAY_CONTROLLER_LABELS, ingressFrom: [{ pods: GATEWAY_POD_LABELS }], ports: [{ port: P.envoyXds }] },
      apiServerFlow("controller-to-api-server", ENVOY_GATEWAY_CONTROLLER_LABELS, api),
      apiServerFlow("certgen-to-api-server", ENVOY_GATEWAY_CERTGEN_LABELS, api),
      webhookFlow("controller-webhook-from-api-server", ENVOY_GATEWAY_CONTROLLER_LABELS, api, ENVOY_GATEWAY_WEBHOOK_PORT),
      ...props.routeNamespaces.map((ns) => ({ name: `proxies-to-${ns}`, pods: GATEWAY_POD_LABELS, egressTo: [{ namespace: ns }], ports: [] })),
      { name: "proxies-to-acme-solver", pods: GATEWAY_POD_LABELS, egressTo: [{ namespace: GATEWAY_NAMESPACE, pods: ACME_SOLVER_LABELS }], ports: [{ port: ACME_SOLVER_PORT }] },
      scrapeFlow("scrape-controller", ENVOY_GATEWAY_CONTROLLER_LABELS, P.envoyMetrics),
      scrapeFlow("scrape-proxies", GATEWAY_POD_LABELS, P.envoyMetrics),
    ]);
    // A platform's proxies forward to its tenants' apps, in namespaces Capsule labels (charts/platform/capsule.ts).
    if (props.tenants) new ApiObject(egChart, "proxies-to-tenants", tenantsFlowPolicy({ name: "proxies-to-tenants", namespace: eg, pods: GATEWAY_POD_LABELS, direction: "egress" }) as { apiVersion: string; kind: string });

    const cm = CERT_MANAGER_CHART.namespace;
    const cmChart = new Chart(scope, "cert-manager-policies", { disableResourceNameHashes: true });
    namespacePolicies(cmChart, cm, [
      apiServerFlow("to-api-server", {}, api),
      webhookFlow("webhook-from-api-server", CERT_MANAGER_LABELS.webhook, api, P.certManagerWebhook),
      webhookFlow("trust-manager-webhook-from-api-server", TRUST_MANAGER_LABELS, api, TRUST_MANAGER_WEBHOOK_PORT),
      scrapeFlow("scrape-controller", CERT_MANAGER_LABELS.controller, P.certManagerMetrics),
      // ACME: the directory over HTTPS, and the HTTP-01 self check through the gateway's public address.
      ...(props.acme ? [{ name: "controller-to-acme", pods: CERT_MANAGER_LABELS.controller, egressTo: [ANYWHERE], ports: [{ port: 443 }, { port: 80 }] }] : []),
    ]);

    const cnpg = CNPG_CHART.namespace;
    const cnpgChart = new Chart(scope, "cnpg-policies", { disableResourceNameHashes: true });
    namespacePolicies(cnpgChart, cnpg, [
      apiServerFlow("operator-to-api-server", CNPG_OPERATOR_LABELS, api),
      webhookFlow("webhook-from-api-server", CNPG_OPERATOR_LABELS, api, P.cnpgWebhook),
      scrapeFlow("scrape-operator", CNPG_OPERATOR_LABELS, P.cnpgMetrics),
      // The Barman Cloud plugin: the operator calls it over gRPC (mTLS) on its Service port; it watches
      // ObjectStores and Clusters through the API server (charts/platform/barman-plugin.ts).
      { name: "operator-to-backup-plugin", pods: CNPG_OPERATOR_LABELS, egressTo: [{ pods: BARMAN_PLUGIN_LABELS }], ports: [{ port: BARMAN_PLUGIN_PORT }] },
      { name: "backup-plugin-from-operator", pods: BARMAN_PLUGIN_LABELS, ingressFrom: [{ pods: CNPG_OPERATOR_LABELS }], ports: [{ port: BARMAN_PLUGIN_PORT }] },
      apiServerFlow("backup-plugin-to-api-server", BARMAN_PLUGIN_LABELS, api),
    ]);
    // The operator polls every instance's status endpoint, in whichever namespace the cluster lives.
    allowClusterWide(cnpgChart, cnpg, {
      name: "operator-to-instances",
      pods: CNPG_OPERATOR_LABELS,
      direction: "egress",
      ports: [{ port: P.cnpgInstanceStatus }, { port: 5432 }],
    });

    const velero = VELERO_CHART.namespace;
    const veleroChart = new Chart(scope, "velero-policies", { disableResourceNameHashes: true });
    namespacePolicies(veleroChart, velero, [
      apiServerFlow("to-api-server", {}, api),
      { name: "to-backup-store", pods: {}, egressTo: [props.backupStore.peer], ports: [{ port: props.backupStore.port }] },
      scrapeFlow("scrape", VELERO_LABELS, P.veleroMetrics),
    ]);

    const monChart = new Chart(scope, "monitoring-policies", { disableResourceNameHashes: true });
    namespacePolicies(monChart, MONITORING_NAMESPACE, [
      apiServerFlow("to-api-server", {}, api),
      { name: "prometheus-to-own-namespace", pods: PROMETHEUS_POD_LABELS, egressTo: [{}], ports: [{ port: P.prometheus }, { port: P.prometheusOperator }] },
      { name: "own-namespace-from-prometheus", pods: {}, ingressFrom: [{ pods: PROMETHEUS_POD_LABELS }], ports: [{ port: P.prometheus }, { port: P.prometheusOperator }] },
      // cAdvisor's container usage, read from each kubelet at the node's address (charts/platform/values.ts, kubelet).
      ...(props.nodeCidrs?.length
        ? [{ name: "prometheus-to-kubelets", pods: PROMETHEUS_POD_LABELS, egressTo: props.nodeCidrs.map((cidr) => ({ cidr })), ports: [{ port: P.kubelet }] }]
        : []),
    ]);
    allowClusterWide(monChart, MONITORING_NAMESPACE, {
      name: "prometheus-scrapes",
      pods: PROMETHEUS_POD_LABELS,
      direction: "egress",
      ports: [...new Set(props.scrapePorts)].sort((a, b) => a - b).map((port) => ({ port })),
    });
  }
}

export function renderPlatformNamespaces(props: PlatformNamespacesProps): Record<string, unknown>[] {
  const app = new App();
  new PlatformNamespacesChart(app, "platform-namespaces", props);
  return synthAll(app);
}
