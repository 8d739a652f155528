import { describe, expect, it } from "vitest";
import { ALL_CHARTS, BARMAN_PLUGIN_CHART, chartMirrorPath, ENVOY_GATEWAY_CHART, type PinnedChart } from "../../charts/platform/releases";
import { BARMAN_PLUGIN_LABELS, BARMAN_PLUGIN_PORT, BARMAN_PLUGIN_RELEASE } from "../../charts/platform/barman-plugin";
import { contractFor, RELEASE_CONTRACTS, upstreamChart } from "../../src/check/releases";
import { ANNOTATIONS } from "../../src/check/k8s";
import { releaseContract } from "../../src/check/rules/release-contract";
import { refSecret } from "../../src/check/rules/ref-secret";
import { helmRelease, ids, run } from "./fixtures";

// Every chart the platform can install: a chart added to releases.ts without a contract fails here.
const PINNED: readonly PinnedChart[] = Object.values(ALL_CHARTS);

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

describe("Barman Cloud plugin contract (chart 0.7.0)", () => {
  const release = { name: BARMAN_PLUGIN_RELEASE, namespace: BARMAN_PLUGIN_CHART.namespace, values: {} };
  const objects = contractFor(BARMAN_PLUGIN_CHART.chart, BARMAN_PLUGIN_CHART.version)!.objects(release);
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it("installs the plugin Deployment with the labels and port socle's NetworkPolicies name (templates/deployment.yaml, service.yaml)", () => {
    const d = find("Deployment", "plugin-barman-cloud")!;
    const pod = (d.spec as { template: { metadata: { labels: unknown }; spec: { containers: { ports: unknown }[] } } }).template;
    expect(pod.metadata.labels).toEqual(BARMAN_PLUGIN_LABELS);
    expect(pod.spec.containers[0]!.ports).toEqual([{ containerPort: BARMAN_PLUGIN_PORT }]);
    expect(d.metadata.annotations?.[ANNOTATIONS.needsApiServer]).toBe("true");
    expect((find("Service", "barman-cloud")!.spec as { ports: unknown }).ports).toEqual([{ port: 9090, targetPort: 9090 }]);
  });

  it("creates, through cert-manager, the two Secrets the plugin mounts; a release that turns the Certificates off leaves them unresolved", () => {
    const pluginRelease = (values: Record<string, unknown>) => helmRelease(BARMAN_PLUGIN_RELEASE, "cnpg-system", BARMAN_PLUGIN_CHART.chart, BARMAN_PLUGIN_CHART.version, values);
    expect(run(refSecret, [], [pluginRelease({})])).toEqual([]);
    const off = run(refSecret, [], [pluginRelease({ certificate: { createClientCertificate: false } })]);
    expect(ids(off)).toEqual(["blocker Deployment/cnpg-system/plugin-barman-cloud spec.template.spec.volumes[1].secret.secretName"]);
    expect(find("Issuer", "plugin-barman-cloud-selfsigned-issuer")).toBeDefined();
  });

  it("names its objects after the release as _helpers.tpl does (`<release>-plugin-barman-cloud` unless the release name holds the chart name)", () => {
    const other = contractFor(BARMAN_PLUGIN_CHART.chart, BARMAN_PLUGIN_CHART.version)!.objects({ name: "backups", namespace: "x", values: {} });
    expect(other.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name)).toEqual(["backups-plugin-barman-cloud"]);
    expect(upstreamChart(`oci://registry.example/mirror/${chartMirrorPath(BARMAN_PLUGIN_CHART)}`)).toBe("plugin-barman-cloud");
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
