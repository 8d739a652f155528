import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { GATEWAY_PROXY_CONFIG, renderGatewayChart } from "../../charts/gateway";
import { GATEWAY_NODE_PORTS } from "../../components/cloud";
import { ManifestValidator } from "../../src/validate/manifests";
import { SHARED } from "../helpers/render";

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, any> };
const sites = [{ name: "wiki", hostname: "wiki.org.example", routeNamespace: "org-wiki" }];

describe("gateway proxies' Service on the cloud VM modes", () => {
  const objs = renderGatewayChart({ gatewayClass: "envoy-gateway", sites, service: { type: "NodePort", nodePorts: GATEWAY_NODE_PORTS } }) as Obj[];
  const gateway = objs.find((o) => o.kind === "Gateway")!;
  const proxy = objs.find((o) => o.kind === "EnvoyProxy")!;

  it("attaches an EnvoyProxy in the Gateway's namespace that fixes NodePorts 30080 and 30443 on the listeners' ports", () => {
    expect(gateway.spec.infrastructure).toEqual({ parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: GATEWAY_PROXY_CONFIG } });
    expect(proxy.metadata).toEqual({ name: GATEWAY_PROXY_CONFIG, namespace: gateway.metadata.namespace });
    const service = proxy.spec.provider.kubernetes.envoyService;
    expect(service.type).toBe("NodePort");
    const listenerPorts = new Set(gateway.spec.listeners.map((l: { port: number }) => l.port));
    const patched = service.patch.value.spec.ports as { port: number; nodePort: number }[];
    expect(patched).toEqual([
      { port: 80, nodePort: 30080 },
      { port: 443, nodePort: 30443 },
    ]);
    // Strategic merge on Service ports merges on `port`: each patched port must be a listener's port.
    for (const p of patched) expect(listenerPorts.has(p.port)).toBe(true);
  });

  it("is valid for the EnvoyProxy v1alpha1 schema of Envoy Gateway v1.8.3 and the Gateway API CRD", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, "fixtures/envoyproxy-v1.8.3-provider.schema.json"), "utf8"));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(proxy.spec.provider), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ type: "Kubernetes", kubernetes: { envoyService: { type: "Random" } } })).toBe(false);
    const validator = new ManifestValidator([join(SHARED, "crds")]);
    expect(validator.validate(gateway as never)).toEqual([]);
  });

  it("leaves Envoy Gateway's default when the target does not ask for NodePorts", () => {
    const plain = renderGatewayChart({ gatewayClass: "envoy-gateway", sites }) as Obj[];
    expect(plain.some((o) => o.kind === "EnvoyProxy")).toBe(false);
    expect(plain.find((o) => o.kind === "Gateway")!.spec.infrastructure).toBeUndefined();
  });
});
