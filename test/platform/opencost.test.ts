/**
 * OpenCost on the example platform (stacks/Pulumi.hebergeur-plateforme.yaml, `socle:opencost`): the release,
 * the pricing ConfigMap `socle usage` prints for the same sheet, the flows; without the setting, nothing of it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { GARAGE_LABELS } from "../../charts/platform/garage";
import { MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../../charts/platform/flows";
import { OPENCOST_API_PORT, OPENCOST_CONFIGMAP, OPENCOST_NAMESPACE, OPENCOST_POD_LABELS, openCostPricingConfigMap } from "../../charts/platform/opencost";
import { chartMirrorPath, OPENCOST_CHART } from "../../charts/platform/releases";
import { flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { runCheckCommand } from "../../src/check/command";
import { contractFor } from "../../src/check/releases";
import { openCostData } from "../../src/check/rules/opencost";
import { networkPolicies } from "../../src/check/net";
import { IMAGES } from "../../src/images/catalog";
import type { RenderResult } from "../../src/render/render";
import type { StateResource } from "../../src/render/state";
import { readPriceSheet } from "../../src/usage/prices";
import { ManifestValidator } from "../../src/validate/manifests";
import { manifestObjects, renderEditedToTemp, renderToTemp, ROOT, SHARED } from "../helpers/render";
import { cli } from "../tenants-cli/fleet-fixture";
import { openCostReads } from "../usage/opencost-reader";

const STACK = "hebergeur-plateforme";
const STACK_FILE = join(ROOT, "stacks", `Pulumi.${STACK}.yaml`);
type Obj = Record<string, any>;

/** The example stack file without its `socle:opencost` block (the block and its comment are the file's last lines). */
/** The example platform's `socle:opencost` block (its comment lines first): [first line, line after it). */
function openCostBlock(lines: string[]): [number, number] {
  const start = lines.findIndex((l) => l.startsWith("  # OpenCost,"));
  expect(start).toBeGreaterThan(0);
  // The block ends at the next top-level key (or comment) of `config:` after `socle:opencost:`.
  const key = lines.findIndex((l, i) => i > start && l.startsWith("  socle:opencost:"));
  const next = lines.findIndex((l, i) => i > key && /^  \S/.test(l));
  return [start, next < 0 ? lines.length : next];
}

function withoutOpenCost(text: string): string {
  const lines = text.split("\n");
  const [start, end] = openCostBlock(lines);
  return [...lines.slice(0, start), ...lines.slice(end)].join("\n").replace(/\n*$/, "\n");
}

function openCostOnly(text: string): string {
  const lines = text.split("\n");
  const [start, end] = openCostBlock(lines);
  return lines.slice(start, end).join("\n") + "\n";
}

let withIt: RenderResult;
let without: RenderResult;
const manifests = (r: RenderResult): Obj[] => manifestObjects(r);
const resources = (r: RenderResult): StateResource[] => r.state.deployment.resources;
const release = (r: RenderResult) => resources(r).find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs?.name === "opencost");

beforeAll(async () => {
  withIt = await renderToTemp(STACK);
  without = await renderEditedToTemp(STACK, (text) => withoutOpenCost(text));
}, 240_000);

describe("OpenCost on the platform (socle:opencost)", () => {
  it("installs the pinned chart from the mirror, UI, MCP, cloud costs and plugins off, custom prices from socle's ConfigMap, the platform's Prometheus", () => {
    const r = release(withIt)!;
    expect(r).toBeDefined();
    const inputs = r.inputs as Obj;
    expect(inputs.version).toBe("2.5.17");
    expect(inputs.chart).toBe(`oci://registry.hebergeur.socle.test/mirror/${chartMirrorPath(OPENCOST_CHART)}`);
    expect(chartMirrorPath(OPENCOST_CHART)).toBe("opencost.github.io/opencost-helm-chart/opencost");
    expect(inputs.namespace).toBe(OPENCOST_NAMESPACE);
    expect(inputs.createNamespace).toBe(false);
    const v = inputs.values;
    expect(v.opencost.ui.enabled).toBe(false);
    expect(v.opencost.mcp.enabled).toBe(false);
    expect(v.opencost.cloudCost.enabled).toBe(false);
    expect(v.opencost.carbonCost.enabled).toBe(false);
    expect(v.plugins.enabled).toBe(false);
    expect(v.networkPolicies.enabled).toBe(false);
    expect(v.opencost.customPricing).toEqual({ enabled: true, createConfigmap: false, configmapName: OPENCOST_CONFIGMAP, provider: "custom", configPath: "/tmp/custom-config" });
    expect(v.opencost.prometheus.internal).toEqual({ enabled: true, serviceName: "kube-prometheus-stack-prometheus", namespaceName: MONITORING_NAMESPACE, port: 9090, scheme: "http" });
    expect(v.opencost.prometheus.external.enabled).toBe(false);
    expect(v.opencost.exporter.extraEnv).toEqual({ USE_CUSTOM_PROVIDER: "true", PRODUCT_ANALYTICS_ENABLED: "false", ERROR_REPORTING_ENABLED: "false", VALUES_REPORTING_ENABLED: "false" });
    // The catalog's image, through the mirror, pinned by the digest the chart itself names at that tag.
    const img = v.opencost.exporter.image;
    expect(img.registry).toBe("registry.hebergeur.socle.test");
    expect(img.repository).toBe("mirror/ghcr.io/opencost/opencost");
    expect(img.tag).toBe(`${IMAGES.opencost.tag}@${IMAGES.opencost.digest}`);
    // Restricted: non-root, no privilege escalation, read-only root filesystem, no capabilities.
    expect(v.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001, seccompProfile: { type: "RuntimeDefault" } });
    expect(v.opencost.exporter.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    // The namespace, its policies and the ConfigMap exist before the release, which reads the ConfigMap at start.
    expect((r.dependencies ?? []).some((d) => d.includes("opencost-base"))).toBe(true);
    const ns = manifests(withIt).find((m) => m.kind === "Namespace" && m.metadata.name === OPENCOST_NAMESPACE)!;
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("renders the pricing ConfigMap `socle usage --opencost-configmap` prints for the same sheet, and OpenCost reads the sheet's prices from it", async () => {
    const cm = manifests(withIt).find((m) => m.kind === "ConfigMap" && m.metadata.name === OPENCOST_CONFIGMAP)!;
    expect(cm.metadata.namespace).toBe(OPENCOST_NAMESPACE);
    // From the platform stack's own sheet (no --prices): the same bytes.
    const fromStack = await cli(ROOT, ["usage", "--platform", STACK, "--opencost-configmap", OPENCOST_NAMESPACE]);
    expect(fromStack.code, fromStack.err).toBe(0);
    expect(parse(fromStack.out)).toEqual(cm);
    // The stack's sheet is examples/prices.yaml's: `--prices` gives the same ConfigMap.
    const fromFile = await cli(ROOT, ["usage", "--prices", join(ROOT, "examples", "prices.yaml"), "--opencost-configmap", OPENCOST_NAMESPACE]);
    expect(parse(fromFile.out)).toEqual(cm);
    expect(cm).toEqual(JSON.parse(JSON.stringify(openCostPricingConfigMap(readPriceSheet(join(ROOT, "examples", "prices.yaml")), { name: OPENCOST_CONFIGMAP, namespace: OPENCOST_NAMESPACE }))));
    // What OpenCost holds after reading it: 12 €/vCPU-month, 3 €/GiB-month, 0.10 €/GiB-month ÷ 730 hours.
    const read = openCostReads(cm.data);
    expect(read).toMatchObject({ Provider: "custom", CPU: "0.016438", SpotCPU: "0.016438", RAM: "0.004110", Storage: "0.000137", GPU: "0.000000", CurrencyCode: "EUR" });
  });

  it("allows exactly OpenCost's flows: to Prometheus, Prometheus to it, to the API server and DNS; nothing else", () => {
    const objs = manifests(withIt);
    const policies = objs.filter((o) => o.kind === "NetworkPolicy") as unknown as NetworkPolicy[];
    const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
    const workloads = [
      w("opencost", OPENCOST_NAMESPACE, OPENCOST_POD_LABELS, [OPENCOST_API_PORT]),
      w("prometheus", MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS, [9090]),
      w("garage", "socle-storage", GARAGE_LABELS, [3900, 3903]),
      w("other-in-monitoring", MONITORING_NAMESPACE, { app: "x" }, [9090]),
      w("intruder", "tenant-a-wiki", { app: "x" }, [80]),
      w("other-in-opencost", OPENCOST_NAMESPACE, { app: "x" }, [OPENCOST_API_PORT]),
    ];
    const involving = flowTable(policies, workloads).filter((f) => /(^| )(opencost|other-in-opencost)\b/.test(f));
    expect(involving).toEqual(["opencost -> prometheus:9090", "prometheus -> opencost:9003"]);
    // Default deny in OpenCost's namespace, DNS and the API server (an ipBlock on the API server's ports) for its pods.
    const own = objs.filter((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === OPENCOST_NAMESPACE).map((o) => o.metadata.name).sort();
    expect(own).toEqual(["allow-dns", "allow-opencost-to-api-server", "allow-opencost-to-prometheus", "allow-scrape-opencost", "default-deny"]);
    const api = objs.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-opencost-to-api-server")!;
    expect(api.spec.podSelector.matchLabels).toEqual(OPENCOST_POD_LABELS);
    expect(api.spec.egress[0].to.every((p: Obj) => p.ipBlock)).toBe(true);
    // Prometheus scrapes it: a PodMonitor on its metrics port, and 9003 among the monitoring namespace's scrape ports.
    const monitor = objs.find((o) => o.kind === "PodMonitor" && o.metadata.name === "opencost")!;
    expect(monitor.spec).toMatchObject({ namespaceSelector: { matchNames: [OPENCOST_NAMESPACE] }, selector: { matchLabels: OPENCOST_POD_LABELS }, podMetricsEndpoints: [{ portNumber: OPENCOST_API_PORT, path: "/metrics" }] });
  });

  it("renders objects valid against the Kubernetes and CRD schemas", () => {
    const validator = new ManifestValidator([join(SHARED, "crds")]);
    const mine = manifests(withIt).filter((o) => o.metadata?.namespace === OPENCOST_NAMESPACE || /opencost/.test(o.metadata?.name ?? ""));
    expect(mine.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      ["ConfigMap/socle-custom-pricing", "Namespace/socle-opencost", "NetworkPolicy/allow-dns", "NetworkPolicy/allow-opencost-to-api-server", "NetworkPolicy/allow-opencost-to-prometheus", "NetworkPolicy/allow-prometheus-from-opencost", "NetworkPolicy/allow-scrape-opencost", "NetworkPolicy/default-deny", "PodMonitor/opencost"].sort(),
    );
    expect(mine.flatMap((o) => validator.validate(o as never))).toEqual([]);
  });

  it("models what the chart installs at 2.5.17 from its templates, with the release's values: one pod, port 9003, no UI or MCP port", () => {
    const values = (release(withIt)!.inputs as Obj).values;
    const objs = contractFor(OPENCOST_CHART.chart, OPENCOST_CHART.version)!.objects({ name: "opencost", namespace: OPENCOST_NAMESPACE, values });
    const d = objs.find((o) => o.kind === "Deployment")!;
    const pod = (d.spec as Obj).template;
    expect(pod.metadata.labels).toEqual(OPENCOST_POD_LABELS);
    expect(pod.spec.containers.map((c: Obj) => c.name)).toEqual(["opencost"]);
    expect(pod.spec.containers[0].ports).toEqual([{ name: "http", containerPort: 9003 }]);
    expect(pod.spec.containers[0].env).toContainEqual({ name: "PROMETHEUS_SERVER_ENDPOINT", value: "http://kube-prometheus-stack-prometheus.socle-monitoring.svc.cluster.local:9090" });
    expect(pod.spec.containers[0].env).toContainEqual({ name: "PRICING_CONFIGMAP_NAME", value: OPENCOST_CONFIGMAP });
    expect((objs.find((o) => o.kind === "Service")!.spec as Obj).ports).toEqual([{ name: "http", port: 9003, targetPort: 9003 }]);
    // With the chart's defaults: the UI container and its ConfigMap, the MCP port, a chart-made pricing ConfigMap when asked.
    const defaults = contractFor(OPENCOST_CHART.chart, OPENCOST_CHART.version)!.objects({ name: "cost", namespace: "x", values: { opencost: { customPricing: { enabled: true } } } });
    const dd = (defaults.find((o) => o.kind === "Deployment")!.spec as Obj).template.spec;
    expect(defaults.find((o) => o.kind === "Deployment")!.metadata.name).toBe("cost-opencost");
    expect(dd.containers.map((c: Obj) => c.name)).toEqual(["cost-opencost", "opencost-ui"]);
    expect(dd.containers[0].ports.map((p: Obj) => p.containerPort)).toEqual([9003, 8081]);
    expect(defaults.some((o) => o.kind === "ConfigMap" && o.metadata.name === "custom-pricing-model")).toBe(true);
  });

  it("passes socle check with no blocker and no opencost-data finding: Prometheus scrapes the kubelets' cAdvisor (socle:monitoring.nodeCidrs)", async () => {
    let text = "";
    const { code, result } = await runCheckCommand({ input: join(withIt.outDir, "state.json"), format: "json", out: (s) => (text += s) });
    expect(result.findings.filter((f) => f.severity === "blocker")).toEqual([]);
    expect(code).toBe(0);
    // Measured usage: test/platform/kubelet-scrape.test.ts renders the platform without the nodes' ranges, where the warning stays.
    expect(result.findings.filter((f) => f.rule === "opencost-data" || f.rule === "kubelet-scrape")).toEqual([]);
    expect(JSON.parse(text).blockers).toBe(0);
  });
});

describe("the opencost-data check fails what would leave OpenCost without prices or metrics", () => {
  const model = (drop: (o: Obj) => boolean) => {
    const objs = manifests(withIt).filter((o) => !drop(o));
    return {
      resources: [release(withIt)!].map((r) => ({ type: r.type, name: "opencost", urn: r.urn, props: r.inputs as Obj })) as never,
      objects: objs as never,
      cloud: [],
      context: {} as never,
    };
  };
  const blockers = (drop: (o: Obj) => boolean) => openCostData.run(model(drop)).filter((f) => f.severity === "blocker").map((f) => f.path);

  it("nothing blocks on the render as it is", () => {
    expect(blockers(() => false)).toEqual([]);
    expect(networkPolicies(manifests(withIt) as never).length).toBeGreaterThan(10);
  });

  it("a missing pricing ConfigMap, a missing PodMonitor, a denied query or a denied scrape each block", () => {
    expect(blockers((o) => o.kind === "ConfigMap" && o.metadata.name === OPENCOST_CONFIGMAP)).toEqual(["values.opencost.customPricing.configmapName"]);
    expect(blockers((o) => o.kind === "PodMonitor" && o.metadata.name === "opencost")).toEqual(["values.opencost.metrics.serviceMonitor"]);
    expect(blockers((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-prometheus-from-opencost")).toEqual(["values.opencost.prometheus.internal"]);
    expect(blockers((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-opencost-to-prometheus")).toEqual(["values.opencost.prometheus.internal"]);
    expect(blockers((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-scrape-opencost")).toEqual(["values.opencost.exporter.apiPort"]);
  });
});

describe("without socle:opencost", () => {
  it("renders nothing of OpenCost: no release, namespace, ConfigMap, policy, monitor or scrape port", () => {
    expect(release(without)).toBeUndefined();
    expect(resources(without).some((r) => /opencost/i.test(r.urn))).toBe(false);
    const text = readdirSync(join(without.outDir, "manifests")).map((f) => readFileSync(join(without.outDir, "manifests", f), "utf8")).join("\n");
    expect(text).not.toMatch(/opencost/i);
    expect(readFileSync(join(without.outDir, "state.json"), "utf8")).not.toMatch(/opencost/i);
    const scrape = manifests(without).find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-prometheus-scrapes")!;
    expect(JSON.stringify(scrape.spec.egress)).not.toContain(String(OPENCOST_API_PORT));
    // …and the render with it differs by OpenCost's objects only.
    const names = (r: RenderResult) => new Set(resources(r).map((x) => x.urn));
    const added = [...names(withIt)].filter((u) => !names(without).has(u));
    for (const u of added) expect(u, u).toMatch(/opencost/i);
  });
});

describe("a bad price sheet in the stack file", () => {
  const socle = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

  it("exits 2 with each problem at its key path and line, writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-bad-sheet-"));
    const file = join(dir, `Pulumi.${STACK}.yaml`);
    const bad = withoutOpenCost(readFileSync(STACK_FILE, "utf8")) + ["  socle:opencost:", "    priceSheet:", "      currency: USD", "      prices:", "        vcpuMonth: -1", "        ramGiBMonth: 3", "        blockGiBMonth: 0.1", ""].join("\n");
    writeFileSync(file, bad);
    const out = join(dir, "out");
    const r = socle("render", STACK, "--stack-file", file, "--out", out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/socle:opencost\.priceSheet\.currency \(line \d+\) = "USD": is not an allowed value\n\s+allowed: EUR/);
    expect(r.stderr).toMatch(/socle:opencost\.priceSheet\.prices\.vcpuMonth \(line \d+\) = -1: /);
    expect(r.stderr).toMatch(/socle:opencost\.priceSheet\.prices\.objectGiBMonth.*is required/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses socle:opencost on a tenant stack, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-bad-sheet-"));
    const file = join(dir, "Pulumi.tenant-exemple-a.yaml");
    const sheet = openCostOnly(readFileSync(STACK_FILE, "utf8"));
    writeFileSync(file, readFileSync(join(ROOT, "stacks", "Pulumi.tenant-exemple-a.yaml"), "utf8").trimEnd() + "\n" + sheet);
    const r = socle("render", "tenant-exemple-a", "--stack-file", file, "--out", join(dir, "out"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/socle:opencost.*deploys OpenCost on a hoster's platform, but socle:kind is tenant/);
  });
});
