/**
 * OpenCost on a hoster's platform (`socle:opencost`): measured cost allocation per namespace, priced with the
 * same price sheet `socle usage` reads. socle renders the namespace, its NetworkPolicies, the custom pricing
 * ConfigMap and the monitoring side of its flows; the pinned chart (charts/platform/releases.ts `OPENCOST_CHART`,
 * opencost/opencost-helm-chart tag opencost-2.5.17, 725bb939d6a631a7b679cef38fe42a3d872efe64, app 1.120.1)
 * installs the Deployment, its Service, ServiceAccount and read-only ClusterRole with the values below.
 *
 * Upstream files cited as `chart:<path>` are charts/opencost/<path> at that tag; `opencost:<path>` is the
 * application's source, opencost/opencost@5f6533303e3850c8635796a74bb22802d16e9090 (2024-10-24, the newest commit
 * of the stored snapshot: the v1.120.1 tag is not in it, so those facts are read at an earlier version and marked so).
 */
import { ApiObject, App, Chart } from "cdk8s";
import { k8s } from "cdk8s-plus-33";
import type { PriceSheet } from "../../src/model/prices";
import type { SizingProfile } from "../../src/model/names";
import { allowFlow } from "../lib/network";
import { apiServerFlow, MONITORING_NAMESPACE, namespacePolicies, namespaceSecurityLabels, PROMETHEUS_POD_LABELS, scrapeFlow, type ApiServer } from "./flows";
import type { ScrapeTarget } from "./monitors";
import { PLATFORM_PORTS } from "./namespaces";
import { OPENCOST_CHART, splitImage } from "./releases";
import { controllerSize } from "./sizing";
import { plainResources } from "../lib/sizing";

export const OPENCOST_NAMESPACE = OPENCOST_CHART.namespace;
/** Helm release name; `opencost.fullname` is then `opencost` (chart:templates/_helpers.tpl: the release name when it contains the chart's name). */
export const OPENCOST_RELEASE = "opencost";
/** `opencost.selectorLabels` (chart:templates/_helpers.tpl): the Deployment's pod labels. */
export const OPENCOST_POD_LABELS = { "app.kubernetes.io/name": "opencost", "app.kubernetes.io/instance": OPENCOST_RELEASE } as const;
/**
 * The cost model's API port, `opencost.exporter.apiPort` (chart:values.yaml 9003): the container port `http`,
 * the Service port, the probes' port (`/healthz`) and where `/metrics` is served (chart:templates/servicemonitor.yaml
 * scrapes port `http`, path `/metrics`).
 */
export const OPENCOST_API_PORT = 9003;
/** Name of the custom pricing ConfigMap: `opencost.customPricing.configmapName`, read by OpenCost as `PRICING_CONFIGMAP_NAME`. */
export const OPENCOST_CONFIGMAP = "socle-custom-pricing";
/**
 * The platform's Prometheus as kube-prometheus-stack names it: Service `<fullname>-prometheus` on
 * `prometheus.service.port` 9090 (prometheus-community/helm-charts charts/kube-prometheus-stack
 * templates/prometheus/service.yaml, stored version 00a2982a4a3e666b1ee06460f154ba08a3c61ec5; `fullname` is the
 * release name `kube-prometheus-stack`, which contains the chart's name: templates/_helpers.tpl).
 */
export const PLATFORM_PROMETHEUS = { service: "kube-prometheus-stack-prometheus", namespace: MONITORING_NAMESPACE, port: PLATFORM_PORTS.prometheus } as const;
/** The kubelet's port, where Prometheus reads cAdvisor's container usage series (`/metrics/cadvisor`): `PLATFORM_PORTS.kubelet`. */
export const KUBELET_PORT = PLATFORM_PORTS.kubelet;

/**
 * Hours in a month as OpenCost counts them: the custom provider divides the ConfigMap's CPU, RAM, GPU and
 * storage prices by 730 (opencost:pkg/cloud/provider/providerconfig.go `UpdateFromMap`, `val/730`), the same
 * divisor its default storage price shows (0.04 per GiB-month ÷ 730 = 0.00005479452, `DefaultPricing`).
 */
export const OPENCOST_HOURS_PER_MONTH = 730;

/** Monthly price as the ConfigMap carries it: a decimal string, same bytes every run, any locale. */
const monthly = (eur: number): string => String(Number(eur.toPrecision(12)));

/**
 * The ConfigMap of OpenCost's custom (on-premises) pricing, from the price sheet.
 *
 * Format, as OpenCost reads it at run time: the chart sets `PRICING_CONFIGMAP_NAME` to this name
 * (chart:templates/deployment.yaml, with `customPricing.enabled`), and OpenCost reads that ConfigMap in its
 * install namespace (`INSTALL_NAMESPACE`, same template) at start and on every change, applying **each data key
 * as a field** of its pricing model (opencost:pkg/cloud/provider/provider.go `ConfigWatcherFor` →
 * providerconfig.go `UpdateFromMap`: the key's first letter upper-cased must name a field of `CustomPricing`,
 * pkg/cloud/models/models.go `SetCustomPricingField`, else the whole update fails with "no such field").
 * `CPU`, `spotCPU`, `RAM`, `spotRAM`, `GPU` and `storage` are **monthly** prices there, divided by 730 into the
 * hourly prices OpenCost exports (`node_cpu_hourly_cost`…; `%f`, 6 decimals); the network egress prices are per
 * GiB and taken as they are. This is the layout the chart's own ConfigMap has (chart:templates/configmap-custom-pricing.yaml:
 * one data key per `costModel` field plus `provider`).
 *
 * From the sheet: CPU per vCPU-month, RAM per GiB-month, storage per GiB-month of block storage. An on-premises
 * platform has no spot nodes: spot prices are the regular ones. GPU and network egress are not in the sheet: 0.
 * Object storage has no OpenCost price (OpenCost prices persistent volumes, not buckets). Amounts stay in euros,
 * declared as `currencyCode`: OpenCost converts nothing.
 */
export function openCostPricingConfigMap(sheet: PriceSheet, meta: { name: string; namespace: string }): Record<string, unknown> {
  const p = sheet.prices;
  const data: Record<string, string> = {
    provider: "custom",
    description: `socle price sheet (EUR per month; OpenCost divides by ${OPENCOST_HOURS_PER_MONTH} hours)${sheet.illustrative ? ": ILLUSTRATIVE prices" : ""}`,
    CPU: monthly(p.vcpuMonth),
    spotCPU: monthly(p.vcpuMonth),
    RAM: monthly(p.ramGiBMonth),
    spotRAM: monthly(p.ramGiBMonth),
    GPU: "0",
    spotGPU: "0",
    storage: monthly(p.blockGiBMonth),
    zoneNetworkEgress: "0",
    regionNetworkEgress: "0",
    internetNetworkEgress: "0",
    // `CustomPricing.CurrencyCode` (pkg/cloud/models/models.go): the currency OpenCost labels its amounts with.
    currencyCode: sheet.currency,
  };
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: meta.name, namespace: meta.namespace, labels: { "app.kubernetes.io/managed-by": "socle" } },
    data,
  };
}

/** What Prometheus scrapes on OpenCost: its own metrics (node prices, allocations and the kube-state series it emits). */
export const OPENCOST_SCRAPE_TARGET: ScrapeTarget = { name: "opencost", namespace: OPENCOST_NAMESPACE, pods: OPENCOST_POD_LABELS, port: OPENCOST_API_PORT, path: "/metrics" };

/** OpenCost's image runs as user 1001 (opencost:Dockerfile, `USER 1001`). */
const UID = 1001;

/**
 * Helm values of the pinned chart (chart:values.yaml names each key). Everything that could reach outside the
 * cluster is off: the UI and its nginx (`opencost.ui.enabled`), the MCP server (`opencost.mcp.enabled`, on by
 * default), cloud cost ingestion (`opencost.cloudCost.enabled`), carbon estimates, plugins (which download
 * binaries with curl, `plugins.enabled`), and the cloud provider detection: `USE_CUSTOM_PROVIDER=true` selects the
 * custom provider without probing the GCE metadata server or a cloud's pricing API (opencost:pkg/cloud/provider/provider.go
 * `getClusterProperties`, pkg/env/costmodelenv.go `IsUseCustomProvider`); `PRODUCT_ANALYTICS_ENABLED`,
 * `ERROR_REPORTING_ENABLED` and `VALUES_REPORTING_ENABLED` (pkg/env/costmodelenv.go, each `env.GetBool(…, true)`)
 * are turned off.
 * The chart's NetworkPolicy is off: socle writes the namespace's (below). No Ingress, HTTPRoute or Route.
 */
export function openCostValues(image: string, sizing: SizingProfile): Record<string, unknown> {
  const i = splitImage(image);
  return {
    networkPolicies: { enabled: false },
    serviceAccount: { create: true, automountServiceAccountToken: true },
    rbac: { enabled: true },
    plugins: { enabled: false },
    podSecurityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, seccompProfile: { type: "RuntimeDefault" } },
    opencost: {
      exporter: {
        // chart:templates/_helpers.tpl `opencost.fullImageName` builds `<registry>/<repository>:<tag>`; the chart's own
        // default tag carries the digest after the tag the same way (`tag: "1.120.1@sha256:…"`, chart:values.yaml).
        image: { registry: i.registry, repository: i.repository, tag: i.digest ? `${i.tag}@${i.digest}` : i.tag },
        resources: plainResources(controllerSize(sizing).resources),
        // The root filesystem stays read-only: OpenCost writes its pricing file in CONFIG_PATH, the emptyDir the
        // chart mounts at `customPricing.configPath` (chart:templates/deployment.yaml, volume `custom-configs`).
        securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
        extraEnv: {
          USE_CUSTOM_PROVIDER: "true",
          PRODUCT_ANALYTICS_ENABLED: "false",
          ERROR_REPORTING_ENABLED: "false",
          VALUES_REPORTING_ENABLED: "false",
        },
      },
      customPricing: { enabled: true, createConfigmap: false, configmapName: OPENCOST_CONFIGMAP, provider: "custom", configPath: "/tmp/custom-config" },
      prometheus: {
        external: { enabled: false },
        internal: { enabled: true, serviceName: PLATFORM_PROMETHEUS.service, namespaceName: PLATFORM_PROMETHEUS.namespace, port: PLATFORM_PROMETHEUS.port, scheme: "http" },
      },
      ui: { enabled: false },
      mcp: { enabled: false },
      cloudCost: { enabled: false },
      carbonCost: { enabled: false },
      metrics: { serviceMonitor: { enabled: false } },
    },
  };
}

export interface OpenCostChartProps {
  readonly priceSheet: PriceSheet;
  readonly apiServer: ApiServer;
}

/**
 * OpenCost's namespace (Pod Security `restricted`), its pricing ConfigMap, and its flows, default deny first:
 * OpenCost → the API server (it lists nodes, pods, volumes… and reads its ConfigMap: chart:templates/clusterrole.yaml),
 * OpenCost → the platform's Prometheus on 9090 (its queries), Prometheus → OpenCost on 9003 (scraping `/metrics`),
 * and the matching ingress in the monitoring namespace, which denies by default too.
 */
export class OpenCostChart extends Chart {
  constructor(scope: App, id: string, props: OpenCostChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = OPENCOST_NAMESPACE;
    const { labels } = namespaceSecurityLabels("restricted");
    new k8s.KubeNamespace(this, "namespace", { metadata: { name: ns, labels: { ...labels, "socle.io/platform": "true" } } });
    new ApiObject(this, "custom-pricing", openCostPricingConfigMap(props.priceSheet, { name: OPENCOST_CONFIGMAP, namespace: ns }) as { apiVersion: string; kind: string });
    const prometheus = { namespace: PLATFORM_PROMETHEUS.namespace, pods: PROMETHEUS_POD_LABELS };
    namespacePolicies(this, ns, [
      apiServerFlow("opencost-to-api-server", OPENCOST_POD_LABELS, props.apiServer),
      { name: "opencost-to-prometheus", pods: OPENCOST_POD_LABELS, egressTo: [prometheus], ports: [{ port: PLATFORM_PROMETHEUS.port }] },
      scrapeFlow("scrape-opencost", OPENCOST_POD_LABELS, OPENCOST_API_PORT),
    ]);
    const monitoring = new Chart(scope, "opencost-monitoring-policies", { disableResourceNameHashes: true });
    allowFlow(monitoring, MONITORING_NAMESPACE, { name: "prometheus-from-opencost", pods: PROMETHEUS_POD_LABELS, ingressFrom: [{ namespace: ns, pods: OPENCOST_POD_LABELS }], ports: [{ port: PLATFORM_PROMETHEUS.port }] });
  }
}

export function renderOpenCostChart(props: OpenCostChartProps): Record<string, unknown>[] {
  const app = new App();
  new OpenCostChart(app, "opencost", props);
  return app.charts.flatMap((c) => c.toJson() as Record<string, unknown>[]);
}
