import { describe, expect, it } from "vitest";
import { CERT_MANAGER_CHART, CNPG_CHART, ENVOY_GATEWAY_CHART, KUBE_PROMETHEUS_STACK_CHART, TRUST_MANAGER_CHART, VELERO_CHART, type PinnedChart } from "../../charts/platform/releases";
import { contractFor, RELEASE_CONTRACTS, upstreamChart } from "../../src/check/releases";
import { ANNOTATIONS } from "../../src/check/k8s";
import { releaseContract } from "../../src/check/rules/release-contract";
import { helmRelease, run } from "./fixtures";

const PINNED: readonly PinnedChart[] = [ENVOY_GATEWAY_CHART, CERT_MANAGER_CHART, TRUST_MANAGER_CHART, CNPG_CHART, VELERO_CHART, KUBE_PROMETHEUS_STACK_CHART];

describe("release contracts", () => {
  it.each(PINNED.map((c) => [c.chart, c.version] as const))("the pinned chart %s %s has a contract (a version bump needs its contract re-read upstream)", (chart, version) => {
    expect(contractFor(chart, version), `no contract for ${chart}@${version}: add it in src/check/releases/`).toBeDefined();
  });

  it("every installed object names its release and the upstream file it was read from", () => {
    for (const c of RELEASE_CONTRACTS) {
      for (const o of c.objects({ name: "r", namespace: "ns", values: {} })) {
        const a = o.metadata.annotations ?? {};
        expect(a[ANNOTATIONS.source], `${c.chart} ${o.kind}/${o.metadata.name}`).toMatch(/@/);
      }
    }
  });

  it("records the upstream facts issue 8 relies on", () => {
    const eg = contractFor(ENVOY_GATEWAY_CHART.chart, "v1.8.4")!.objects({ name: "envoy-gateway", namespace: "envoy-gateway-system", values: {} });
    const certgen = eg.find((o) => o.kind === "Job")!;
    expect(certgen.metadata.annotations?.[ANNOTATIONS.hook]).toBe("pre-install,pre-upgrade");
    expect((certgen.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels).toEqual({ app: "certgen" });
    const webhook = eg.find((o) => o.kind === "MutatingWebhookConfiguration")!;
    expect(webhook.webhooks).toEqual([expect.objectContaining({ failurePolicy: "Ignore", clientConfig: { service: { name: "envoy-gateway", namespace: "envoy-gateway-system", port: 9443 } } })]);
    // topologyInjector.enabled: false removes the webhook (values.tmpl.yaml).
    expect(contractFor(ENVOY_GATEWAY_CHART.chart, "v1.8.4")!.objects({ name: "envoy-gateway", namespace: "x", values: { topologyInjector: { enabled: false } } }).some((o) => o.kind === "MutatingWebhookConfiguration")).toBe(false);
  });
});

describe("release-contract rule", () => {
  it("fails (blocker) when a release pins a version without a contract", () => {
    const f = run(releaseContract, [], [helmRelease("cert-manager", "cert-manager", "cert-manager", "v9.9.9")]);
    expect(f.map((x) => [x.severity, x.object, x.path])).toEqual([["blocker", "Release/cert-manager/cert-manager", "version"]]);
    expect(f[0]!.message).toContain("contracts exist for v1.21.1");
  });

  it("passes for a contract verified at the pinned version, and warns for one read at another version", () => {
    expect(run(releaseContract, [], [helmRelease("cert-manager", "cert-manager", "cert-manager", "v1.21.1")])).toEqual([]);
    expect(run(releaseContract, [], [helmRelease("velero", "velero", "velero", "12.1.0")])).toEqual([]);
    expect(run(releaseContract, [], [helmRelease("kube-prometheus-stack", "socle-monitoring", "kube-prometheus-stack", "91.5.0")]).map((x) => x.severity)).toEqual(["warning"]);
  });

  it("finds the upstream chart's contract for a chart pulled from the registry mirror", () => {
    expect(upstreamChart("oci://registry.example.test/mirror/charts.jetstack.io/cert-manager")).toBe("cert-manager");
    expect(upstreamChart("oci://registry.example.test/docker.io/envoyproxy/gateway-helm")).toBe("oci://docker.io/envoyproxy/gateway-helm");
    expect(upstreamChart("oci://registry.example.test/charts.example.test/unknown")).toBe("oci://registry.example.test/charts.example.test/unknown");
    expect(run(releaseContract, [], [helmRelease("cert-manager", "cert-manager", "oci://registry.example.test/charts.jetstack.io/cert-manager", "v1.21.1")])).toEqual([]);
  });
});
