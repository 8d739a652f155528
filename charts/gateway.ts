import { ApiObject, App, Chart } from "cdk8s";
import { k8s } from "./lib/k8s";
import { allowDns, allowFlow, defaultDeny } from "./lib/network";
import { podSecurityLabels } from "./lib/security";
import { compareText } from "../src/compare";

export const GATEWAY_NAMESPACE = "socle-gateway";
export const GATEWAY_NAME = "socle";
/** Namespace where Envoy Gateway runs the proxies of every Gateway (its default deployment mode). */
export const ENVOY_NAMESPACE = "envoy-gateway-system";
/** Labels Envoy Gateway puts on the proxy pods of our Gateway. */
export const GATEWAY_POD_LABELS = {
  "gateway.envoyproxy.io/owning-gateway-name": GATEWAY_NAME,
  "gateway.envoyproxy.io/owning-gateway-namespace": GATEWAY_NAMESPACE,
} as const;

/** Pods cert-manager starts to answer ACME HTTP-01 challenges, and their port (cert-manager acmesolver defaults). */
export const ACME_SOLVER_LABELS = { "acme.cert-manager.io/http01-solver": "true" } as const;
export const ACME_SOLVER_PORT = 8089;

export interface GatewaySite {
  /** App name; the listener is `https-<name>` and its certificate Secret `<name>-tls`. */
  readonly name: string;
  readonly hostname: string;
  /** Namespace whose routes may attach to this listener. */
  readonly routeNamespace: string;
}

/**
 * How the proxies' Service is exposed. `NodePort`: fixed NodePorts a load balancer socle created forwards
 * to (the cloud targets' VM modes). `LoadBalancer`: Envoy Gateway's default, a cloud-controller-manager
 * makes the load balancer (managed clusters, existing clusters).
 */
export type GatewayService = { readonly type: "NodePort"; readonly nodePorts: { readonly http: number; readonly https: number } } | { readonly type: "LoadBalancer" };

export interface GatewayChartProps {
  readonly gatewayClass: string;
  readonly sites: readonly GatewaySite[];
  /** Absent: Envoy Gateway's default (a LoadBalancer Service with NodePorts the cluster picks). */
  readonly service?: GatewayService;
  /**
   * A platform's Gateway admits its tenants' ListenerSets: only from namespaces Capsule labels as a tenant's
   * (`TENANT_NAMESPACE_LABEL`), which a tenant cannot set or remove on its own namespaces.
   */
  readonly admitTenantListeners?: boolean;
}

/**
 * The label Capsule sets on every namespace it admits for a tenant, `capsule.clastix.io/tenant: <tenant>`
 * (projectcapsule/capsule, pkg/api/meta labels `TenantLabel`; the namespace webhook refuses a change of it).
 */
export const TENANT_NAMESPACE_LABEL = "capsule.clastix.io/tenant";

/**
 * The Gateway's `allowedListeners` (Gateway API v1.6.1 standard channel, gateways CRD
 * `spec.allowedListeners.namespaces.{from,selector}`; default `None`): which namespaces may attach a
 * ListenerSet. A platform admits Capsule tenants' namespaces only.
 */
export function tenantAllowedListeners() {
  return { namespaces: { from: "Selector", selector: { matchExpressions: [{ key: TENANT_NAMESPACE_LABEL, operator: "Exists" }] } } };
}

/** Name of a tenant's ListenerSet for one app (in the app's namespace, beside its route and certificate). */
export function listenerSetName(site: string): string {
  return `socle-${site}`;
}

/**
 * A tenant's listeners for one app, attached to its platform's Gateway: Gateway API `ListenerSet`
 * (gateway.networking.k8s.io/v1, Standard channel since Gateway API v1.5.0 per gateway-api.sigs.k8s.io
 * "ListenerSet"; CRD ../shared/crds/gateway-api at bundle v1.6.1, standard channel; required
 * `spec.parentRef` and `spec.listeners`). It lives in the app's own namespace; its certificate Secret
 * (`<site>-tls`, a certificateRef without namespace: the ListenerSet's) and its route are there too, so two
 * tenants never share a name, a certificate or a namespace. Routes attach from the same namespace only.
 */
export function renderListenerSet(props: { site: string; hostname: string; namespace: string; gateway: { name: string; namespace: string } }): Record<string, unknown>[] {
  const listenerSet = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "ListenerSet",
    metadata: { name: listenerSetName(props.site), namespace: props.namespace },
    spec: {
      parentRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: props.gateway.name, namespace: props.gateway.namespace },
      listeners: [
        {
          name: listenerName(props.site),
          hostname: props.hostname,
          port: 443,
          protocol: "HTTPS",
          tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: `${props.site}-tls` }] },
          allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }] },
        },
      ],
    },
  };
  // TLS 1.2 minimum on the tenant's own listeners too: Envoy Gateway lets a ClientTrafficPolicy target a
  // ListenerSet (gateway.envoyproxy.io "ListenerSets" task; envoyproxy/gateway issue 8092, in v1.9), so the
  // bound holds whether or not the platform Gateway's policy reaches ListenerSet listeners.
  const clientTls = {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "ClientTrafficPolicy",
    metadata: { name: `${listenerSetName(props.site)}-tls-minimum`, namespace: props.namespace },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "ListenerSet", name: listenerSetName(props.site) }], tls: { minVersion: "1.2" } },
  };
  return [listenerSet, clientTls];
}

/** Name of the EnvoyProxy (in the Gateway's namespace) that fixes the proxies' Service. */
export const GATEWAY_PROXY_CONFIG = "socle-gateway-proxy";

/**
 * The EnvoyProxy that gives the proxies' Service fixed NodePorts: `spec.provider.kubernetes.envoyService`
 * with `type: NodePort` and a strategic-merge `patch` of the Service's ports, merged on `port` (the Gateway
 * listener's port, 80 and 443: Envoy Gateway names the Service port after the listener's,
 * internal/gatewayapi/listener.go `ServicePort`). Sources, envoyproxy/gateway v1.8.3:
 * api/v1alpha1/shared_types.go `KubernetesServiceSpec` (type, patch) and `KubernetesPatchSpec`,
 * internal/infrastructure/kubernetes/proxy/resource_provider.go (patch applied with `MergeWithPatch`),
 * internal/provider/kubernetes/controller.go `processGatewayParamsRef` (an EnvoyProxy in the Gateway's
 * namespace, referenced by `spec.infrastructure.parametersRef`). Pure.
 */
export function envoyProxyForService(service: Extract<GatewayService, { type: "NodePort" }>): Record<string, unknown> {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyProxy",
    metadata: { name: GATEWAY_PROXY_CONFIG, namespace: GATEWAY_NAMESPACE },
    spec: {
      provider: {
        type: "Kubernetes",
        kubernetes: {
          envoyService: {
            type: "NodePort",
            patch: {
              type: "StrategicMerge",
              value: {
                spec: {
                  ports: [
                    { port: 80, nodePort: service.nodePorts.http },
                    { port: 443, nodePort: service.nodePorts.https },
                  ],
                },
              },
            },
          },
        },
      },
    },
  };
}

export function listenerName(site: string): string {
  return `https-${site}`;
}

/**
 * The shared Gateway: one HTTPS listener per app hostname, each with its own certificate and open only to
 * that app's namespace; plain HTTP only redirects to HTTPS. TLS below 1.2 is refused by the client policy.
 */
export class GatewayChart extends Chart {
  constructor(scope: App, id: string, props: GatewayChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new k8s.KubeNamespace(this, "namespace", { metadata: { name: GATEWAY_NAMESPACE, labels: podSecurityLabels("restricted") } });
    const sites = [...props.sites].sort((a, b) => compareText(a.name, b.name));
    new ApiObject(this, "gateway", {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        gatewayClassName: props.gatewayClass,
        ...(props.admitTenantListeners ? { allowedListeners: tenantAllowedListeners() } : {}),
        ...(props.service?.type === "NodePort" ? { infrastructure: { parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: GATEWAY_PROXY_CONFIG } } } : {}),
        listeners: [
          { name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Same" } } },
          ...sites.map((s) => ({
            name: listenerName(s.name),
            hostname: s.hostname,
            port: 443,
            protocol: "HTTPS",
            tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: `${s.name}-tls` }] },
            allowedRoutes: {
              namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": s.routeNamespace } } },
              kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
            },
          })),
        ],
      },
    });
    if (props.service?.type === "NodePort") {
      const proxy = envoyProxyForService(props.service);
      new ApiObject(this, "proxy-config", proxy as { apiVersion: string; kind: string });
    }
    new ApiObject(this, "redirect", {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "https-redirect", namespace: GATEWAY_NAMESPACE },
      spec: {
        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: GATEWAY_NAME, sectionName: "http" }],
        rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
      },
    });
    // The namespace holds certificates and, with an ACME issuer, cert-manager's short-lived solver pods.
    defaultDeny(this, GATEWAY_NAMESPACE);
    allowDns(this, GATEWAY_NAMESPACE);
    allowFlow(this, GATEWAY_NAMESPACE, {
      name: "proxies-to-acme-solver",
      pods: ACME_SOLVER_LABELS,
      ingressFrom: [{ namespace: ENVOY_NAMESPACE, pods: GATEWAY_POD_LABELS }],
      ports: [{ port: ACME_SOLVER_PORT }],
    });
    // Envoy Gateway's policy for client connections: TLS 1.2 minimum on every listener of the Gateway.
    new ApiObject(this, "client-tls", {
      apiVersion: "gateway.envoyproxy.io/v1alpha1",
      kind: "ClientTrafficPolicy",
      metadata: { name: "tls-minimum", namespace: GATEWAY_NAMESPACE },
      spec: {
        targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: GATEWAY_NAME }],
        tls: { minVersion: "1.2" },
      },
    });
  }
}

export function renderGatewayChart(props: GatewayChartProps): Record<string, unknown>[] {
  const app = new App();
  return new GatewayChart(app, "gateway", props).toJson() as Record<string, unknown>[];
}
