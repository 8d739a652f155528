import { describe, expect, it } from "vitest";
import { httpRouteRefs } from "../../src/check/rules/httproute-refs";
import { listenerCertificate } from "../../src/check/rules/listener-certificate";
import { probePort } from "../../src/check/rules/probe-port";
import { serviceSelector } from "../../src/check/rules/service-selector";
import { ns, run, secret, service, workload } from "./fixtures";

const web = (ports: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  workload("a", "web", { labels: { app: "web" }, containers: [{ name: "web", image: "x/web:1", ports, ...extra }] });

describe("service-selector", () => {
  it("fails when the selector matches no pod, and when a named targetPort is not exposed", () => {
    const f = run(serviceSelector, [ns("a"), web([{ name: "http", containerPort: 8080 }]), service("a", "lost", { app: "nope" }, [{ port: 80 }]), service("a", "web", { app: "web" }, [{ port: 80, targetPort: "https" }])]);
    expect(f.map((x) => [x.severity, x.object, x.path])).toEqual([
      ["blocker", "Service/a/lost", "spec.selector"],
      ["blocker", "Service/a/web", "spec.ports[0].targetPort"],
    ]);
  });

  it("passes when the selector matches and targetPorts resolve by name or number", () => {
    const f = run(serviceSelector, [ns("a"), web([{ name: "http", containerPort: 8080 }]), service("a", "web", { app: "web" }, [{ port: 80, targetPort: "http" }, { port: 8080 }])]);
    expect(f).toEqual([]);
  });
});

describe("probe-port", () => {
  it("fails when a probe names a port the container does not declare", () => {
    const f = run(probePort, [ns("a"), web([{ name: "http", containerPort: 8080 }], { readinessProbe: { httpGet: { path: "/", port: "health" } } })]);
    expect(f.map((x) => [x.severity, x.path])).toEqual([["blocker", "spec.template.spec.containers[0].readinessProbe.httpGet.port"]]);
  });

  it("passes when probes hit declared ports; an undeclared number is only a warning", () => {
    expect(run(probePort, [ns("a"), web([{ name: "http", containerPort: 8080 }], { readinessProbe: { httpGet: { port: "http" } }, livenessProbe: { tcpSocket: { port: 8080 } } })])).toEqual([]);
    const f = run(probePort, [ns("a"), web([{ name: "http", containerPort: 8080 }], { livenessProbe: { tcpSocket: { port: 9000 } } })]);
    expect(f.map((x) => x.severity)).toEqual(["warning"]);
  });
});

const gateway = (listeners: Record<string, unknown>[]) => ({ apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "gw", namespace: "edge" }, spec: { gatewayClassName: "c", listeners } });
const https = (name: string, secretName: string, from: Record<string, unknown> = { from: "All" }) => ({
  name,
  port: 443,
  protocol: "HTTPS",
  hostname: `${name}.example.test`,
  tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: secretName }] },
  allowedRoutes: { namespaces: from },
});
const route = (section: string, backend: { name: string; port: number }) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "r", namespace: "a" },
  spec: { parentRefs: [{ name: "gw", namespace: "edge", sectionName: section }], rules: [{ backendRefs: [{ name: backend.name, port: backend.port }] }] },
});

describe("httproute-refs", () => {
  const base = [ns("a"), ns("edge"), gateway([https("web", "web-tls", { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": "a" } } })]), web([{ name: "http", containerPort: 8080 }]), service("a", "web", { app: "web" }, [{ port: 8080 }])];

  it("fails on an unknown sectionName, a missing backend Service and a wrong port", () => {
    expect(run(httpRouteRefs, [...base, route("nope", { name: "web", port: 8080 })]).map((x) => x.path)).toEqual(["spec.parentRefs[0].sectionName"]);
    expect(run(httpRouteRefs, [...base, route("web", { name: "ghost", port: 8080 })]).map((x) => x.path)).toEqual(["spec.rules[0].backendRefs[0].name"]);
    expect(run(httpRouteRefs, [...base, route("web", { name: "web", port: 80 })]).map((x) => x.path)).toEqual(["spec.rules[0].backendRefs[0].port"]);
  });

  it("fails when the listener does not admit the route's namespace", () => {
    const closed = [ns("a"), ns("edge"), gateway([https("web", "web-tls", { from: "Same" })]), service("a", "web", { app: "web" }, [{ port: 8080 }]), web([{ containerPort: 8080 }])];
    expect(run(httpRouteRefs, [...closed, route("web", { name: "web", port: 8080 })]).map((x) => x.path)).toEqual(["spec.parentRefs[0]"]);
  });

  it("passes for an attached route to an existing Service port", () => {
    expect(run(httpRouteRefs, [...base, route("web", { name: "web", port: 8080 })])).toEqual([]);
  });
});

describe("listener-certificate", () => {
  it("fails when the certificate Secret is neither rendered nor issued", () => {
    const f = run(listenerCertificate, [ns("edge"), gateway([https("web", "web-tls")])]);
    expect(f.map((x) => [x.object, x.path])).toEqual([["Gateway/edge/gw", "spec.listeners[0].tls.certificateRefs[0].name"]]);
  });

  it("passes when a cert-manager Certificate issues the Secret, or it is rendered", () => {
    const cert = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "web", namespace: "edge" }, spec: { secretName: "web-tls" } };
    expect(run(listenerCertificate, [ns("edge"), cert, secret("edge", "api-tls", ["tls.crt", "tls.key"]), gateway([https("web", "web-tls"), https("api", "api-tls")])])).toEqual([]);
  });
});
