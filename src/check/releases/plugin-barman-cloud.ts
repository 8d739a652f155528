/**
 * CloudNativePG's Barman Cloud plugin chart at 0.7.0 (plugin v0.13.0), read at
 * cloudnative-pg/charts@plugin-barman-cloud-v0.7.0 (83bd9c59514cb7ff3692049d85ba604dcb458700):charts/plugin-barman-cloud.
 */
import type { KubernetesObject } from "../../../policies/types";
import { ANNOTATIONS, asString, isObject } from "../k8s";
import { service, serviceAccount, workload, type ReleaseContract, type ReleaseInstance } from "./types";

const AT = "cloudnative-pg/charts@plugin-barman-cloud-v0.7.0";
const T = `${AT}:charts/plugin-barman-cloud/templates`;

const CHART_NAME = "plugin-barman-cloud";

/** templates/_helpers.tpl `plugin-barman-cloud.fullname`: the release name when it contains the chart name, else `<release>-<chart>`. */
function fullname(release: string, values: Readonly<Record<string, unknown>>): string {
  const override = asString(values.fullnameOverride);
  if (override) return override.slice(0, 63).replace(/-+$/, "");
  const name = asString(values.nameOverride) || CHART_NAME;
  return (release.includes(name) ? release : `${release}-${name}`).slice(0, 63).replace(/-+$/, "");
}

function section(values: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  const v = values[key];
  return isObject(v) ? v : {};
}

export const PLUGIN_BARMAN_CLOUD_V0_7_0: ReleaseContract = {
  chart: "plugin-barman-cloud",
  version: "0.7.0",
  readAt: `${AT}:charts/plugin-barman-cloud`,
  objects(r: ReleaseInstance): KubernetesObject[] {
    const v = r.values;
    const fn = fullname(r.name, v);
    // _helpers.tpl `plugin-barman-cloud.selectorLabels`: app.kubernetes.io/name (chart name or nameOverride), app.kubernetes.io/instance (release).
    const selector = { "app.kubernetes.io/name": asString(v.nameOverride) || CHART_NAME, "app.kubernetes.io/instance": r.name };
    // values.yaml service.name `barman-cloud`, service.port 9090; service.yaml targetPort 9090.
    const svc = section(v, "service");
    const svcName = asString(svc.name) || "barman-cloud";
    const svcPort = typeof svc.port === "number" ? svc.port : 9090;
    // values.yaml certificate.createClientCertificate / createServerCertificate: true.
    const cert = section(v, "certificate");
    const sa = section(v, "serviceAccount");
    const saName = sa.create === false ? asString(sa.name) || "default" : asString(sa.name) || fn; // _helpers.tpl serviceAccountName
    const meta = (name: string, source: string) => ({ name, namespace: r.namespace, annotations: { [ANNOTATIONS.installedBy]: `${r.name}@${this.version}`, [ANNOTATIONS.source]: source } });
    const issuer = `${fn}-selfsigned-issuer`;
    const out: KubernetesObject[] = [
      // deployment.yaml: one container `barman-cloud`, containerPort 9090 (`--server-address=:9090`), readiness tcpSocket 9090;
      // mounts Secrets barman-cloud-server-tls at /server and barman-cloud-client-tls at /client (not optional);
      // env SIDECAR_IMAGE from ConfigMap plugin-barman-cloud-config; `--leader-elect` and rbac.yaml (secrets,
      // objectstores, roles): it talks to the API server.
      workload("Deployment", fn, r, this, {
        labels: selector,
        ports: [{ containerPort: 9090 }],
        serviceAccountName: saName,
        volumes: [
          { name: "server", secret: { secretName: "barman-cloud-server-tls" } },
          { name: "client", secret: { secretName: "barman-cloud-client-tls" } },
        ],
        needsApiServer: true,
        source: `${T}/deployment.yaml`,
      }),
      // service.yaml: Service <service.name> port <service.port> -> 9090, selector = selectorLabels; the CloudNativePG
      // operator finds it by label cnpg.io/pluginName and calls it with the client certificate (annotations
      // cnpg.io/pluginClientSecret barman-cloud-client-tls, cnpg.io/pluginServerSecret barman-cloud-server-tls).
      service(svcName, r, this, selector, [{ port: svcPort, targetPort: 9090 }], `${T}/service.yaml`),
      // configmap.yaml: SIDECAR_IMAGE, the image the plugin injects into the instance pods.
      { apiVersion: "v1", kind: "ConfigMap", metadata: meta("plugin-barman-cloud-config", `${T}/configmap.yaml`), data: { SIDECAR_IMAGE: "" } },
      // certificate-issuer.yaml: a selfSigned Issuer `<fullname>-selfsigned-issuer`, unconditional.
      { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta(issuer, `${T}/certificate-issuer.yaml`), spec: { selfSigned: {} } },
    ];
    if (sa.create !== false) out.push(serviceAccount(saName, r, this, `${T}/rbac.yaml`));
    // client-certificate.yaml / server-certificate.yaml: Certificates barman-cloud-client and barman-cloud-server, each
    // issued by that Issuer into Secret barman-cloud-client-tls / barman-cloud-server-tls (server dnsNames: service.name).
    if (cert.createClientCertificate !== false) {
      out.push({
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: meta("barman-cloud-client", `${T}/client-certificate.yaml`),
        spec: { secretName: "barman-cloud-client-tls", commonName: "barman-cloud-client", usages: ["client auth"], issuerRef: { group: "cert-manager.io", kind: "Issuer", name: issuer } },
      });
    }
    if (cert.createServerCertificate !== false) {
      out.push({
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: meta("barman-cloud-server", `${T}/server-certificate.yaml`),
        spec: { secretName: "barman-cloud-server-tls", commonName: svcName, dnsNames: [svcName], usages: ["server auth"], issuerRef: { group: "cert-manager.io", kind: "Issuer", name: issuer } },
      });
    }
    return out;
  },
};
