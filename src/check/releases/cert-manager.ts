/** cert-manager's chart at v1.21.1, read at cert-manager/cert-manager@v1.21.1:deploy/charts/cert-manager. */
import type { KubernetesObject } from "../../../policies/types";
import { producedSecret, service, serviceAccount, webhookConfiguration, workload, type ReleaseContract, type ReleaseInstance } from "./types";

const AT = "cert-manager/cert-manager@v1.21.1";
const T = `${AT}:deploy/charts/cert-manager/templates`;

/** `cert-manager.fullname` (templates/_helpers.tpl): the release name when it contains the chart name, else `<release>-cert-manager`. */
function fullname(release: string): string {
  return release.includes("cert-manager") ? release : `${release}-cert-manager`;
}

export const CERT_MANAGER_V1_21_1: ReleaseContract = {
  chart: "cert-manager",
  version: "v1.21.1",
  readAt: `${AT}:deploy/charts/cert-manager`,
  objects(r: ReleaseInstance): KubernetesObject[] {
    const fn = fullname(r.name);
    const webhookName = `${fn}-webhook`; // webhook.fullname
    const labels = (name: string, component: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/instance": r.name, "app.kubernetes.io/component": component });
    const startupapicheck = (r.values.startupapicheck as { enabled?: unknown } | undefined)?.enabled !== false; // values.yaml startupapicheck.enabled: true
    const out: KubernetesObject[] = [
      workload("Deployment", fn, r, this, {
        labels: labels("cert-manager", "controller"),
        ports: [
          { name: "http-metrics", containerPort: 9402 },
          { name: "http-healthz", containerPort: 9403 },
        ],
        serviceAccountName: fn,
        needsApiServer: true,
        source: `${T}/deployment.yaml`,
      }),
      // webhook-deployment.yaml: https on values webhook.securePort (10250), healthcheck 6080, metrics 9402.
      workload("Deployment", webhookName, r, this, {
        labels: labels("webhook", "webhook"),
        ports: [
          { name: "https", containerPort: 10250 },
          { name: "healthcheck", containerPort: 6080 },
          { name: "http-metrics", containerPort: 9402 },
        ],
        serviceAccountName: webhookName,
        needsApiServer: true,
        source: `${T}/webhook-deployment.yaml`,
      }),
      workload("Deployment", `${fn}-cainjector`, r, this, {
        labels: labels("cainjector", "cainjector"),
        ports: [{ name: "http-metrics", containerPort: 9402 }],
        serviceAccountName: `${fn}-cainjector`,
        needsApiServer: true,
        source: `${T}/cainjector-deployment.yaml`,
      }),
      service(webhookName, r, this, labels("webhook", "webhook"), [{ name: "https", port: 443, targetPort: "https" }, { name: "metrics", port: 9402, targetPort: "http-metrics" }], `${T}/webhook-service.yaml`),
      serviceAccount(fn, r, this, `${T}/serviceaccount.yaml`),
      serviceAccount(webhookName, r, this, `${T}/webhook-serviceaccount.yaml`),
      serviceAccount(`${fn}-cainjector`, r, this, `${T}/cainjector-serviceaccount.yaml`),
      // webhook-deployment.yaml --dynamic-serving-ca-secret-name=<webhook>-ca: the webhook writes its serving CA through the API.
      producedSecret(`${webhookName}-ca`, r, this, undefined, "the cert-manager webhook (dynamic serving CA)", `${T}/webhook-deployment.yaml`),
      // webhook-mutating-webhook.yaml / webhook-validating-webhook.yaml: clientConfig.service <webhook>:443 (port defaults to 443), path /mutate and /validate; failurePolicy Fail.
      webhookConfiguration("MutatingWebhookConfiguration", webhookName, r, this, [{ name: "webhook.cert-manager.io", service: webhookName, port: 443, failurePolicy: "Fail" }], `${T}/webhook-mutating-webhook.yaml`),
      webhookConfiguration("ValidatingWebhookConfiguration", webhookName, r, this, [{ name: "webhook.cert-manager.io", service: webhookName, port: 443, failurePolicy: "Fail" }], `${T}/webhook-validating-webhook.yaml`),
    ];
    if (startupapicheck) {
      // startupapicheck-job.yaml + values.yaml startupapicheck.jobAnnotations: a post-install hook that calls the API server.
      out.push(
        workload(
          "Job",
          `${fn}-startupapicheck`,
          r,
          this,
          { labels: { app: "startupapicheck", ...labels("startupapicheck", "startupapicheck") }, serviceAccountName: `${fn}-startupapicheck`, needsApiServer: true, source: `${T}/startupapicheck-job.yaml` },
          "post-install",
        ),
        serviceAccount(`${fn}-startupapicheck`, r, this, `${T}/startupapicheck-serviceaccount.yaml`),
      );
    }
    return out;
  },
};
