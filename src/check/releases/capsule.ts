/**
 * Capsule's chart at 0.14.0, read at projectcapsule/capsule@v0.14.0 (65a4e19e028fbbb2703b888d81f02035cf36cefa,
 * the tag the release workflow publishes as chart version 0.14.0: .github/workflows/helm-publish.yml,
 * `VERSION=${GIT_TAG##*v}`), charts/capsule with its default values.
 */
import type { KubernetesObject } from "../../../policies/types";
import { ANNOTATIONS } from "../k8s";
import { service, serviceAccount, webhookConfiguration, workload, type ReleaseContract, type ReleaseInstance } from "./types";

const AT = "projectcapsule/capsule@v0.14.0";
const T = `${AT}:charts/capsule/templates`;

/** `capsule.fullname` (templates/_helpers.tpl): the release name when it contains "capsule", else `<release>-capsule`. */
function fullname(release: string): string {
  return release.includes("capsule") ? release : `${release}-capsule`;
}

export const CAPSULE_V0_14_0: ReleaseContract = {
  chart: "oci://ghcr.io/projectcapsule/charts/capsule",
  version: "0.14.0",
  readAt: `${AT}:charts/capsule`,
  objects(r: ReleaseInstance): KubernetesObject[] {
    const full = fullname(r.name);
    // capsule.selectorLabels: app.kubernetes.io/name = capsule.name (.Chart.Name), app.kubernetes.io/instance = release.
    const labels = { "app.kubernetes.io/name": "capsule", "app.kubernetes.io/instance": r.name };
    const webhookService = `${full}-webhook-service`;
    const tls = `${full}-tls`; // capsule.secretTlsName (tls.name empty by default)
    const values = r.values as { crds?: { install?: boolean; inline?: boolean }; global?: { jobs?: { preDelete?: { enabled?: boolean } } } };
    const out: KubernetesObject[] = [
      // deployment.yaml + _pod.tpl: container ports admission (manager.webhookPort 9443), metrics 8080,
      // health-api 10080 (probes /healthz, /readyz on 10080, values.yaml); Secret <fullname>-tls mounted at
      // /tmp/k8s-webhook-server/serving-certs; the controller watches the API server.
      workload("Deployment", `${full}-controller-manager`, r, this, {
        labels,
        ports: [
          { name: "admission", containerPort: 9443 },
          { name: "metrics", containerPort: 8080 },
          { name: "health-api", containerPort: 10080 },
        ],
        serviceAccountName: full,
        volumes: [{ name: "cert", secret: { secretName: tls } }],
        needsApiServer: true,
        source: `${T}/deployment.yaml`,
      }),
      // webhook-service.yaml: port admission 9443 -> 9443.
      service(webhookService, r, this, labels, [{ name: "admission", port: 9443, targetPort: 9443 }], `${T}/webhook-service.yaml`),
      serviceAccount(full, r, this, `${T}/serviceaccount.yaml`),
      // certificate.yaml (certManager.generateCertificates: true by default): a self-signed Issuer and a
      // Certificate whose secretName is <fullname>-tls.
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: `${full}-webhook-cert`, namespace: r.namespace, annotations: { [ANNOTATIONS.installedBy]: `${r.name}@${this.version}`, [ANNOTATIONS.source]: `${T}/certificate.yaml` } },
        spec: { secretName: tls, issuerRef: { name: `${full}-webhook-selfsigned`, kind: "Issuer" } },
      },
      // The webhook configurations are not templates: the controller writes them, under the names
      // configuration.yaml gives (<fullname>-validating-webhook-configuration, <fullname>-mutating-webhook-configuration),
      // calling <fullname>-webhook-service on 9443. Only the flow matters to the checks (API server -> service,
      // failurePolicy Fail from values.yaml webhooks.hooks.generic); the entry's name below is that values key,
      // not the name the controller gives it (not read here), and only the validating side is modelled.
      webhookConfiguration("ValidatingWebhookConfiguration", `${full}-validating-webhook-configuration`, r, this, [{ name: "webhooks.hooks.generic", service: webhookService, port: 9443, failurePolicy: "Fail" }], `${T}/configuration.yaml`),
    ];
    // hooks/crd-lifecycle/job.yaml: when crds.install and not crds.inline (the defaults), a hook Job (helm.sh/hook
    // "pre-install,pre-upgrade", component label crd-install-hook: hooks/crd-lifecycle/_helpers.tpl)
    // <capsule.name>-crds (ServiceAccount of the same name) applies the CRDs with kubectl.
    if ((values.crds?.install ?? true) && !(values.crds?.inline ?? false)) {
      out.push(workload("Job", "capsule-crds", r, this, { labels: { "app.kubernetes.io/name": "crd-install-hook" }, serviceAccountName: "capsule-crds", needsApiServer: true, source: `${T}/hooks/crd-lifecycle/job.yaml` }, "pre-install,pre-upgrade"));
    }
    // hooks/pre-delete/job.yaml: global.jobs.preDelete.enabled (default true), Job <capsule.name>-pre-delete.
    if (values.global?.jobs?.preDelete?.enabled ?? true) {
      out.push(workload("Job", "capsule-pre-delete", r, this, { labels: { "app.kubernetes.io/name": "pre-delete-hook" }, serviceAccountName: "capsule-pre-delete", needsApiServer: true, source: `${T}/hooks/pre-delete/job.yaml` }, "pre-delete"));
    }
    return out;
  },
};
