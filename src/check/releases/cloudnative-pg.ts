/** CloudNativePG's chart at 0.29.0 (operator 1.30.0), read at cloudnative-pg/charts@cloudnative-pg-v0.29.0:charts/cloudnative-pg. */
import type { KubernetesObject } from "../../../policies/types";
import { producedSecret, service, webhookConfiguration, workload, type ReleaseContract, type ReleaseInstance } from "./types";

const AT = "cloudnative-pg/charts@cloudnative-pg-v0.29.0";
const T = `${AT}:charts/cloudnative-pg/templates`;

function fullname(release: string): string {
  return release.includes("cloudnative-pg") ? release : `${release}-cloudnative-pg`;
}

export const CNPG_V0_29_0: ReleaseContract = {
  chart: "cloudnative-pg",
  version: "0.29.0",
  readAt: `${AT}:charts/cloudnative-pg`,
  objects(r: ReleaseInstance): KubernetesObject[] {
    const selector = { "app.kubernetes.io/name": "cloudnative-pg", "app.kubernetes.io/instance": r.name }; // cloudnative-pg.selectorLabels
    const fn = fullname(r.name);
    const hooks = (names: readonly string[]) => names.map((n) => ({ name: `${n}.cnpg.io`, service: "cnpg-webhook-service", port: 443, failurePolicy: "Fail" as const }));
    return [
      // deployment.yaml: metrics 8080, webhook-server values webhook.port 9443; mounts Secret cnpg-webhook-cert (optional: the operator creates it).
      workload("Deployment", fn, r, this, {
        labels: selector,
        ports: [
          { name: "metrics", containerPort: 8080 },
          { name: "webhook-server", containerPort: 9443 },
        ],
        serviceAccountName: fn,
        volumes: [{ name: "webhook-certificates", secret: { secretName: "cnpg-webhook-cert", optional: true } }],
        needsApiServer: true,
        source: `${T}/deployment.yaml`,
      }),
      // service.yaml: values service.name cnpg-webhook-service, service.port 443 -> webhook-server.
      service("cnpg-webhook-service", r, this, selector, [{ name: "webhook-server", port: 443, targetPort: "webhook-server" }], `${T}/service.yaml`),
      // mutatingwebhookconfiguration.yaml / validatingwebhookconfiguration.yaml: failurePolicy values webhook.*.failurePolicy = Fail.
      webhookConfiguration("MutatingWebhookConfiguration", "cnpg-mutating-webhook-configuration", r, this, hooks(["mbackup", "mcluster", "mdatabase", "mscheduledbackup"]), `${T}/mutatingwebhookconfiguration.yaml`),
      webhookConfiguration(
        "ValidatingWebhookConfiguration",
        "cnpg-validating-webhook-configuration",
        r,
        this,
        hooks(["vbackup", "vcluster", "vscheduledbackup", "vdatabase", "vpooler"]),
        `${T}/validatingwebhookconfiguration.yaml`,
      ),
      producedSecret("cnpg-webhook-cert", r, this, undefined, "the CloudNativePG operator (webhook certificate)", `${T}/deployment.yaml`),
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: fn, namespace: r.namespace, annotations: { "check.socle.io/source": `${T}/rbac.yaml` } } },
    ];
  },
};
