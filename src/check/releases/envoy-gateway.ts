/**
 * Envoy Gateway's `gateway-helm` chart. The tag v1.8.4 is not in the stored snapshot of envoyproxy/gateway
 * (tags stop at v1.8.3 on the 1.8 line); the chart templates are identical at v1.8.3 and at the head of
 * `release/v1.8` (commit 61bbf19e, 2026-08-21, `git diff --stat v1.8.3 release/v1.8 -- charts/gateway-helm` is
 * empty), so v1.8.4, cut from that branch in between, is read from them; `unresolved` says so.
 * v1.9.0 is read at its tag. Between v1.8.3 and v1.9.0 the facts below do not change (the diff of the chart
 * adds probes from values, pod security contexts and `automountServiceAccountToken: true`; labels, ports, the
 * certgen hook and the webhook are the same). v1.9.1 (the controller image's tag) is not in the snapshot:
 * read at v1.9.0, the head of `release/v1.9` there, and marked unresolved.
 */
import type { KubernetesObject } from "../../../policies/types";
import { producedSecret, service, serviceAccount, webhookConfiguration, workload, type ReleaseContract, type ReleaseInstance } from "./types";


/** `eg.name` is `.Chart.Name` = `gateway-helm` (charts/gateway-helm/Chart.yaml); `eg.fullname` is release-chart unless the release name contains it (templates/_helpers.tpl). */
function fullname(release: string): string {
  return release.includes("gateway-helm") ? release : `${release}-gateway-helm`;
}

function topologyInjectorEnabled(values: Readonly<Record<string, unknown>>): boolean {
  const ti = values.topologyInjector as { enabled?: unknown } | undefined;
  return ti?.enabled !== false; // values.tmpl.yaml: topologyInjector.enabled: true
}

function envoyGatewayContract(version: string, tag: string, readAt: string, unresolved?: string): ReleaseContract {
  const AT = `envoyproxy/gateway@${tag}`;
  const T = `${AT}:charts/gateway-helm/templates`;
  return {
    chart: "oci://docker.io/envoyproxy/gateway-helm",
    version,
    readAt,
    ...(unresolved ? { unresolved } : {}),
    objects(r: ReleaseInstance): KubernetesObject[] {
      const selector = { "app.kubernetes.io/name": "gateway-helm", "app.kubernetes.io/instance": r.name }; // eg.selectorLabels, _helpers.tpl
      const controllerLabels = { "control-plane": "envoy-gateway", ...selector }; // envoy-gateway-deployment.yaml
      const injector = topologyInjectorEnabled(r.values);
      // values.tmpl.yaml deployment.ports: grpc 18000, ratelimit 18001, wasm 18002, metrics 19001; webhook 9443 with the topology injector.
      const ports = [
        { name: "grpc", containerPort: 18000 },
        { name: "ratelimit", containerPort: 18001 },
        { name: "wasm", containerPort: 18002 },
        { name: "metrics", containerPort: 19001 },
        ...(injector ? [{ name: "webhook", containerPort: 9443 }] : []),
      ];
      const fn = fullname(r.name);
      const out: KubernetesObject[] = [
        workload("Deployment", "envoy-gateway", r, this, {
          labels: controllerLabels,
          ports,
          serviceAccountName: "envoy-gateway",
          volumes: [
            { name: "envoy-gateway-config", configMap: { name: "envoy-gateway-config" } },
            { name: "certs", secret: { secretName: "envoy-gateway" } },
          ],
          needsApiServer: true,
          source: `${T}/envoy-gateway-deployment.yaml`,
        }),
        service(
          "envoy-gateway",
          r,
          this,
          { "control-plane": "envoy-gateway", ...selector },
          [...ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.containerPort }))],
          `${T}/envoy-gateway-service.yaml`,
        ),
        serviceAccount("envoy-gateway", r, this, `${T}/envoy-gateway-serviceaccount.yaml`),
        serviceAccount(`${fn}-certgen`, r, this, `${T}/certgen-rbac.yaml`),
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "envoy-gateway-config", namespace: r.namespace, annotations: { "check.socle.io/source": `${T}/envoy-gateway-config.yaml` } } },
        // certgen.yaml: a `pre-install, pre-upgrade` hook Job whose pods carry only `app: certgen` (plus
        // certgen.job.pod.labels); it runs `envoy-gateway certgen`, which writes the Secrets below through the API server.
        workload(
          "Job",
          `${fn}-certgen`,
          r,
          this,
          { labels: { app: "certgen" }, serviceAccountName: `${fn}-certgen`, needsApiServer: true, source: `${T}/certgen.yaml` },
          "pre-install,pre-upgrade",
        ),
        // internal/provider/kubernetes/secrets.go CertsToSecret: envoy-gateway, envoy, envoy-rate-limit (ca.crt, tls.crt, tls.key), envoy-oidc-hmac (hmac-secret).
        ...["envoy-gateway", "envoy", "envoy-rate-limit"].map((n) =>
          producedSecret(n, r, this, ["ca.crt", "tls.crt", "tls.key"], "the certgen hook Job", `${AT}:internal/provider/kubernetes/secrets.go`),
        ),
        producedSecret("envoy-oidc-hmac", r, this, ["hmac-secret"], "the certgen hook Job", `${AT}:internal/provider/kubernetes/secrets.go`),
      ];
      if (injector) {
        // envoy-proxy-topology-injector-webhook.yaml: service envoy-gateway:9443, failurePolicy Ignore.
        out.push(
          webhookConfiguration(
            "MutatingWebhookConfiguration",
            `envoy-gateway-topology-injector.${r.namespace}`,
            r,
            this,
            [{ name: "topology.webhook.gateway.envoyproxy.io", service: "envoy-gateway", port: 9443, failurePolicy: "Ignore" }],
            `${T}/envoy-proxy-topology-injector-webhook.yaml`,
          ),
        );
      }
      return out;
    },
  };
}

export const ENVOY_GATEWAY_V1_8_4 = envoyGatewayContract(
  "v1.8.4",
  "v1.8.3",
  "envoyproxy/gateway@v1.8.3 and envoyproxy/gateway@61bbf19e675b2c3afeaae4ebf4c30da0425a7c39 (release/v1.8)",
  "tag v1.8.4 is not in the stored snapshot of envoyproxy/gateway; its chart templates are read at v1.8.3 and at the release/v1.8 head, which are identical",
);

export const ENVOY_GATEWAY_V1_9_0 = envoyGatewayContract("v1.9.0", "v1.9.0", "envoyproxy/gateway@v1.9.0:charts/gateway-helm");

export const ENVOY_GATEWAY_V1_9_1 = envoyGatewayContract(
  "v1.9.1",
  "v1.9.0",
  "envoyproxy/gateway@v1.9.0 (= release/v1.9 head 39763b1c in the stored snapshot)",
  "tag v1.9.1 is not in the stored snapshot of envoyproxy/gateway; its chart templates are read at v1.9.0, the head of release/v1.9 there",
);
