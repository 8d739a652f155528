import { MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../../../charts/platform/flows";
import { PLATFORM_PORTS } from "../../../charts/platform/namespaces";
import { API_SERVER_PORTS } from "../flows";
import { isObject } from "../k8s";
import { canEgressOutside, canEgressTo, canIngressFrom, networkPolicies, podWorkload } from "../net";
import type { CheckFinding, CheckRule } from "../types";
import { prometheusReleases } from "./kubelet-scrape";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (isObject(v) ? (v as Json) : {});
/** A chart boolean that defaults to true: only an explicit `false` turns it off. */
const on = (v: unknown): boolean => v !== false;
const port = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v > 0 && v < 65536 ? v : undefined);

/** Where a component's scrape goes: node or control-plane addresses (outside the pod network), or pods. */
export type ScrapeTarget =
  | { readonly kind: "outside"; readonly what: string; readonly ports: readonly number[] }
  | { readonly kind: "pods"; readonly what: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly ports: readonly number[] };

export interface ComponentScrape {
  /** The chart's values key (`kubeEtcd`, `coreDns`, …). */
  readonly key: string;
  readonly target: ScrapeTarget;
}

/**
 * The Kubernetes components a kube-prometheus-stack release scrapes besides the kubelet (rule `kubelet-scrape`),
 * from its values and the chart's defaults, and where each scrape goes. Read in prometheus-community/helm-charts
 * charts/kube-prometheus-stack at ea930baeebeba39f56d6b44e351f23b2a072a600 (chart 88.5.3; the pinned 91.5.0 is not
 * in the stored snapshot): templates/exporters/<component>/servicemonitor.yaml render when `<component>.enabled`,
 * `<component>.serviceMonitor.enabled` (kube-dns: `kubeDns.enabled` only) and `kubernetesServiceMonitors.enabled`;
 * values.yaml defaults all of them on but `kubeDns`. Targets: kube-api-server/servicemonitor.yaml, the
 * `default/kubernetes` Endpoints (the API server's own addresses); kube-controller-manager, kube-scheduler,
 * kube-etcd and kube-proxy service.yaml, headless Services in kube-system selecting the static pods / host-network
 * DaemonSet (`component: kube-controller-manager` 10257, `component: kube-scheduler` 10259 on Kubernetes >= 1.22,
 * `component: etcd` 2381, `k8s-app: kube-proxy` 10249), so node addresses; core-dns/service.yaml and
 * kube-dns/service.yaml, pods `k8s-app: kube-dns` in kube-system on 9153 (kube-dns: 10054 and 10055). A
 * `service.targetPort`, else `service.port`, overrides the default port; `service.selector` the pods' labels.
 */
export function componentScrapes(values: Readonly<Record<string, unknown>>): ComponentScrape[] {
  if (!on(obj(values["kubernetesServiceMonitors"])["enabled"])) return [];
  const v = (key: string) => obj(values[key]);
  const sm = (key: string) => on(v(key)["enabled"]) && on(obj(v(key)["serviceMonitor"])["enabled"]);
  const svcPort = (key: string, dflt: number) => port(obj(v(key)["service"])["targetPort"]) ?? port(obj(v(key)["service"])["port"]) ?? dflt;
  const selector = (key: string, dflt: Record<string, string>): Record<string, string> => {
    const s = obj(obj(v(key)["service"])["selector"]);
    const entries = Object.entries(s).filter((e): e is [string, string] => typeof e[1] === "string");
    return entries.length ? Object.fromEntries(entries) : dflt;
  };
  const out: ComponentScrape[] = [];
  if (sm("kubeApiServer")) out.push({ key: "kubeApiServer", target: { kind: "outside", what: "the API server's addresses (Endpoints of default/kubernetes)", ports: API_SERVER_PORTS } });
  if (sm("kubeControllerManager")) out.push({ key: "kubeControllerManager", target: { kind: "outside", what: "the kube-controller-manager on the control-plane nodes", ports: [svcPort("kubeControllerManager", 10257)] } });
  if (sm("kubeScheduler")) out.push({ key: "kubeScheduler", target: { kind: "outside", what: "the kube-scheduler on the control-plane nodes", ports: [svcPort("kubeScheduler", 10259)] } });
  if (sm("kubeEtcd")) out.push({ key: "kubeEtcd", target: { kind: "outside", what: "etcd on the control-plane nodes", ports: [svcPort("kubeEtcd", 2381)] } });
  if (sm("kubeProxy")) out.push({ key: "kubeProxy", target: { kind: "outside", what: "kube-proxy on every node", ports: [svcPort("kubeProxy", 10249)] } });
  if (sm("coreDns")) out.push({ key: "coreDns", target: { kind: "pods", what: "CoreDNS", namespace: "kube-system", labels: selector("coreDns", { "k8s-app": "kube-dns" }), ports: [svcPort("coreDns", 9153)] } });
  if (v("kubeDns")["enabled"] === true) {
    const s = obj(v("kubeDns")["service"]);
    const p = (k: string, d: number) => port(obj(s[k])["targetPort"]) ?? port(obj(s[k])["port"]) ?? d;
    out.push({ key: "kubeDns", target: { kind: "pods", what: "kube-dns", namespace: "kube-system", labels: selector("kubeDns", { "k8s-app": "kube-dns" }), ports: [p("dnsmasq", 10054), p("skydns", 10055)] } });
  }
  return out;
}

/**
 * Every component scrape a kube-prometheus-stack release in the monitoring namespace renders can reach its target
 * under that namespace's NetworkPolicies (and, for pods, the target namespace's ingress policies in the render).
 * A scrape that cannot is a target always down: `TargetDown` fires on a healthy cluster, and the component's own
 * `absent(up{job=…})` alert (KubeControllerManagerDown, KubeSchedulerDown, KubeProxyDown) with it. socle turns off
 * what cannot work (charts/platform/values.ts `COMPONENT_SCRAPES`); this rule catches the chart's defaults coming
 * back, or a policy change that cuts a kept scrape.
 */
export const componentScrape: CheckRule = {
  id: "component-scrape",
  description:
    "Every Kubernetes component a kube-prometheus-stack release in socle-monitoring scrapes (API server, controller manager, scheduler, etcd, kube-proxy, CoreDNS) may be reached by Prometheus under the NetworkPolicies",
  run(model) {
    const releases = prometheusReleases(model).filter((r) => r.instance.namespace === MONITORING_NAMESPACE);
    if (releases.length === 0) return [];
    const policies = networkPolicies(model.objects);
    const prometheus = podWorkload("prometheus", MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS, [PLATFORM_PORTS.prometheus]);
    const out: CheckFinding[] = [];
    for (const r of releases) {
      for (const c of componentScrapes(r.instance.values)) {
        const t = c.target;
        let blocked: readonly number[];
        let where: string;
        if (t.kind === "outside") {
          blocked = canEgressOutside(policies, prometheus, t.ports) ? [] : t.ports;
          where = `${MONITORING_NAMESPACE}'s egress NetworkPolicies allow no address outside the pod network on ${t.ports.join("/")}`;
        } else {
          const dest = podWorkload(c.key, t.namespace, t.labels, t.ports);
          blocked = t.ports.filter((p) => !canEgressTo(policies, prometheus, dest, p) || !canIngressFrom(policies, prometheus, dest, p));
          where = `the NetworkPolicies deny Prometheus pods ${JSON.stringify(PROMETHEUS_POD_LABELS)} reaching pods ${JSON.stringify(t.labels)} in ${t.namespace} on ${blocked.join("/")}`;
        }
        if (blocked.length === 0) continue;
        out.push({
          rule: "component-scrape",
          severity: "blocker",
          object: `Release/${r.instance.namespace}/${r.instance.name}`,
          path: `values.${c.key}.enabled`,
          message: `Prometheus scrapes ${t.what} (the chart's ${c.key} ServiceMonitor, on ${t.ports.join("/")}), but ${where}: the target is always down, TargetDown fires on a healthy cluster, and so does the component's absent() alert`,
          fix: `turn the scrape off (${c.key}.enabled: false, and its defaultRules.rules groups; charts/platform/values.ts COMPONENT_SCRAPES), or allow the flow with a NetworkPolicy as narrow as the target (charts/platform/namespaces.ts, monitoring policies)`,
        });
      }
    }
    return out;
  },
};
