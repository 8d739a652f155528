import { App, Chart } from "cdk8s";
import { k8s } from "../lib/k8s";
import type { SizingProfile } from "../../src/model/names";
import { exceptionsAnnotation, type SecurityException } from "../lib/security";
import { toK8sResources } from "../lib/sizing";
import { apiServerFlow, namespacePolicies, namespaceSecurityLabels, scrapeFlow, type ApiServer } from "./flows";
import { LOG_COLLECTOR_LABELS, LOG_COLLECTOR_NAMESPACE, LOG_STORE_LABELS, LOG_STORE_NAMESPACE, LOG_STORE_PORT } from "./log-store";
import { fluentBitSize } from "./sizing";

/** Fluent Bit's built-in HTTP server: `/`, `/api/v1/health` (with Health_Check On) and Prometheus metrics. */
export const LOG_COLLECTOR_PORT = 2020;

export interface LogCollectorChartProps {
  readonly sizing: SizingProfile;
  readonly image: string;
  readonly apiServer: ApiServer;
}

export const LOG_COLLECTOR_SECURITY_EXCEPTIONS: readonly SecurityException[] = [
  { container: "fluent-bit", field: "volumes.hostPath", reason: "reads container logs the kubelet writes under /var/log on each node (mounted read-only)" },
  { container: "fluent-bit", field: "runAsNonRoot", reason: "node log files are owned by root with mode 0640; read as uid 0 with every capability dropped" },
];

/** Fluent Bit configuration: tail CRI logs, add Kubernetes metadata, ship JSON lines to VictoriaLogs. */
export function fluentBitConfig(): string {
  return `[SERVICE]
    Flush             5
    Daemon            Off
    Log_Level         info
    HTTP_Server       On
    HTTP_Listen       0.0.0.0
    HTTP_Port         ${LOG_COLLECTOR_PORT}
    Health_Check      On

[INPUT]
    Name              tail
    Path              /var/log/containers/*.log
    multiline.parser  cri
    Tag               kube.*
    DB                /var/fluent-bit/state/tail.db
    Mem_Buf_Limit     32MB
    Skip_Long_Lines   On

[FILTER]
    Name              kubernetes
    Match             kube.*
    Merge_Log         On
    Labels            On
    Annotations       Off

[OUTPUT]
    Name              http
    Match             *
    Host              victoria-logs.${LOG_STORE_NAMESPACE}.svc
    Port              ${LOG_STORE_PORT}
    URI               /insert/jsonline?_stream_fields=stream,kubernetes_namespace_name,kubernetes_pod_name&_msg_field=log&_time_field=date
    Format            json_lines
    Json_Date_Key     date
    Json_Date_Format  iso8601
    Retry_Limit       False
`;
}

/**
 * The node log collector: a Fluent Bit DaemonSet in its own namespace, the one platform namespace at
 * Pod Security `privileged` (hostPath is refused by `baseline`), so the exception stays confined to it.
 */
export class LogCollectorChart extends Chart {
  constructor(scope: App, id: string, props: LogCollectorChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = LOG_COLLECTOR_NAMESPACE;
    const { labels, annotations } = namespaceSecurityLabels("privileged", "Fluent Bit reads node log files through a read-only hostPath of /var/log");
    new k8s.KubeNamespace(this, "namespace", { metadata: { name: ns, labels: { ...labels, "socle.io/platform": "true" }, annotations } });
    new k8s.KubeServiceAccount(this, "service-account", { metadata: { name: "fluent-bit", namespace: ns }, automountServiceAccountToken: false });
    // The kubernetes filter reads pod and namespace metadata.
    new k8s.KubeClusterRole(this, "cluster-role", {
      metadata: { name: "socle-fluent-bit" },
      rules: [{ apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] }],
    });
    new k8s.KubeClusterRoleBinding(this, "cluster-role-binding", {
      metadata: { name: "socle-fluent-bit" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "socle-fluent-bit" },
      subjects: [{ kind: "ServiceAccount", name: "fluent-bit", namespace: ns }],
    });
    new k8s.KubeConfigMap(this, "config", { metadata: { name: "fluent-bit-config", namespace: ns, labels: { ...LOG_COLLECTOR_LABELS } }, data: { "fluent-bit.conf": fluentBitConfig() } });
    const port = k8s.IntOrString.fromNumber(LOG_COLLECTOR_PORT);
    new k8s.KubeDaemonSet(this, "daemonset", {
      metadata: {
        name: "fluent-bit",
        namespace: ns,
        labels: { ...LOG_COLLECTOR_LABELS },
        annotations: {
          ...exceptionsAnnotation(LOG_COLLECTOR_SECURITY_EXCEPTIONS),
          "socle.io/uses-api": "true",
          "socle.io/uses-api-reason": "the kubernetes filter reads pod metadata (namespace, labels) from the API to tag each log line",
        },
      },
      spec: {
        selector: { matchLabels: { ...LOG_COLLECTOR_LABELS } },
        updateStrategy: { type: "RollingUpdate" },
        template: {
          metadata: { labels: { ...LOG_COLLECTOR_LABELS } },
          spec: {
            serviceAccountName: "fluent-bit",
            // Token for the kubernetes filter only; the projected token is short-lived and audience-bound.
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            tolerations: [{ operator: "Exists" }],
            securityContext: { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "fluent-bit",
                image: props.image,
                args: ["-c", "/fluent-bit/config/fluent-bit.conf"],
                ports: [{ name: "http", containerPort: LOG_COLLECTOR_PORT }],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: false,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                resources: toK8sResources(fluentBitSize(props.sizing).resources),
                readinessProbe: { httpGet: { path: "/api/v1/health", port }, periodSeconds: 10 },
                livenessProbe: { httpGet: { path: "/", port }, periodSeconds: 20, failureThreshold: 6 },
                volumeMounts: [
                  { name: "config", mountPath: "/fluent-bit/config", readOnly: true },
                  { name: "varlog", mountPath: "/var/log", readOnly: true },
                  { name: "state", mountPath: "/var/fluent-bit/state" },
                ],
              },
            ],
            volumes: [
              { name: "config", configMap: { name: "fluent-bit-config" } },
              { name: "varlog", hostPath: { path: "/var/log", type: "Directory" } },
              // Read positions: lost with the pod, so a restarted collector may resend recent lines rather than lose any.
              { name: "state", emptyDir: { sizeLimit: k8s.Quantity.fromString("256Mi") } },
            ],
          },
        },
      },
    });
    namespacePolicies(this, ns, [
      { name: "to-log-store", pods: LOG_COLLECTOR_LABELS, egressTo: [{ namespace: LOG_STORE_NAMESPACE, pods: LOG_STORE_LABELS }], ports: [{ port: LOG_STORE_PORT }] },
      apiServerFlow("to-api-server", LOG_COLLECTOR_LABELS, props.apiServer),
      scrapeFlow("scrape", LOG_COLLECTOR_LABELS, LOG_COLLECTOR_PORT),
    ]);
  }
}

export function renderLogCollectorChart(props: LogCollectorChartProps): Record<string, unknown>[] {
  const app = new App();
  return new LogCollectorChart(app, "log-collector", props).toJson() as Record<string, unknown>[];
}
