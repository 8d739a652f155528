import { ApiObject, App, Chart } from "cdk8s";

/** Envoy Gateway's controller name (https://gateway.envoyproxy.io, GatewayClass of every quickstart). */
export const GATEWAY_CLASS_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";

/** The GatewayClass the shared Gateway names; applied once Envoy Gateway has installed the Gateway API CRDs. */
export function renderGatewayClass(name: string): Record<string, unknown>[] {
  const chart = new Chart(new App(), "gateway-class", { disableResourceNameHashes: true });
  new ApiObject(chart, "gateway-class", {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "GatewayClass",
    metadata: { name },
    spec: { controllerName: GATEWAY_CLASS_CONTROLLER },
  });
  return chart.toJson() as Record<string, unknown>[];
}
