import { ApiObject, App, Chart } from "cdk8s";
import { GATEWAY_POD_LABELS } from "../gateway";
import { GARAGE_LABELS, GARAGE_NAMESPACE, GARAGE_PORTS } from "./garage";
import { LOG_COLLECTOR_PORT } from "./log-collector";
import { LOG_COLLECTOR_LABELS, LOG_COLLECTOR_NAMESPACE, LOG_STORE_LABELS, LOG_STORE_NAMESPACE, LOG_STORE_PORT } from "./log-store";
import { CERT_MANAGER_LABELS, CNPG_OPERATOR_LABELS, ENVOY_GATEWAY_CONTROLLER_LABELS, PLATFORM_PORTS, VELERO_LABELS } from "./namespaces";
import { CERT_MANAGER_CHART, CNPG_CHART, ENVOY_GATEWAY_CHART, VELERO_CHART } from "./releases";
import { MONITORING_NAMESPACE } from "./flows";

export interface ScrapeTarget {
  readonly name: string;
  readonly namespace: string;
  readonly pods: Readonly<Record<string, string>>;
  readonly port: number;
  readonly path: string;
}

/** What Prometheus scrapes on the platform; the monitoring namespace may reach exactly these ports. */
export function platformScrapeTargets(opts: { readonly garage: boolean }): ScrapeTarget[] {
  const P = PLATFORM_PORTS;
  return [
    { name: "envoy-gateway", namespace: ENVOY_GATEWAY_CHART.namespace, pods: ENVOY_GATEWAY_CONTROLLER_LABELS, port: P.envoyMetrics, path: "/metrics" },
    { name: "envoy-proxy", namespace: ENVOY_GATEWAY_CHART.namespace, pods: GATEWAY_POD_LABELS, port: P.envoyMetrics, path: "/stats/prometheus" },
    { name: "cert-manager", namespace: CERT_MANAGER_CHART.namespace, pods: CERT_MANAGER_LABELS.controller, port: P.certManagerMetrics, path: "/metrics" },
    { name: "cloudnative-pg", namespace: CNPG_CHART.namespace, pods: CNPG_OPERATOR_LABELS, port: P.cnpgMetrics, path: "/metrics" },
    { name: "velero", namespace: VELERO_CHART.namespace, pods: VELERO_LABELS, port: P.veleroMetrics, path: "/metrics" },
    { name: "victoria-logs", namespace: LOG_STORE_NAMESPACE, pods: LOG_STORE_LABELS, port: LOG_STORE_PORT, path: "/metrics" },
    { name: "fluent-bit", namespace: LOG_COLLECTOR_NAMESPACE, pods: LOG_COLLECTOR_LABELS, port: LOG_COLLECTOR_PORT, path: "/api/v2/metrics/prometheus" },
    ...(opts.garage ? [{ name: "garage", namespace: GARAGE_NAMESPACE, pods: GARAGE_LABELS, port: GARAGE_PORTS.admin, path: "/metrics" }] : []),
  ];
}

/** One PodMonitor per target, kept in the monitoring namespace (selecting pods across namespaces). */
export class MonitorsChart extends Chart {
  constructor(scope: App, id: string, targets: readonly ScrapeTarget[]) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const t of targets) {
      new ApiObject(this, `pod-monitor-${t.name}`, {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: t.name, namespace: MONITORING_NAMESPACE, labels: { "socle.io/monitor": "platform" } },
        spec: {
          namespaceSelector: { matchNames: [t.namespace] },
          selector: { matchLabels: { ...t.pods } },
          podMetricsEndpoints: [{ portNumber: t.port, path: t.path, interval: "60s" }],
        },
      });
    }
  }
}

export function renderMonitorsChart(targets: readonly ScrapeTarget[]): Record<string, unknown>[] {
  const app = new App();
  return new MonitorsChart(app, "monitors", targets).toJson() as Record<string, unknown>[];
}
