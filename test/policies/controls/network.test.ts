import { describe, expect, it } from "vitest";
import { control as loadBalancers } from "../../../policies/controls/network/declared-load-balancers";
import { control as defaultDeny } from "../../../policies/controls/network/default-deny";
import { control as gatewayTls } from "../../../policies/controls/network/gateway-tls";
import { control as noNodePort } from "../../../policies/controls/network/no-nodeport";
import { control as tlsVersion } from "../../../policies/controls/network/tls-version";
import { withField } from "../fixtures/edit";
import { appRoute, certificate, clientTrafficPolicy, gateway, redirectRoute } from "../fixtures/gateway";
import { deployment, denyAll, namespace, service } from "../fixtures/kubernetes";
import { cloud, failed, k8s, run, violationsOf } from "../fixtures/views";

describe("snc-network-default-deny", () => {
  it("passes every workload namespace with a default-deny policy, reported on the Namespace", () => {
    const results = run(defaultDeny, [k8s(namespace("wiki")), k8s(deployment()), k8s(denyAll("wiki")), k8s(deployment("chat", "chat")), k8s(denyAll("chat"))]);
    expect(results.map((r) => [r.resource.name, r.status])).toEqual([["chat", "pass"], ["cluster-wiki", "pass"]]);
    expect(results[0]!.resource.type).toBe("kubernetes:core/v1:Namespace");
  });

  it("fails a namespace without any policy, for both directions", () => {
    expect(violationsOf(run(defaultDeny, [k8s(deployment())])).map((v) => v.message)).toEqual([
      "namespace wiki runs workloads but no NetworkPolicy with podSelector {} denies all ingress traffic",
      "namespace wiki runs workloads but no NetworkPolicy with podSelector {} denies all egress traffic",
    ]);
  });

  it.each([
    ["policyTypes", ["Ingress"], "egress"],
    ["egress", [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }], "egress"],
    ["podSelector", { matchLabels: { app: "wiki" } }, "ingress"],
  ])("fails when %s makes the policy allow traffic", (field, value, direction) => {
    const found = violationsOf(run(defaultDeny, [k8s(deployment()), k8s(withField(denyAll("wiki"), `spec.${field}`, value))]));
    expect(found.map((v) => v.message)).toContain(`namespace wiki runs workloads but no NetworkPolicy with podSelector {} denies all ${direction} traffic`);
    if (field !== "podSelector") expect(found.length).toBe(1);
  });

  it("accepts separate ingress and egress default-deny policies, and omitted policyTypes for ingress", () => {
    const ingress = withField(denyAll("wiki"), "spec.policyTypes", undefined);
    const egress = withField(withField(denyAll("wiki"), "metadata.name", "deny-egress"), "spec.policyTypes", ["Egress"]);
    expect(failed(run(defaultDeny, [k8s(deployment()), k8s(ingress), k8s(egress)]))).toEqual([]);
  });
});

describe("snc-network-no-nodeport", () => {
  it("passes ClusterIP and LoadBalancer Services and fails NodePort", () => {
    const results = run(noNodePort, [k8s(service("wiki", "wiki")), k8s(service("public", "gateway", "LoadBalancer")), k8s(service("debug", "wiki", "NodePort"))]);
    expect(results.map((r) => r.status)).toEqual(["pass", "pass", "fail"]);
    expect(violationsOf(results)).toEqual([{ resource: "wiki-debug", message: "Service wiki/debug is of type NodePort", path: "spec.type" }]);
  });
});

describe("snc-network-declared-load-balancers", () => {
  it("passes declared LoadBalancers, fails undeclared ones, ignores other Services", () => {
    const results = run(loadBalancers, [k8s(service("public", "gateway", "LoadBalancer")), k8s(service("smtp", "mail", "LoadBalancer")), k8s(service("wiki", "wiki"))]);
    expect(results.map((r) => r.status)).toEqual(["pass", "fail"]);
    expect(violationsOf(results)[0]!.message).toBe("Service mail/smtp is a LoadBalancer not declared in declaredLoadBalancers (mail/smtp)");
  });
});

describe("snc-network-gateway-tls", () => {
  const compliant = () => [k8s(gateway()), k8s(appRoute()), k8s(redirectRoute())];

  it("passes an HTTPS listener with certificates and an HTTP listener that only redirects", () => {
    expect(run(gatewayTls, compliant()).map((r) => [r.resource.name, r.status])).toEqual([
      ["gateway-public", "pass"],
      ["wiki-wiki", "pass"],
      ["gateway-https-redirect", "pass"],
    ]);
  });

  it("fails an HTTPS listener without certificateRefs", () => {
    const g = withField(gateway(), "spec.listeners[0].tls.certificateRefs", []);
    expect(violationsOf(run(gatewayTls, [k8s(g), k8s(appRoute()), k8s(redirectRoute())]))).toEqual([
      { resource: "gateway-public", message: "listener https (HTTPS) has no tls.certificateRefs", path: "spec.listeners[0].tls.certificateRefs" },
    ]);
  });

  it("fails an application route attached to the HTTP listener, on the route and the gateway", () => {
    const r = withField(appRoute(), "spec.parentRefs[0].sectionName", "http");
    const found = violationsOf(run(gatewayTls, [k8s(gateway()), k8s(r), k8s(redirectRoute())]));
    expect(found).toEqual([
      { resource: "gateway-public", message: "listener http is plain HTTP and serves HTTPRoute wiki/wiki, which is not an HTTPS redirect", path: "spec.listeners[1].protocol" },
      { resource: "wiki-wiki", message: "HTTPRoute wiki/wiki is attached to listener http (HTTP) of Gateway gateway/public, which is not HTTPS", path: "spec.parentRefs" },
    ]);
  });

  it("fails a route without sectionName, which attaches to every listener including HTTP", () => {
    const r = withField(appRoute(), "spec.parentRefs[0].sectionName", undefined);
    expect(violationsOf(run(gatewayTls, [k8s(gateway()), k8s(r), k8s(redirectRoute())])).length).toBe(2);
  });

  it("fails a plain HTTP listener that no route redirects", () => {
    expect(violationsOf(run(gatewayTls, [k8s(gateway()), k8s(appRoute())]))).toEqual([
      { resource: "gateway-public", message: "listener http is plain HTTP and no route redirects it to HTTPS", path: "spec.listeners[1].protocol" },
    ]);
  });

  it("fails a redirect to http", () => {
    const r = withField(redirectRoute(), "spec.rules[0].filters[0].requestRedirect.scheme", "http");
    expect(failed(run(gatewayTls, [k8s(gateway()), k8s(appRoute()), k8s(r)])).map((x) => x.resource.name)).toEqual(["gateway-public", "gateway-https-redirect"]);
  });

  it("does not apply to a route whose Gateway is not in the input", () => {
    const r = withField(appRoute(), "spec.parentRefs[0].name", "elsewhere");
    expect(run(gatewayTls, [k8s(r)]).map((x) => x.status)).toEqual(["notApplicable"]);
  });
});

describe("snc-network-tls-version", () => {
  it("passes TLS 1.2+ floors and strong keys, and reports nothing where no floor is set", () => {
    const results = run(tlsVersion, [k8s(gateway()), k8s(clientTrafficPolicy("1.2")), k8s(certificate()), k8s(certificate({ algorithm: "ECDSA", size: 384 }))]);
    expect(results.map((r) => [r.resource.type, r.status])).toEqual([
      ["kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy", "pass"],
      ["kubernetes:cert-manager.io/v1:Certificate", "pass"],
      ["kubernetes:cert-manager.io/v1:Certificate", "pass"],
    ]);
  });

  it("fails a ClientTrafficPolicy allowing TLS 1.1", () => {
    expect(violationsOf(run(tlsVersion, [k8s(clientTrafficPolicy("1.1"))]))).toEqual([
      { resource: "gateway-tls", message: "ClientTrafficPolicy gateway/tls sets tls.minVersion 1.1, below TLS 1.2", path: "spec.tls.minVersion" },
    ]);
  });

  it("fails a Gateway listener option below 1.2", () => {
    const g = withField(gateway(), "spec.listeners[0].tls.options", { "example.io/min-tls-version": "TLSv1.0" });
    expect(violationsOf(run(tlsVersion, [k8s(g)]))[0]!.path).toBe("spec.listeners[0].tls.options");
  });

  it("fails a weak RSA key", () => {
    expect(violationsOf(run(tlsVersion, [k8s(certificate({ algorithm: "RSA", size: 1024 }))]))[0]!.message).toBe("RSA key of 1024 bits, below 2048");
  });

  it("checks Octavia TERMINATED_HTTPS listeners' tlsVersions", () => {
    const listener = (props: Record<string, unknown>) => cloud("openstack:loadbalancer/listener:Listener", "https", { protocol: "TERMINATED_HTTPS", protocolPort: 443, ...props });
    expect(run(tlsVersion, [listener({ tlsVersions: ["TLSv1.2", "TLSv1.3"] })]).map((r) => r.status)).toEqual(["pass"]);
    expect(violationsOf(run(tlsVersion, [listener({ tlsVersions: ["TLSv1.1", "TLSv1.2"] })]))).toEqual([{ resource: "https", message: "the listener accepts TLSv1.1, below TLS 1.2", path: "tlsVersions" }]);
    expect(run(tlsVersion, [listener({})]).map((r) => r.status)).toEqual(["notApplicable"]);
    expect(run(tlsVersion, [listener({ protocol: "HTTP" })])).toEqual([]);
  });
});
