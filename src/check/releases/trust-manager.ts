/** trust-manager's chart at v0.19.0, read at cert-manager/trust-manager@v0.19.0:deploy/charts/trust-manager. */
import type { KubernetesObject } from "../../../policies/types";
import { service, serviceAccount, webhookConfiguration, workload, type ReleaseContract, type ReleaseInstance } from "./types";
import { ANNOTATIONS } from "../k8s";

const AT = "cert-manager/trust-manager@v0.19.0";
const T = `${AT}:deploy/charts/trust-manager/templates`;

export const TRUST_MANAGER_V0_19_0: ReleaseContract = {
  chart: "trust-manager",
  version: "v0.19.0",
  readAt: `${AT}:deploy/charts/trust-manager`,
  objects(r: ReleaseInstance): KubernetesObject[] {
    const name = "trust-manager"; // trust-manager.name = .Chart.Name (templates/_helpers.tpl)
    const labels = { app: name }; // deployment.yaml pod labels
    return [
      // deployment.yaml: containerPort app.webhook.port (6443, "webhook") and app.metrics.port (9402, "metrics");
      // readiness on app.readinessProbe.port 6060 (values.yaml); mounts Secret trust-manager-tls at /tls.
      workload("Deployment", name, r, this, {
        labels,
        ports: [
          { name: "webhook", containerPort: 6443 },
          { name: "metrics", containerPort: 9402 },
        ],
        serviceAccountName: name,
        volumes: [{ name: "tls", secret: { secretName: `${name}-tls` } }],
        needsApiServer: true,
        source: `${T}/deployment.yaml`,
      }),
      // webhook.yaml: Service trust-manager 443 -> 6443, ValidatingWebhookConfiguration failurePolicy Fail on bundles.
      service(name, r, this, labels, [{ name: "webhook", port: 443, targetPort: 6443 }], `${T}/webhook.yaml`),
      webhookConfiguration("ValidatingWebhookConfiguration", name, r, this, [{ name: "trust.cert-manager.io", service: name, port: 443, failurePolicy: "Fail" }], `${T}/webhook.yaml`),
      serviceAccount(name, r, this, `${T}/serviceaccount.yaml`),
      // certificate.yaml (app.webhook.tls.helmCert.enabled false, the default): an Issuer and a Certificate whose secretName is trust-manager-tls.
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name, namespace: r.namespace, annotations: { [ANNOTATIONS.installedBy]: `${r.name}@${this.version}`, [ANNOTATIONS.source]: `${T}/certificate.yaml` } },
        spec: { secretName: `${name}-tls`, issuerRef: { name, kind: "Issuer" } },
      },
    ];
  },
};
