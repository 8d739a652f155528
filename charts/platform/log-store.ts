import { App, Chart } from "cdk8s";
import { k8s } from "../lib/k8s";
import type { SizingProfile } from "../../src/model/names";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../lib/security";
import { toK8sResources } from "../lib/sizing";
import { namespacePolicies, namespaceSecurityLabels, scrapeFlow } from "./flows";
import { victoriaLogsSize } from "./sizing";

export const LOG_STORE_NAMESPACE = "socle-logging";
export const LOG_COLLECTOR_NAMESPACE = "socle-log-collector";
export const LOG_STORE_LABELS = { "app.kubernetes.io/name": "victoria-logs", "app.kubernetes.io/part-of": "socle-logging" } as const;
export const LOG_COLLECTOR_LABELS = { "app.kubernetes.io/name": "fluent-bit", "app.kubernetes.io/part-of": "socle-logging" } as const;
/** VictoriaLogs' HTTP port: ingestion, queries, `/health` and `/metrics` (https://docs.victoriametrics.com/victorialogs/quickstart). */
export const LOG_STORE_PORT = 9428;
/**
 * Label stating how long the log store keeps logs, read by the log-retention control. No convention was
 * defined in policies/controls or docs/controls.md when this was written; this one is proposed there.
 */
export const LOG_RETENTION_LABEL = "socle.io/log-retention-days";
const UID = 10001;

export interface LogStoreChartProps {
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly image: string;
  readonly retentionDays: number;
}

/** VictoriaLogs, single binary, on a protected volume; logs older than `retentionDays` are dropped by VictoriaLogs itself. */
export class LogStoreChart extends Chart {
  constructor(scope: App, id: string, props: LogStoreChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) throw new Error(`LogStoreChart: retentionDays ${props.retentionDays} must be a whole number >= 1`);
    const ns = LOG_STORE_NAMESPACE;
    const size = victoriaLogsSize(props.sizing);
    const retention = { [LOG_RETENTION_LABEL]: String(props.retentionDays) };
    const { labels } = namespaceSecurityLabels("restricted");
    new k8s.KubeNamespace(this, "namespace", { metadata: { name: ns, labels: { ...labels, "socle.io/platform": "true" } } });
    new k8s.KubeServiceAccount(this, "service-account", { metadata: { name: "victoria-logs", namespace: ns }, automountServiceAccountToken: false });
    const port = k8s.IntOrString.fromNumber(LOG_STORE_PORT);
    new k8s.KubeStatefulSet(this, "statefulset", {
      metadata: { name: "victoria-logs", namespace: ns, labels: { ...LOG_STORE_LABELS, ...retention, "socle.io/stateful": "true" } },
      spec: {
        serviceName: "victoria-logs",
        replicas: 1,
        selector: { matchLabels: { ...LOG_STORE_LABELS } },
        template: {
          metadata: { labels: { ...LOG_STORE_LABELS, ...retention } },
          spec: {
            serviceAccountName: "victoria-logs",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(UID),
            containers: [
              {
                name: "victoria-logs",
                image: props.image,
                args: [`-storageDataPath=/vlogs`, `-retentionPeriod=${props.retentionDays}d`, `-httpListenAddr=:${LOG_STORE_PORT}`],
                ports: [{ name: "http", containerPort: LOG_STORE_PORT }],
                securityContext: restrictedContainerSecurityContext(),
                resources: toK8sResources(size.resources),
                readinessProbe: { httpGet: { path: "/health", port }, periodSeconds: 10 },
                livenessProbe: { httpGet: { path: "/health", port }, periodSeconds: 20, failureThreshold: 6 },
                volumeMounts: [{ name: "data", mountPath: "/vlogs" }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data", labels: { ...LOG_STORE_LABELS } },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: props.storageClass, resources: { requests: { storage: k8s.Quantity.fromString(size.storage!) } } },
          },
        ],
      },
    });
    new k8s.KubeService(this, "service", {
      metadata: { name: "victoria-logs", namespace: ns, labels: { ...LOG_STORE_LABELS } },
      spec: { type: "ClusterIP", selector: { ...LOG_STORE_LABELS }, ports: [{ name: "http", port: LOG_STORE_PORT, targetPort: port }] },
    });
    namespacePolicies(this, ns, [
      { name: "from-collector", pods: LOG_STORE_LABELS, ingressFrom: [{ namespace: LOG_COLLECTOR_NAMESPACE, pods: LOG_COLLECTOR_LABELS }], ports: [{ port: LOG_STORE_PORT }] },
      scrapeFlow("scrape", LOG_STORE_LABELS, LOG_STORE_PORT),
    ]);
  }
}

export function renderLogStoreChart(props: LogStoreChartProps): Record<string, unknown>[] {
  const app = new App();
  return new LogStoreChart(app, "log-store", props).toJson() as Record<string, unknown>[];
}
