import { MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../../../charts/platform/flows";
import { KUBELET_PORT, OPENCOST_API_PORT, PLATFORM_PROMETHEUS } from "../../../charts/platform/opencost";
import { OPENCOST_CHART } from "../../../charts/platform/releases";
import { asArray, isObject, nameOf, nsOf } from "../k8s";
import { canEgressTo, canIngressFrom, networkPolicies, podWorkload } from "../net";
import { releasesOf } from "../releases";
import type { CheckFinding, CheckRule } from "../types";
import { prometheusReachesKubelets, prometheusReleases, scrapesCadvisor } from "./kubelet-scrape";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (isObject(v) ? (v as Json) : {});

/**
 * OpenCost measures nothing on its own: it prices what it reads from Prometheus (opencost/opencost
 * pkg/costmodel/allocation.go queries: its own series, `node_cpu_hourly_cost`, `container_cpu_allocation`,
 * `kube_pod_container_status_running`…, which it exports on `/metrics`, and cAdvisor's `container_cpu_usage_seconds_total`,
 * `container_memory_working_set_bytes`, which Prometheus reads from each kubelet), with the prices of its
 * pricing ConfigMap. This rule checks, on the render, that each of these can reach it.
 */
export const openCostData: CheckRule = {
  id: "opencost-data",
  description: "An OpenCost release reads the hoster's prices (its pricing ConfigMap exists) and its metrics: Prometheus scrapes it (a PodMonitor and both NetworkPolicy sides), it may query Prometheus, and Prometheus scrapes the kubelets' cAdvisor usage and may reach them",
  run(model) {
    const out: CheckFinding[] = [];
    const releases = releasesOf(model.resources).filter((r) => r.chart === OPENCOST_CHART.chart || r.chart.endsWith(`/${OPENCOST_CHART.chart}`));
    if (releases.length === 0) return out;
    const policies = networkPolicies(model.objects);
    for (const r of releases) {
      const object = `Release/${r.instance.namespace}/${r.instance.name}`;
      const oc = obj(r.instance.values["opencost"]);
      const pricing = obj(oc["customPricing"]);
      const ns = r.instance.namespace;
      // Prices: with createConfigmap false the ConfigMap is socle's (charts/platform/opencost.ts); OpenCost reads it in its namespace.
      if (pricing["enabled"] !== true) {
        out.push({
          rule: "opencost-data",
          severity: "warning",
          object,
          path: "values.opencost.customPricing.enabled",
          message: "custom pricing is off: OpenCost prices with its built-in defaults (GCP us-central1 list prices), not the hoster's price sheet",
          fix: "set socle:opencost.priceSheet on the platform stack (socle renders the ConfigMap and turns customPricing on)",
        });
      } else if (pricing["createConfigmap"] === false) {
        const name = typeof pricing["configmapName"] === "string" ? pricing["configmapName"] : "custom-pricing-model";
        if (!model.objects.some((o) => o.kind === "ConfigMap" && nameOf(o) === name && nsOf(o) === ns)) {
          out.push({
            rule: "opencost-data",
            severity: "blocker",
            object,
            path: "values.opencost.customPricing.configmapName",
            message: `OpenCost reads its prices from ConfigMap ${ns}/${name} (PRICING_CONFIGMAP_NAME), which nothing renders: it runs on its built-in default prices`,
            fix: `render ConfigMap ${name} in ${ns} (charts/platform/opencost.ts openCostPricingConfigMap), or set customPricing.createConfigmap`,
          });
        }
      }
      const labels = { "app.kubernetes.io/name": "opencost", "app.kubernetes.io/instance": r.instance.name };
      const opencost = podWorkload(`opencost ${ns}`, ns, labels, [OPENCOST_API_PORT]);
      const prometheus = podWorkload("prometheus", MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS, [PLATFORM_PROMETHEUS.port]);
      // Queries: OpenCost → the platform's Prometheus Service (opencost.prometheus.internal).
      const internal = obj(obj(oc["prometheus"])["internal"]);
      const external = obj(obj(oc["prometheus"])["external"])["enabled"] === true;
      const platformProm = !external && internal["serviceName"] === PLATFORM_PROMETHEUS.service && internal["namespaceName"] === PLATFORM_PROMETHEUS.namespace && internal["port"] === PLATFORM_PROMETHEUS.port;
      if (!platformProm) {
        out.push({
          rule: "opencost-data",
          severity: "warning",
          object,
          path: "values.opencost.prometheus",
          message: `OpenCost queries a Prometheus other than the platform's (${PLATFORM_PROMETHEUS.service}.${PLATFORM_PROMETHEUS.namespace}:${PLATFORM_PROMETHEUS.port}): not checked`,
          fix: "point opencost.prometheus.internal at the platform's Prometheus (charts/platform/opencost.ts openCostValues)",
        });
      } else {
        const egress = canEgressTo(policies, opencost, prometheus, PLATFORM_PROMETHEUS.port);
        const ingress = canIngressFrom(policies, opencost, prometheus, PLATFORM_PROMETHEUS.port);
        if (!egress || !ingress) {
          out.push({
            rule: "opencost-data",
            severity: "blocker",
            object,
            path: "values.opencost.prometheus.internal",
            message: `OpenCost's queries to Prometheus (${MONITORING_NAMESPACE}, port ${PLATFORM_PROMETHEUS.port}) are denied by ${!egress ? `${ns}'s egress` : `${MONITORING_NAMESPACE}'s ingress`} NetworkPolicies: every cost it reports is empty`,
            fix: `allow ${!egress ? `egress from the OpenCost pods to the Prometheus pods` : `ingress to the Prometheus pods from ${ns}`} on ${PLATFORM_PROMETHEUS.port} (charts/platform/opencost.ts)`,
          });
        }
      }
      // Scraping: OpenCost's own series reach Prometheus only through a PodMonitor (its chart's ServiceMonitor is off).
      const monitored = model.objects.some((o) => {
        if (o.kind !== "PodMonitor" && o.kind !== "ServiceMonitor") return false;
        const spec = obj(o["spec"]);
        const names = asArray(obj(spec["namespaceSelector"])["matchNames"]);
        const sameNs = names.length ? names.includes(ns) : nsOf(o) === ns;
        const match = obj(obj(spec["selector"])["matchLabels"]);
        const selected = Object.entries(match).every(([k, v]) => (labels as Record<string, string>)[k] === v);
        const endpoints = [...asArray(spec["podMetricsEndpoints"]), ...asArray(spec["endpoints"])].map(obj);
        return sameNs && selected && (o.kind === "ServiceMonitor" || endpoints.some((e) => e["portNumber"] === OPENCOST_API_PORT || e["port"] === "http"));
      });
      if (!monitored) {
        out.push({
          rule: "opencost-data",
          severity: "blocker",
          object,
          path: "values.opencost.metrics.serviceMonitor",
          message: "no PodMonitor or ServiceMonitor selects the OpenCost pods: Prometheus never stores OpenCost's series (node prices, allocations, the kube-state series it emits), so every allocation query is empty",
          fix: "add OpenCost to the platform's scrape targets (charts/platform/opencost.ts OPENCOST_SCRAPE_TARGET)",
        });
      } else if (!canEgressTo(policies, prometheus, opencost, OPENCOST_API_PORT) || !canIngressFrom(policies, prometheus, opencost, OPENCOST_API_PORT)) {
        out.push({
          rule: "opencost-data",
          severity: "blocker",
          object,
          path: "values.opencost.exporter.apiPort",
          message: `Prometheus may not scrape OpenCost on ${OPENCOST_API_PORT}: the NetworkPolicies of ${MONITORING_NAMESPACE} or ${ns} deny it, so OpenCost's series never reach Prometheus`,
          fix: `allow Prometheus → OpenCost on ${OPENCOST_API_PORT} (the scrape port list of the monitoring namespace, and scrapeFlow in ${ns})`,
        });
      }
      // Measured usage: cAdvisor's series come from each kubelet, outside the pod network; the platform's Prometheus
      // scrapes them when socle knows the nodes' ranges (rule kubelet-scrape blocks a scrape its policies deny).
      const scraping = prometheusReleases(model).some((p) => p.instance.namespace === MONITORING_NAMESPACE && scrapesCadvisor(p.instance.values));
      const reaches = prometheusReachesKubelets(model);
      if (!scraping || !reaches) {
        out.push({
          rule: "opencost-data",
          severity: "warning",
          object,
          path: "values.opencost.prometheus",
          message: !scraping
            ? `the platform's Prometheus does not scrape the kubelets (kube-prometheus-stack's kubelet scrape is off: the nodes' address ranges are unknown): cAdvisor's usage series (container_cpu_usage_seconds_total, container_memory_working_set_bytes) are absent, so OpenCost prices requests (it allocates max(request, usage)), not measured use`
            : `the platform's Prometheus may not reach the kubelets (port ${KUBELET_PORT}, ${MONITORING_NAMESPACE}'s egress NetworkPolicies): cAdvisor's usage series (container_cpu_usage_seconds_total, container_memory_working_set_bytes) are absent, so OpenCost prices requests (it allocates max(request, usage)), not measured use`,
          fix: !scraping
            ? `set socle:monitoring.nodeCidrs on the platform stack to the nodes' address ranges (socle then scrapes the kubelets' cAdvisor and allows Prometheus egress to them on ${KUBELET_PORT}: docs/hosters.md, "OpenCost (measured actuals)"), or read OpenCost's figures as requested resources`
            : `allow egress from the Prometheus pods to the nodes' addresses on ${KUBELET_PORT} (charts/platform/namespaces.ts prometheus-to-kubelets, see rule kubelet-scrape)`,
        });
      }
    }
    return out;
  },
};
