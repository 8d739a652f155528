/**
 * kube-prometheus-stack. The pinned 91.5.0 is not in the stored snapshot of prometheus-community/helm-charts
 * (newest charts/kube-prometheus-stack/Chart.yaml there: 88.5.3, commit ea930bae); the operator's facts are read
 * there and marked unresolved. With `prometheusOperator.admissionWebhooks.enabled: false` (socle's values) the
 * chart installs no webhook and no patch hook Jobs.
 */
import type { KubernetesObject } from "../../../policies/types";
import { workload, type ReleaseContract, type ReleaseInstance } from "./types";

const AT = "prometheus-community/helm-charts@ea930baeebeba39f56d6b44e351f23b2a072a600";
const T = `${AT}:charts/kube-prometheus-stack/templates`;

export const KUBE_PROMETHEUS_STACK_V91_5_0: ReleaseContract = {
  chart: "kube-prometheus-stack",
  version: "91.5.0",
  readAt: `${AT}:charts/kube-prometheus-stack (chart 88.5.3)`,
  unresolved: "chart 91.5.0 is not in the stored snapshot of prometheus-community/helm-charts; the templates are read at chart 88.5.3",
  objects(r: ReleaseInstance): KubernetesObject[] {
    const po = (r.values.prometheusOperator ?? {}) as { admissionWebhooks?: { enabled?: unknown }; tls?: { enabled?: unknown } };
    const out: KubernetesObject[] = [
      // prometheus-operator/deployment.yaml pod labels = prometheus-operator/_prometheus-operator.tpl (app: <name>-operator,
      // app.kubernetes.io/name: <name>-prometheus-operator, component prometheus-operator, release); http 8080 when tls is off.
      workload("Deployment", `${r.name}-operator`, r, this, {
        labels: {
          app: "kube-prometheus-stack-operator",
          "app.kubernetes.io/name": "kube-prometheus-stack-prometheus-operator",
          "app.kubernetes.io/component": "prometheus-operator",
          "app.kubernetes.io/instance": r.name,
          release: r.name,
        },
        ports: po.tls?.enabled === false ? [{ name: "http", containerPort: 8080 }] : [{ name: "https", containerPort: 10250 }, { name: "http", containerPort: 8080 }],
        needsApiServer: true,
        source: `${T}/prometheus-operator/deployment.yaml`,
      }),
    ];
    if (po.admissionWebhooks?.enabled !== false) {
      // Not modelled: with admission webhooks on, the chart adds patch hook Jobs and webhook configurations.
      out.push(workload("Job", `${r.name}-admission-create`, r, this, { labels: { app: "kube-prometheus-stack-admission-create" }, needsApiServer: true, source: `${T}/prometheus-operator/admission-webhooks/job-patch/job-createSecret.yaml` }, "pre-install,pre-upgrade"));
    }
    return out;
  },
};
