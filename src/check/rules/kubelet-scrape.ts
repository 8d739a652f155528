import { MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../../../charts/platform/flows";
import { PLATFORM_PORTS } from "../../../charts/platform/namespaces";
import { KUBE_PROMETHEUS_STACK_CHART } from "../../../charts/platform/releases";
import { isObject } from "../k8s";
import { canEgressOutside, networkPolicies, podWorkload } from "../net";
import { releasesOf, type ReleaseView } from "../releases";
import type { CheckFinding, CheckRule, CheckModel } from "../types";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (isObject(v) ? (v as Json) : {});
/** A chart boolean that defaults to true: only an explicit `false` turns it off. */
const on = (v: unknown): boolean => v !== false;

/**
 * Whether a kube-prometheus-stack release scrapes cAdvisor on the kubelets, from its values and the chart's
 * defaults (prometheus-community/helm-charts charts/kube-prometheus-stack values.yaml at
 * ea930baeebeba39f56d6b44e351f23b2a072a600, chart 88.5.3: `kubernetesServiceMonitors.enabled`, `kubelet.enabled`,
 * `kubelet.serviceMonitor.enabled` and `.cAdvisor` all true by default; templates/exporters/kubelet/servicemonitor.yaml
 * renders the ServiceMonitor only when the first three are, and its `/metrics/cadvisor` endpoint with the fourth;
 * the targets are the addresses of the Endpoints the operator writes, `prometheusOperator.kubeletService.enabled`,
 * true by default).
 */
export function scrapesCadvisor(values: Readonly<Record<string, unknown>>): boolean {
  const kubelet = obj(values["kubelet"]);
  const sm = obj(kubelet["serviceMonitor"]);
  const svc = obj(obj(values["prometheusOperator"])["kubeletService"]);
  return on(obj(values["kubernetesServiceMonitors"])["enabled"]) && on(kubelet["enabled"]) && on(sm["enabled"]) && on(sm["cAdvisor"]) && on(svc["enabled"]);
}

/** The platform's Prometheus releases (kube-prometheus-stack) of a render. */
export function prometheusReleases(model: CheckModel): ReleaseView[] {
  return releasesOf(model.resources).filter((r) => r.chart === KUBE_PROMETHEUS_STACK_CHART.chart || r.chart.endsWith(`/${KUBE_PROMETHEUS_STACK_CHART.chart}`));
}

/** Whether the monitoring namespace's NetworkPolicies let the Prometheus pods reach a node address (an `ipBlock`) on the kubelet's port. */
export function prometheusReachesKubelets(model: CheckModel): boolean {
  const prometheus = podWorkload("prometheus", MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS, [PLATFORM_PORTS.prometheus]);
  return canEgressOutside(networkPolicies(model.objects), prometheus, [PLATFORM_PORTS.kubelet]);
}

/**
 * A Prometheus that scrapes the kubelets may reach them: the kubelet ServiceMonitor's targets are node
 * addresses on 10250 (the operator's kubelet Endpoints), outside the pod network, so only an egress rule to an
 * `ipBlock` (or to everywhere) on that port lets the scrape through. socle renders that rule from the nodes'
 * ranges (charts/platform/namespaces.ts `prometheus-to-kubelets`) and turns the scrape off when it does not
 * know them; a scrape rendered without the rule is a contradiction every scrape would fail on.
 */
export const kubeletScrape: CheckRule = {
  id: "kubelet-scrape",
  description: "A Prometheus that scrapes the kubelets' cAdvisor (kube-prometheus-stack's kubelet ServiceMonitor) may reach the nodes on 10250 under its namespace's egress NetworkPolicies",
  run(model) {
    const out: CheckFinding[] = [];
    for (const r of prometheusReleases(model)) {
      if (r.instance.namespace !== MONITORING_NAMESPACE || !scrapesCadvisor(r.instance.values)) continue;
      if (prometheusReachesKubelets(model)) continue;
      out.push({
        rule: "kubelet-scrape",
        severity: "blocker",
        object: `Release/${r.instance.namespace}/${r.instance.name}`,
        path: "values.kubelet.serviceMonitor.cAdvisor",
        message: `Prometheus scrapes the kubelets' cAdvisor (/metrics/cadvisor on port ${PLATFORM_PORTS.kubelet} of every node), but ${MONITORING_NAMESPACE}'s egress NetworkPolicies allow no node address on ${PLATFORM_PORTS.kubelet}: every scrape fails and the container usage series are absent`,
        fix: `allow egress from the Prometheus pods to the nodes' ranges on ${PLATFORM_PORTS.kubelet} (charts/platform/namespaces.ts prometheus-to-kubelets, from socle:monitoring.nodeCidrs), or turn the kubelet scrape off (kubelet.enabled false)`,
      });
    }
    return out;
  },
};
