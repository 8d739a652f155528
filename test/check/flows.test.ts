import { describe, expect, it } from "vitest";
import { canReach, type NetworkPolicy } from "../../src/analysis/reachability";
import { canEgressTo, canIngressFrom } from "../../src/check/net";
import { flowApiServer } from "../../src/check/rules/flow-api-server";
import { flowPeer } from "../../src/check/rules/flow-peer";
import { flowWebhook } from "../../src/check/rules/flow-webhook";
import { allowDns, denyAll, helmRelease, netpol, ns, run, service, workload } from "./fixtures";
import fc from "fast-check";

const API = { to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 6443, protocol: "TCP" }] };

describe("flow-api-server", () => {
  const rbac = (sa: string) => [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: sa, namespace: "op" } },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: sa }, subjects: [{ kind: "ServiceAccount", name: sa, namespace: "op" }] },
  ];

  it("fails for an RBAC-bound operator whose egress to the API server is denied", () => {
    const f = run(flowApiServer, [ns("op"), denyAll("op"), ...rbac("ctl"), workload("op", "ctl", { serviceAccountName: "ctl", labels: { app: "ctl" } })]);
    expect(f.map((x) => [x.severity, x.object, x.path])).toEqual([["blocker", "Deployment/op/ctl", "spec.template.metadata.labels"]]);
  });

  it("passes when a policy allows the operator's egress to the API server's addresses", () => {
    const allow = netpol("op", "api", { podSelector: { matchLabels: { app: "ctl" } }, policyTypes: ["Egress"], egress: [API] });
    expect(run(flowApiServer, [ns("op"), denyAll("op"), allow, ...rbac("ctl"), workload("op", "ctl", { serviceAccountName: "ctl", labels: { app: "ctl" } })])).toEqual([]);
  });

  it("names the Envoy Gateway certgen hook Job when only the controller may reach the API server (issue 8)", () => {
    const controllerOnly = netpol("envoy-gateway-system", "api", { podSelector: { matchLabels: { "control-plane": "envoy-gateway" } }, policyTypes: ["Egress"], egress: [API] });
    const release = helmRelease("envoy-gateway", "envoy-gateway-system", "oci://docker.io/envoyproxy/gateway-helm", "v1.8.4");
    const f = run(flowApiServer, [ns("envoy-gateway-system"), denyAll("envoy-gateway-system"), controllerOnly], [release]);
    expect(f.map((x) => x.object)).toEqual(["Job/envoy-gateway-system/envoy-gateway-gateway-helm-certgen"]);
    expect(f[0]!.message).toContain("pre-install");
    const allPods = netpol("envoy-gateway-system", "api", { podSelector: {}, policyTypes: ["Egress"], egress: [API] });
    expect(run(flowApiServer, [ns("envoy-gateway-system"), denyAll("envoy-gateway-system"), allPods], [release])).toEqual([]);
  });
});

describe("flow-webhook", () => {
  const hook = (failurePolicy: string) => ({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name: "v" },
    webhooks: [{ name: "v.example.test", failurePolicy, clientConfig: { service: { name: "wh", namespace: "op", port: 443 } } }],
  });
  const pods = [ns("op"), workload("op", "wh", { labels: { app: "wh" }, containers: [{ name: "wh", image: "x/wh:1", ports: [{ name: "https", containerPort: 9443 }] }] }), service("op", "wh", { app: "wh" }, [{ port: 443, targetPort: "https" }])];

  it("fails when the webhook's pods do not admit the API server (blocker with failurePolicy Fail, warning with Ignore)", () => {
    expect(run(flowWebhook, [...pods, denyAll("op"), hook("Fail")]).map((x) => [x.severity, x.object, x.path])).toEqual([["blocker", "ValidatingWebhookConfiguration/v", "webhooks[0].clientConfig.service"]]);
    expect(run(flowWebhook, [...pods, denyAll("op"), hook("Ignore")]).map((x) => x.severity)).toEqual(["warning"]);
  });

  it("passes when ingress from the API server's addresses is allowed on the target port", () => {
    const allow = netpol("op", "from-api", { podSelector: { matchLabels: { app: "wh" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 9443 }] }] });
    expect(run(flowWebhook, [...pods, denyAll("op"), allow, hook("Fail")])).toEqual([]);
  });

  it("finds the trust-manager webhook of the release contract", () => {
    const release = helmRelease("trust-manager", "cert-manager", "trust-manager", "v0.19.0");
    const f = run(flowWebhook, [ns("cert-manager"), denyAll("cert-manager")], [release]);
    expect(f.map((x) => x.object)).toEqual(["ValidatingWebhookConfiguration/trust-manager"]);
  });
});

describe("flow-peer", () => {
  const app = (env: Record<string, unknown>[]) => workload("a", "web", { labels: { app: "web" }, containers: [{ name: "web", image: "x/web:1", env, ports: [{ containerPort: 8000 }] }] });
  const served = service("a", "web", { app: "web" }, [{ port: 8000 }]);
  const cache = [ns("b"), workload("b", "cache", { labels: { app: "cache" }, containers: [{ name: "c", image: "x/c:1", ports: [{ containerPort: 6379 }] }] }), service("b", "cache", { app: "cache" }, [{ port: 6379 }])];
  const egressToCache = netpol("a", "to-cache", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "b" } }, podSelector: { matchLabels: { app: "cache" } } }], ports: [{ port: 6379 }] }] });
  const ingressFromWeb = netpol("b", "from-web", { podSelector: { matchLabels: { app: "cache" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "a" } }, podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: 6379 }] }] });

  it("fails when the server's ingress denies a flow the client's configuration needs, saying which side", () => {
    const f = run(flowPeer, [ns("a"), ...cache, denyAll("a"), allowDns("a"), denyAll("b"), egressToCache, served, app([{ name: "REDIS_URL", value: "redis://cache.b.svc.cluster.local:6379/0" }])]);
    expect(f.map((x) => [x.severity, x.object, x.path])).toEqual([["blocker", "Deployment/a/web", "spec.template.spec.containers[0].env[0].value"]]);
    expect(f[0]!.message).toContain("the ingress of b pods");
    expect(f[0]!.message).not.toContain("the egress of");
  });

  it("fails when DNS is denied", () => {
    const f = run(flowPeer, [ns("a"), ...cache, denyAll("a"), egressToCache, ingressFromWeb, served, app([{ name: "REDIS_URL", value: "redis://cache.b.svc:6379" }])]);
    expect(f.map((x) => x.message)).toEqual([expect.stringContaining("deny DNS")]);
  });

  it("passes when both sides allow the flow and DNS is open", () => {
    expect(run(flowPeer, [ns("a"), ...cache, denyAll("a"), allowDns("a"), denyAll("b"), egressToCache, ingressFromWeb, served, app([{ name: "REDIS_URL", value: "redis://cache.b.svc:6379" }])])).toEqual([]);
  });

  it("ignores settings that name hosts without calling them", () => {
    expect(run(flowPeer, [ns("a"), ...cache, denyAll("a"), allowDns("a"), served, app([{ name: "DJANGO_ALLOWED_HOSTS", value: "cache.b.svc" }])])).toEqual([]);
  });
});

describe("net: an empty peer list", () => {
  it("matches every peer, as networking.k8s.io/v1 documents for an empty or missing `from`/`to`", () => {
    // src/analysis/reachability.ts canReach treats `from: []` as matching nothing; the API reference says
    // "If this field is empty or missing, this rule matches all sources". The check follows the API.
    const p: NetworkPolicy = { kind: "NetworkPolicy", metadata: { name: "p", namespace: "x" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [], ports: [{ port: 80 }] }] } };
    const a = { id: "a", namespace: "y", labels: {}, ports: [] };
    const b = { id: "b", namespace: "x", labels: {}, ports: [80] };
    expect(canIngressFrom([p], a, b, 80)).toBe(true);
  });
});

describe("net: the directional halves agree with reachability's canReach", () => {
  const labels = fc.constantFrom<Record<string, string>>({ app: "a" }, { app: "b" }, {});
  const namespaces = fc.constantFrom("x", "y");
  const peer = fc.record({ podSelector: fc.record({ matchLabels: labels }), namespaceSelector: fc.option(fc.record({ matchLabels: fc.constantFrom({ "kubernetes.io/metadata.name": "x" }, { "kubernetes.io/metadata.name": "y" }) }), { nil: undefined }) });
  const policy = fc.record({
    namespace: namespaces,
    selector: labels,
    types: fc.constantFrom<("Ingress" | "Egress")[]>(["Ingress"], ["Egress"], ["Ingress", "Egress"]),
    peers: fc.array(peer, { minLength: 1, maxLength: 2 }),
    port: fc.constantFrom(80, 443),
  });
  it("canEgressTo && canIngressFrom == canReach on pods (TCP, numeric ports)", () => {
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 4 }), namespaces, labels, namespaces, labels, fc.constantFrom(80, 443), (ps, fns, fl, tns, tl, port) => {
        const policies = ps.map(
          (p, i): NetworkPolicy => ({
            kind: "NetworkPolicy",
            metadata: { name: `p${i}`, namespace: p.namespace },
            spec: {
              podSelector: { matchLabels: p.selector },
              policyTypes: p.types,
              ingress: [{ from: p.peers.map((x) => ({ podSelector: x.podSelector, ...(x.namespaceSelector ? { namespaceSelector: x.namespaceSelector } : {}) })), ports: [{ port: p.port, protocol: "TCP" }] }],
              egress: [{ to: p.peers.map((x) => ({ podSelector: x.podSelector, ...(x.namespaceSelector ? { namespaceSelector: x.namespaceSelector } : {}) })), ports: [{ port: p.port, protocol: "TCP" }] }],
            },
          }),
        );
        const from = { id: "f", namespace: fns, labels: fl, ports: [] };
        const to = { id: "t", namespace: tns, labels: tl, ports: [port] };
        expect(canEgressTo(policies, from, to, port) && canIngressFrom(policies, from, to, port)).toBe(canReach(policies, from, to, port));
      }),
      { numRuns: 300 },
    );
  });
});
