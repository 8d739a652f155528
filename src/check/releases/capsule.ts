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

/**
 * The webhooks the controller registers (templates/configuration.yaml: the CapsuleConfiguration's
 * `spec.admission.validating` and `.mutating`, both named `<fullname>-dynamic-webhook`, which the controller
 * writes as a ValidatingWebhookConfiguration and a MutatingWebhookConfiguration), each from its values key
 * under `webhooks.hooks` with that key's default `enabled` and `failurePolicy` (values.yaml).
 */
export const CAPSULE_WEBHOOKS: readonly { kind: "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration"; name: string; key: string; enabled: boolean; failurePolicy: "Fail" | "Ignore" }[] = [
  ...(
    [
      ["generic.rules", "generic", true, "Fail"],
      ["namespaces", "namespaces", true, "Fail"],
      ["rulestatus", "rulestatus", true, "Fail"],
      ["customresources", "customresources", true, "Fail"],
      ["cordoning", "cordoning", true, "Fail"],
      ["devices", "devices", true, "Fail"],
      ["gateway", "gateways", true, "Fail"],
      ["ingress", "ingresses", true, "Fail"],
      ["nodes", "nodes", false, "Fail"],
      ["pods", "pods", true, "Fail"],
      ["pvc", "persistentvolumeclaims", true, "Fail"],
      ["services", "services", true, "Fail"],
      ["managed", "managed", true, "Fail"],
      ["replications", "replications", true, "Fail"],
      ["tenants", "tenants", true, "Fail"],
      ["owners", "owners", true, "Fail"],
      ["resourcepools", "resourcepools.pools", true, "Fail"],
      ["resourcepoolclaims", "resourcepools.pools", true, "Fail"],
      ["serviceaccounts", "serviceaccounts", true, "Fail"],
      ["config", "config", true, "Ignore"],
      ["namespaced.custom-quotas", "customquotas", true, "Fail"],
      ["cluster.custom-quotas", "globalcustomquotas", true, "Fail"],
      ["calculation.global-resource-quotas", "globalresourcequotas", true, "Fail"],
      ["calculation.custom-quotas", "calculations", false, "Fail"],
    ] as const
  ).map(([name, key, enabled, failurePolicy]) => ({ kind: "ValidatingWebhookConfiguration" as const, name: `${name}.validating.projectcapsule.dev`, key, enabled, failurePolicy })),
  ...(
    [
      ["generic.rules", "generic", true, "Fail"],
      ["namespaces", "namespaces", true, "Fail"],
      ["pvc", "persistentvolumeclaims", true, "Fail"],
      ["pod", "pods", true, "Fail"],
      ["storage", "persistentvolumeclaims", true, "Fail"],
      ["ingress", "ingresses", true, "Fail"],
      ["gateway", "gateways", true, "Fail"],
      ["resourcepools", "resourcepools.pools", true, "Fail"],
      ["resourcepoolclaims", "resourcepools.claims", true, "Fail"],
      ["tenants", "tenants", true, "Fail"],
      ["metadata", "metadata", true, "Ignore"],
    ] as const
  ).map(([name, key, enabled, failurePolicy]) => ({ kind: "MutatingWebhookConfiguration" as const, name: `${name}.mutating.projectcapsule.dev`, key, enabled, failurePolicy })),
];

type Values = {
  crds?: { install?: boolean; inline?: boolean };
  global?: { jobs?: { preDelete?: { enabled?: boolean } } };
  manager?: { webhookPort?: number; options?: { createConfiguration?: boolean } };
  webhooks?: { service?: { url?: string; name?: string; namespace?: string; port?: number | null }; hooks?: Record<string, unknown> };
};

/** `webhooks.hooks.<key>` (a dotted key walks nested objects), or undefined. */
function hookValues(values: Values, key: string): { enabled?: boolean; failurePolicy?: string } | undefined {
  let v: unknown = values.webhooks?.hooks;
  for (const part of key.split(".")) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === "object" && v !== null ? (v as { enabled?: boolean; failurePolicy?: string }) : undefined;
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
    const values = r.values as Values;
    // `default manager.webhookPort webhooks.service.port` (templates/_pod.tpl, webhook-service.yaml, _helpers.tpl).
    const port = values.webhooks?.service?.port || values.manager?.webhookPort || 9443;
    const out: KubernetesObject[] = [
      // deployment.yaml + _pod.tpl: container ports admission (manager.webhookPort 9443), metrics 8080,
      // health-api 10080 (probes /healthz, /readyz on 10080, values.yaml); Secret <fullname>-tls mounted at
      // /tmp/k8s-webhook-server/serving-certs; the controller watches the API server.
      workload("Deployment", `${full}-controller-manager`, r, this, {
        labels,
        ports: [
          { name: "admission", containerPort: port },
          { name: "metrics", containerPort: 8080 },
          { name: "health-api", containerPort: 10080 },
        ],
        serviceAccountName: full,
        volumes: [{ name: "cert", secret: { secretName: tls } }],
        needsApiServer: true,
        source: `${T}/deployment.yaml`,
      }),
      // webhook-service.yaml: port admission <port> -> <port>.
      service(webhookService, r, this, labels, [{ name: "admission", port, targetPort: port }], `${T}/webhook-service.yaml`),
      serviceAccount(full, r, this, `${T}/serviceaccount.yaml`),
      // certificate.yaml (certManager.generateCertificates: true by default): a self-signed Issuer and a
      // Certificate whose secretName is <fullname>-tls.
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: `${full}-webhook-cert`, namespace: r.namespace, annotations: { [ANNOTATIONS.installedBy]: `${r.name}@${this.version}`, [ANNOTATIONS.source]: `${T}/certificate.yaml` } },
        spec: { secretName: tls, issuerRef: { name: `${full}-webhook-selfsigned`, kind: "Issuer" } },
      },
    ];
    // The webhook configurations are not templates: the controller writes them from the CapsuleConfiguration
    // (templates/configuration.yaml, when manager.options.createConfiguration), every webhook calling
    // webhooks.service.{name,namespace,port} (default <fullname>-webhook-service in the release's namespace on the
    // admission port: _helpers.tpl capsule.webhooks.serviceConfig), or webhooks.service.url when set (no Service).
    if ((values.manager?.options?.createConfiguration ?? true) && !values.webhooks?.service?.url) {
      const target = { service: values.webhooks?.service?.name || webhookService, namespace: values.webhooks?.service?.namespace || r.namespace, port };
      for (const kind of ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"] as const) {
        const hooks = CAPSULE_WEBHOOKS.filter((w) => w.kind === kind)
          .map((w) => ({ w, v: hookValues(values, w.key) }))
          .filter(({ w, v }) => v?.enabled ?? w.enabled)
          .map(({ w, v }) => ({ name: w.name, service: target.service, port: target.port, failurePolicy: (v?.failurePolicy === "Ignore" ? "Ignore" : v?.failurePolicy === "Fail" ? "Fail" : w.failurePolicy) as "Fail" | "Ignore" }));
        if (hooks.length === 0) continue;
        const cfg = webhookConfiguration(kind, `${full}-dynamic-webhook`, r, this, hooks, `${T}/configuration.yaml`);
        // The entries call the target's namespace, which may differ from the release's.
        for (const h of (cfg as unknown as { webhooks: { clientConfig: { service: { namespace: string } } }[] }).webhooks) h.clientConfig.service.namespace = target.namespace;
        out.push(cfg);
      }
    }
    // hooks/crd-lifecycle/job.yaml: when crds.install and not crds.inline (the defaults), a hook Job (helm.sh/hook
    // "pre-install,pre-upgrade", component label crd-install-hook: hooks/crd-lifecycle/_helpers.tpl)
    // <capsule.name>-crds (ServiceAccount of the same name) applies the CRDs with kubectl.
    if ((values.crds?.install ?? true) && !(values.crds?.inline ?? false)) {
      out.push(workload("Job", "capsule-crds", r, this, { labels: { "app.kubernetes.io/name": "crd-install-hook" }, serviceAccountName: "capsule-crds", needsApiServer: true, source: `${T}/hooks/crd-lifecycle/job.yaml` }, "pre-install,pre-upgrade"));
      // hooks/crd-lifecycle/serviceaccount.yaml, under the same condition (hook weight -4, before the Job's -1).
      out.push(serviceAccount("capsule-crds", r, this, `${T}/hooks/crd-lifecycle/serviceaccount.yaml`));
    }
    // hooks/pre-delete/job.yaml: global.jobs.preDelete.enabled (default true), Job <capsule.name>-pre-delete.
    if (values.global?.jobs?.preDelete?.enabled ?? true) {
      out.push(workload("Job", "capsule-pre-delete", r, this, { labels: { "app.kubernetes.io/name": "pre-delete-hook" }, serviceAccountName: "capsule-pre-delete", needsApiServer: true, source: `${T}/hooks/pre-delete/job.yaml` }, "pre-delete"));
      // hooks/pre-delete/serviceaccount.yaml, under the same condition.
      out.push(serviceAccount("capsule-pre-delete", r, this, `${T}/hooks/pre-delete/serviceaccount.yaml`));
    }
    return out;
  },
};
