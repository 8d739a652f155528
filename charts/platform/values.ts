import type { SizingProfile } from "../../src/model/names";
import type { SecretContract } from "../../src/model/secrets";
import { plainResources } from "../lib/sizing";
import type { PlatformImages } from "./images";
import { splitImage } from "./releases";
import { controllerSize, prometheusSize } from "./sizing";

/**
 * Helm values of the pinned releases. Every image comes from the catalog, rewritten to the mirror and pinned
 * from the lock, and is set through the chart's own keys, as its upstream values.yaml names them (each
 * chart's `source` in charts/platform/releases.ts cites the file): Envoy Gateway `global.images.*.image`;
 * cert-manager and trust-manager `image`/`<component>.image` {repository, tag, digest}; CloudNativePG
 * `image` {repository, tag}; Velero `image` {repository, tag, digest} and `initContainers`;
 * kube-prometheus-stack `…image` {registry, repository, tag, sha}.
 */

const repoOf = (ref: string) => {
  const i = splitImage(ref);
  return { repository: `${i.registry}/${i.repository}`, tag: i.tag, ...(i.digest ? { digest: i.digest } : {}) };
};

export function envoyGatewayValues(images: PlatformImages, sizing: SizingProfile): Record<string, unknown> {
  return {
    // The Gateway's proxies run in the controller's namespace (the default deployment mode), whose
    // LoadBalancer Service is the stack's one declared load balancer.
    global: { images: { envoyGateway: { image: images["envoy-gateway"] }, envoyProxy: { image: images["envoy-proxy"] } } },
    deployment: { replicas: 2, envoyGateway: { resources: plainResources(controllerSize(sizing).resources) } },
    podDisruptionBudget: { minAvailable: 1 },
  };
}

export function certManagerValues(images: PlatformImages, sizing: SizingProfile): Record<string, unknown> {
  const resources = plainResources(controllerSize(sizing).resources);
  return {
    crds: { enabled: true, keep: true },
    // Gateway API support (HTTP-01 through the Gateway): `config.enableGatewayAPI`, cert-manager >= 1.15
    // (https://github.com/cert-manager/website/issues/1586).
    config: { apiVersion: "controller.config.cert-manager.io/v1alpha1", kind: "ControllerConfiguration", enableGatewayAPI: true },
    replicaCount: 2,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    image: repoOf(images["cert-manager-controller"]),
    resources,
    webhook: { replicaCount: 2, image: repoOf(images["cert-manager-webhook"]), resources, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
    cainjector: { image: repoOf(images["cert-manager-cainjector"]), resources },
    acmesolver: { image: repoOf(images["cert-manager-acmesolver"]) },
    startupapicheck: { image: repoOf(images["cert-manager-startupapicheck"]) },
    prometheus: { enabled: true, servicemonitor: { enabled: false } },
  };
}

/** trust-manager reads sources in cert-manager's namespace; no default CA package (its image is not in the catalog). */
export function trustManagerValues(images: PlatformImages, sizing: SizingProfile): Record<string, unknown> {
  return {
    crds: { enabled: true, keep: true },
    image: repoOf(images["trust-manager"]),
    defaultPackage: { enabled: false },
    app: { trust: { namespace: "cert-manager" } },
    resources: plainResources(controllerSize(sizing).resources),
  };
}

export function cnpgValues(images: PlatformImages, sizing: SizingProfile): Record<string, unknown> {
  const { repository, tag } = repoOf(images["cloudnative-pg"]);
  return {
    image: { repository, tag: splitImage(images["cloudnative-pg"]).digest ? `${tag}@${splitImage(images["cloudnative-pg"]).digest}` : tag },
    resources: plainResources(controllerSize(sizing).resources),
    config: { clusterWide: true },
  };
}

export function veleroValues(images: PlatformImages, sizing: SizingProfile, credentialsSecret: SecretContract<string, readonly ["cloud"]>): Record<string, unknown> {
  const velero = splitImage(images.velero);
  return {
    image: { repository: `${velero.registry}/${velero.repository}`, tag: velero.tag, ...(velero.digest ? { digest: velero.digest } : {}) },
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: images["velero-plugin-for-aws"],
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      },
    ],
    resources: plainResources(controllerSize(sizing).resources),
    // The BackupStorageLocation and Schedules are socle's own objects (charts/platform/velero.ts).
    configuration: { backupStorageLocation: [], volumeSnapshotLocation: [], uploaderType: "kopia", defaultVolumesToFsBackup: true },
    credentials: { useSecret: true, existingSecret: credentialsSecret.name },
    snapshotsEnabled: false,
    deployNodeAgent: true,
    // CRDs come with the chart on install; the upgrade Job would pull a kubectl image the catalog does not hold.
    upgradeCRDs: false,
    metrics: { enabled: true, serviceMonitor: { enabled: false } },
  };
}

/** Metrics are kept this long; logs follow `socle:logRetentionDays` separately. */
export const METRICS_RETENTION_DAYS = 30;

/**
 * The kubelet scrape of kube-prometheus-stack: cAdvisor's container series only, or nothing.
 *
 * Keys and defaults read in prometheus-community/helm-charts charts/kube-prometheus-stack at
 * ea930baeebeba39f56d6b44e351f23b2a072a600 (chart 88.5.3, the newest in the stored snapshot; the pinned 91.5.0 is
 * not in it: src/check/releases/kube-prometheus-stack.ts says so): values.yaml `kubelet:` (enabled, and
 * serviceMonitor `kubelet: true`, `probes: true`, `cAdvisor: true`, `resource: false`, `https: true`,
 * `insecureSkipVerify: true` by default) and `prometheusOperator.kubeletService` (enabled by default: the operator
 * writes Service and Endpoints `<fullname>-kubelet` in kube-system, one address per node, `--kubelet-service`
 * in templates/prometheus-operator/deployment.yaml); templates/exporters/kubelet/servicemonitor.yaml (one
 * endpoint per enabled path, port `https-metrics`, bearer token and `caFile` the service account's CA,
 * `_helpers.tpl` `kube-prometheus-stack.kubelet.authConfig`); templates/prometheus/clusterrole.yaml (`nodes/metrics`
 * and the non-resource URL `/metrics/cadvisor` when `cAdvisor` is on).
 *
 * On (the nodes' ranges are known, so the monitoring namespace lets Prometheus reach them on 10250): only
 * `/metrics/cadvisor`, whose `container_cpu_usage_seconds_total` and `container_memory_working_set_bytes` are the
 * usage OpenCost allocates (opencost/opencost pkg/costmodel/allocation.go `queryFmtCPUUsageAvg`,
 * `queryFmtRAMUsageAvg`, stored version 5f6533303e3850c8635796a74bb22802d16e9090). The kubelet's own `/metrics`
 * (whose `kubelet_volume_stats_used_bytes` OpenCost reads for volume usage in pkg/costmodel/cluster.go
 * `ClusterDisks`, not for a price: volumes are priced on their capacity) and `/metrics/probes` are off.
 * TLS: the chart's default, `insecureSkipVerify: true`, is kept and written out: kubelet serving certificates are
 * self-signed unless the cluster issues them from its CA (kubelet serving-certificate bootstrap), which socle does
 * not verify on any target; the scrape is encrypted and authenticated by the service account's token, but the
 * kubelet's identity is not checked (docs/components/platform.md, "Metrics").
 * Off (ranges unknown): the ServiceMonitor and the operator's kubelet Service are not rendered, rather than a
 * target every scrape of which the monitoring namespace's NetworkPolicies would deny.
 */
export function kubeletScrapeValues(on: boolean): Record<string, unknown> {
  if (!on) return { kubelet: { enabled: false }, kubeletService: { enabled: false } };
  return {
    kubelet: {
      enabled: true,
      serviceMonitor: { enabled: true, kubelet: false, probes: false, resource: false, cAdvisor: true, https: true, insecureSkipVerify: true },
    },
    kubeletService: { enabled: true },
  };
}

/**
 * The Kubernetes components kube-prometheus-stack scrapes besides the kubelet, and the default rule groups that
 * watch what socle never scrapes.
 *
 * Keys, defaults and templates read in prometheus-community/helm-charts charts/kube-prometheus-stack at
 * ea930baeebeba39f56d6b44e351f23b2a072a600 (chart 88.5.3, the newest in the stored snapshot; the pinned 91.5.0 is
 * not in it). Each component's Service (in kube-system, `clusterIP: None`) and ServiceMonitor render when
 * `<component>.enabled`, its `service.enabled`/`serviceMonitor.enabled` and `kubernetesServiceMonitors.enabled` are
 * all true, which is the default for all of them but `kubeDns` (templates/exporters/<component>/service.yaml,
 * servicemonitor.yaml). Whether each scrape can work under the monitoring namespace's NetworkPolicies
 * (charts/platform/namespaces.ts: `allow-to-api-server`, egress to the private ranges on 443/6443 only;
 * `allow-prometheus-scrapes`, egress to any pod on the platform's metrics ports only, which do not include 9153;
 * `allow-prometheus-to-kubelets`, the nodes on 10250 only):
 * - `kubeApiServer`: ON. templates/exporters/kube-api-server/servicemonitor.yaml scrapes the Endpoints of the
 *   `default/kubernetes` Service (labels component=apiserver, provider=kubernetes), i.e. the API server's own
 *   addresses on its port (443 or 6443), with the service account's token and CA (`serverName: kubernetes`);
 *   templates/prometheus/clusterrole.yaml grants `get` on the non-resource URL `/metrics`. `allow-to-api-server`
 *   covers it (socle check rule `component-scrape` verifies it on every render).
 * - `kubeControllerManager` (selector component=kube-controller-manager, port 10257 on Kubernetes >= 1.22),
 *   `kubeScheduler` (component=kube-scheduler, 10259), `kubeEtcd` (component=etcd, `service.port: 2381`):
 *   OFF. Where the cluster runs them as pods at all, they are static pods on the host network of the
 *   control-plane nodes, so the targets are node addresses on ports no policy of the monitoring namespace lets
 *   Prometheus reach (the nodes' ranges are allowed on 10250 only); on a managed control plane there is no pod to
 *   select. The chart's `endpoints: []` would only move the target, not open the port.
 * - `kubeProxy` (k8s-app=kube-proxy, `service.port: 10249`): OFF. A host-network DaemonSet where it exists (a CNI
 *   may replace it): node addresses again, on a port no policy allows.
 * - `coreDns` (k8s-app=kube-dns, `service.port: 9153`): OFF. Pods in kube-system, but no egress policy of the
 *   monitoring namespace allows 9153 (`allow-dns` is 53 only); the `prometheus :9153` plugin is the cluster's
 *   Corefile, not verified by socle on any target (docs/components/platform.md, "Metrics", what is left).
 *   `kubeDns` (kube-dns's sidecars, 10054/10055): OFF, as the chart's default.
 *
 * Default rules (values.yaml `defaultRules.rules.<group>`; templates/prometheus/rules-1.14/*.yaml): the groups of
 * the components above are gated by the chart on `<component>.enabled` too (etcd.yaml, kube-scheduler.rules.yaml,
 * kubernetes-system-controller-manager.yaml, -kube-proxy.yaml, -scheduler.yaml) and are turned off here by their
 * own keys as well, so no `absent(up{job=...})` alert (KubeControllerManagerDown, KubeSchedulerDown, KubeProxyDown)
 * can fire for a target socle never scrapes if a later chart stops gating them. Also off, because what they
 * watch is not deployed or not scraped: `kubelet` (kubelet.rules.yaml, recording rules on the kubelet's own
 * `/metrics`, which socle does not scrape: only `/metrics/cadvisor`), `kubeStateMetrics` (kube-state-metrics.yaml,
 * kube-state-metrics' own errors; `kubeStateMetrics.enabled: false`), `nodeExporterAlerting` and
 * `nodeExporterRecording` (node-exporter.yaml, node-exporter.rules.yaml, `job="node-exporter"`;
 * `nodeExporter.enabled: false`), `alertmanager` (alertmanager.rules.yaml; `alertmanager.enabled: false`).
 */
export const COMPONENT_SCRAPES = {
  kubeApiServer: true,
  kubeControllerManager: false,
  kubeScheduler: false,
  kubeEtcd: false,
  kubeProxy: false,
  coreDns: false,
  kubeDns: false,
} as const;

/** `defaultRules.rules.<group>` turned off (see COMPONENT_SCRAPES); every other group keeps the chart's default. */
export const DEFAULT_RULE_GROUPS_OFF = [
  "alertmanager",
  "etcd",
  "kubeControllerManager",
  "kubeProxy",
  "kubeSchedulerAlerting",
  "kubeSchedulerRecording",
  "kubeStateMetrics",
  "kubelet",
  "nodeExporterAlerting",
  "nodeExporterRecording",
] as const;

export function componentScrapeValues(): Record<string, unknown> {
  return {
    ...Object.fromEntries(Object.entries(COMPONENT_SCRAPES).map(([k, enabled]) => [k, { enabled }])),
    defaultRules: { rules: Object.fromEntries(DEFAULT_RULE_GROUPS_OFF.map((g) => [g, false])) },
  };
}

export function kubePrometheusStackValues(images: PlatformImages, sizing: SizingProfile, storageClass: string, opts: { readonly kubeletScrape: boolean } = { kubeletScrape: false }): Record<string, unknown> {
  const kubelet = kubeletScrapeValues(opts.kubeletScrape);
  const size = prometheusSize(sizing);
  const img = (ref: string) => {
    const i = splitImage(ref);
    return { registry: i.registry, repository: i.repository, tag: i.tag, ...(i.digest ? { sha: i.digest.replace(/^sha256:/, "") } : {}) };
  };
  return {
    crds: { enabled: true },
    // Only Prometheus and its operator: dashboards and alert routing are the operator's choice, and node
    // exporters need host access this stack does not grant.
    grafana: { enabled: false },
    alertmanager: { enabled: false },
    nodeExporter: { enabled: false },
    kubeStateMetrics: { enabled: false },
    kubelet: kubelet["kubelet"],
    // The control-plane components, CoreDNS and their rule groups: only what can be scraped (COMPONENT_SCRAPES).
    ...componentScrapeValues(),
    prometheusOperator: {
      kubeletService: kubelet["kubeletService"],
      image: img(images["prometheus-operator"]),
      prometheusConfigReloader: { image: img(images["prometheus-config-reloader"]) },
      admissionWebhooks: { enabled: false },
      tls: { enabled: false },
      resources: plainResources(controllerSize(sizing).resources),
    },
    prometheus: {
      prometheusSpec: {
        image: img(images.prometheus),
        retention: `${METRICS_RETENTION_DAYS}d`,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        resources: plainResources(size.resources),
        storageSpec: {
          volumeClaimTemplate: { spec: { storageClassName: storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size.storage } } } },
        },
      },
    },
  };
}
