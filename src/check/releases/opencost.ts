/**
 * OpenCost's chart at 2.5.17, read at opencost/opencost-helm-chart tag opencost-2.5.17
 * (725bb939d6a631a7b679cef38fe42a3d872efe64), charts/opencost, with the values the release passes.
 */
import type { KubernetesObject } from "../../../policies/types";
import { ANNOTATIONS } from "../k8s";
import { service, serviceAccount, type ReleaseContract, type ReleaseInstance } from "./types";

const AT = "opencost/opencost-helm-chart@opencost-2.5.17";
const T = `${AT}:charts/opencost/templates`;

/** `opencost.fullname` (templates/_helpers.tpl): fullnameOverride, else the release name when it contains "opencost", else `<release>-opencost`. */
function fullname(release: string, override: unknown): string {
  if (typeof override === "string" && override) return override.slice(0, 63).replace(/-+$/, "");
  return (release.includes("opencost") ? release : `${release}-opencost`).slice(0, 63).replace(/-+$/, "");
}

interface Values {
  fullnameOverride?: unknown;
  namespaceOverride?: unknown;
  clusterName?: unknown;
  service?: { enabled?: unknown };
  serviceAccount?: { create?: unknown; name?: unknown };
  opencost?: {
    exporter?: { apiPort?: unknown };
    mcp?: { enabled?: unknown; port?: unknown };
    ui?: { enabled?: unknown; uiPort?: unknown };
    customPricing?: { enabled?: unknown; createConfigmap?: unknown; configmapName?: unknown; configPath?: unknown };
    metrics?: { config?: { enabled?: unknown } };
    prometheus?: { external?: { enabled?: unknown; url?: unknown }; internal?: { serviceName?: unknown; namespaceName?: unknown; port?: unknown; scheme?: unknown; path?: unknown } };
  };
}

const num = (v: unknown, d: number): number => (typeof v === "number" && Number.isInteger(v) ? v : d);
const str = (v: unknown, d: string): string => (typeof v === "string" && v ? v : d);
/** A boolean value with the chart's default: Helm's `if` on an absent key is false, but these keys have defaults in values.yaml. */
const on = (v: unknown, d: boolean): boolean => (typeof v === "boolean" ? v : d);

export const OPENCOST_V2_5_17: ReleaseContract = {
  chart: "opencost",
  version: "2.5.17",
  readAt: `${AT}:charts/opencost`,
  objects(r: ReleaseInstance): KubernetesObject[] {
    const v = r.values as Values;
    const oc = v.opencost ?? {};
    const full = fullname(r.name, v.fullnameOverride);
    const namespace = str(v.namespaceOverride, r.namespace);
    const rr: ReleaseInstance = { ...r, namespace };
    // opencost.selectorLabels: app.kubernetes.io/name = opencost.name (.Chart.Name), app.kubernetes.io/instance = release.
    const labels = { "app.kubernetes.io/name": "opencost", "app.kubernetes.io/instance": r.name };
    const apiPort = num(oc.exporter?.apiPort, 9003); // values.yaml opencost.exporter.apiPort
    const mcp = on(oc.mcp?.enabled, true); // values.yaml: MCP server on by default, port 8081
    const mcpPort = num(oc.mcp?.port, 8081);
    const ui = on(oc.ui?.enabled, true); // values.yaml: UI on by default, port 9090
    const uiPort = num(oc.ui?.uiPort, 9090);
    const pricing = on(oc.customPricing?.enabled, false);
    const createPricing = on(oc.customPricing?.createConfigmap, true);
    const pricingName = str(oc.customPricing?.configmapName, "custom-pricing-model");
    const sa = on(v.serviceAccount?.create, true) ? str(v.serviceAccount?.name, full) : str(v.serviceAccount?.name, "opencost");
    // opencost.prometheusServerEndpoint (_helpers.tpl): the external URL, or <scheme>://<service>.<namespace>.svc.<clusterName>:<port><path>.
    const internal = oc.prometheus?.internal ?? {};
    const promUrl = on(oc.prometheus?.external?.enabled, false)
      ? str(oc.prometheus?.external?.url, "https://prometheus.example.com/prometheus")
      : `${str(internal.scheme, "http")}://${str(internal.serviceName, "prometheus-server")}.${str(internal.namespaceName, "prometheus-system")}.svc.${str(v.clusterName, "cluster.local")}:${num(internal.port, 80)}${str(internal.path, "")}`;
    const ann = (source: string, extra: Record<string, string> = {}) => ({ [ANNOTATIONS.installedBy]: `${r.name}@${this.version}`, [ANNOTATIONS.source]: source, ...extra });

    const volumes: Record<string, unknown>[] = [];
    if (pricing || on(oc.metrics?.config?.enabled, false)) volumes.push({ name: "custom-configs", emptyDir: {} });
    if (ui) volumes.push({ name: "opencost-ui-nginx-config-volume", configMap: { name: "opencost-ui-nginx-config", items: [{ key: "nginx.conf", path: "default.nginx.conf" }] } });
    const containers: Record<string, unknown>[] = [
      {
        name: full,
        ports: [{ name: "http", containerPort: apiPort }, ...(mcp ? [{ name: "mcp-server", containerPort: mcpPort }] : [])],
        env: [
          { name: "INSTALL_NAMESPACE", value: namespace },
          { name: "PROMETHEUS_SERVER_ENDPOINT", value: promUrl },
          ...(pricing ? [{ name: "CONFIG_PATH", value: str(oc.customPricing?.configPath, "/tmp/custom-config") }, { name: "PRICING_CONFIGMAP_NAME", value: pricingName }] : []),
        ],
        readinessProbe: { httpGet: { path: "/healthz", port: apiPort } },
        livenessProbe: { httpGet: { path: "/healthz", port: apiPort } },
        ...(volumes.some((x) => x.name === "custom-configs") ? { volumeMounts: [{ name: "custom-configs", mountPath: str(oc.customPricing?.configPath, "/tmp/custom-config") }] } : {}),
      },
      ...(ui ? [{ name: "opencost-ui", ports: [{ name: "http-ui", containerPort: uiPort }], volumeMounts: [{ name: "opencost-ui-nginx-config-volume", mountPath: "/etc/nginx/conf.d/default.nginx.conf", subPath: "default.nginx.conf" }] }] : []),
    ];
    const out: KubernetesObject[] = [
      // deployment.yaml: one pod, the cost model (port http = apiPort, probes /healthz on apiPort, env
      // PROMETHEUS_SERVER_ENDPOINT, INSTALL_NAMESPACE, and with customPricing CONFIG_PATH + PRICING_CONFIGMAP_NAME and
      // the emptyDir `custom-configs`), the MCP port when opencost.mcp.enabled, the UI container when opencost.ui.enabled.
      // The cost model lists and watches cluster objects and reads its ConfigMaps through the API server (clusterrole.yaml).
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: full, namespace, annotations: ann(`${T}/deployment.yaml`, { [ANNOTATIONS.needsApiServer]: "true" }) },
        spec: { template: { metadata: { labels }, spec: { serviceAccountName: sa, containers, ...(volumes.length ? { volumes } : {}) } } },
      },
      serviceAccount(sa, rr, this, `${T}/serviceaccount.yaml`),
    ];
    // service.yaml (service.enabled, default true): http apiPort, mcp-server, http-ui.
    if (on(v.service?.enabled, true)) {
      out.push(
        service(
          full,
          rr,
          this,
          labels,
          [
            { name: "http", port: apiPort, targetPort: apiPort },
            ...(mcp ? [{ name: "mcp-server", port: mcpPort, targetPort: mcpPort }] : []),
            ...(ui ? [{ name: "http-ui", port: uiPort, targetPort: uiPort }] : []),
          ],
          `${T}/service.yaml`,
        ),
      );
    }
    // configmap-frontend.yaml: the UI's nginx configuration, with the UI.
    if (ui) out.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "opencost-ui-nginx-config", namespace, annotations: ann(`${T}/configmap-frontend.yaml`) }, data: { "nginx.conf": "" } });
    // configmap-custom-pricing.yaml: only with createConfigmap (and customPricing.enabled); otherwise the ConfigMap is the operator's.
    if (pricing && createPricing) out.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: pricingName, namespace, annotations: ann(`${T}/configmap-custom-pricing.yaml`) } });
    return out;
  },
};
