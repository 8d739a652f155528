/**
 * The platform's Prometheus and the kubelets (`socle:monitoring.nodeCidrs`): with the nodes' ranges, the example
 * platform (stacks/Pulumi.hebergeur-plateforme.yaml) scrapes cAdvisor only and may reach the nodes on 10250 only;
 * without them, no kubelet scrape, no egress to the nodes, and `socle check` says OpenCost prices requests.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../../charts/platform/flows";
import { CERT_MANAGER_LABELS, PLATFORM_PORTS } from "../../charts/platform/namespaces";
import { kubeletScrapeValues } from "../../charts/platform/values";
import { flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { runCheckCommand } from "../../src/check/command";
import { canEgressOutside, networkPolicies, podWorkload } from "../../src/check/net";
import { kubeletScrape, scrapesCadvisor } from "../../src/check/rules/kubelet-scrape";
import { openCostData } from "../../src/check/rules/opencost";
import type { RenderResult } from "../../src/render/render";
import type { StateResource } from "../../src/render/state";
import { manifestObjects, renderEditedToTemp, renderToTemp, ROOT } from "../helpers/render";

const STACK = "hebergeur-plateforme";
const STACK_FILE = join(ROOT, "stacks", `Pulumi.${STACK}.yaml`);
const EXAMPLE_RANGE = "10.10.0.0/24";
type Obj = Record<string, any>;

/** The example platform's stack file with its `socle:monitoring` block (and the comment above it) replaced by `block`. */
function withMonitoring(text: string, block: readonly string[]): string {
  const lines = text.split("\n");
  const key = lines.findIndex((l) => l.startsWith("  socle:monitoring:"));
  expect(key).toBeGreaterThan(0);
  let start = key;
  while (lines[start - 1]!.startsWith("  #")) start--;
  let end = key + 1;
  while (end < lines.length && !/^  \S/.test(lines[end]!)) end++;
  return [...lines.slice(0, start), ...block, ...lines.slice(end)].join("\n");
}

let withIt: RenderResult;
let without: RenderResult;
const manifests = (r: RenderResult): Obj[] => manifestObjects(r);
const resources = (r: RenderResult): StateResource[] => r.state.deployment.resources;
const promRelease = (r: RenderResult) => resources(r).find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs?.name === "kube-prometheus-stack")!;
const policies = (r: RenderResult) => manifests(r).filter((o) => o.kind === "NetworkPolicy");
const prometheus = podWorkload("prometheus", MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS, [PLATFORM_PORTS.prometheus]);

beforeAll(async () => {
  withIt = await renderToTemp(STACK);
  without = await renderEditedToTemp(STACK, (text) => withMonitoring(text, []));
}, 240_000);

describe("with the nodes' ranges (the example platform, socle:monitoring.nodeCidrs)", () => {
  it("the example sets a private example range, marked as one to replace", () => {
    const text = readFileSync(STACK_FILE, "utf8");
    expect(text).toMatch(/AN EXAMPLE private range: replace it/);
    expect(text).toContain(`      - ${EXAMPLE_RANGE}\n`);
  });

  it("scrapes the kubelets' cAdvisor only: no /metrics, /metrics/probes or /metrics/resource; the operator keeps the kubelet Service", () => {
    const values = promRelease(withIt).inputs!.values as Obj;
    expect(values.kubelet).toEqual({
      enabled: true,
      serviceMonitor: { enabled: true, kubelet: false, probes: false, resource: false, cAdvisor: true, https: true, insecureSkipVerify: true },
    });
    expect(values.prometheusOperator.kubeletService).toEqual({ enabled: true });
    expect(scrapesCadvisor(values)).toBe(true);
  });

  it("adds exactly one flow: Prometheus pods to the nodes' ranges on TCP 10250, nothing else changes", () => {
    const mine = policies(withIt).find((p) => p.metadata.name === "allow-prometheus-to-kubelets")!;
    expect(mine.metadata.namespace).toBe(MONITORING_NAMESPACE);
    expect(mine.spec).toEqual({
      podSelector: { matchLabels: PROMETHEUS_POD_LABELS },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: EXAMPLE_RANGE } }], ports: [{ port: 10250, protocol: "TCP" }] }],
    });
    const key = (p: Obj) => `${p.metadata.namespace}/${p.metadata.name}`;
    const before = new Map(policies(without).map((p) => [key(p), JSON.stringify(p)]));
    const after = new Map(policies(withIt).map((p) => [key(p), JSON.stringify(p)]));
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([`${MONITORING_NAMESPACE}/allow-prometheus-to-kubelets`]);
    expect([...before.keys()].filter((k) => !after.has(k))).toEqual([]);
    for (const [k, v] of before) expect(after.get(k), k).toBe(v);
    // Pod to pod, nothing new: cert-manager's webhook also listens on 10250, Prometheus still may not reach it.
    const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
    const workloads = [w("prometheus", MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS, [9090]), w("cm-webhook", "cert-manager", CERT_MANAGER_LABELS.webhook, [10250]), w("operator", MONITORING_NAMESPACE, { app: "kube-prometheus-stack-operator" }, [8080])];
    expect(flowTable(policies(withIt) as unknown as NetworkPolicy[], workloads)).toEqual(flowTable(policies(without) as unknown as NetworkPolicy[], workloads));
    expect(flowTable(policies(withIt) as unknown as NetworkPolicy[], workloads)).not.toContain("prometheus -> cm-webhook:10250");
    // To the nodes: the Prometheus pods only, on 10250 only.
    const np = networkPolicies(manifests(withIt) as never);
    expect(canEgressOutside(np, prometheus, [10250])).toBe(true);
    expect(canEgressOutside(np, podWorkload("operator", MONITORING_NAMESPACE, { app: "kube-prometheus-stack-operator" }), [10250])).toBe(false);
    expect(canEgressOutside(np, prometheus, [10255])).toBe(false);
    expect(canEgressOutside(np, prometheus, [4194])).toBe(false);
  });

  it("the operator that writes the kubelet Service and Endpoints may reach the API server", () => {
    const api = policies(withIt).find((p) => p.metadata.namespace === MONITORING_NAMESPACE && p.metadata.name === "allow-to-api-server")!;
    expect(api.spec.podSelector).toEqual({ matchLabels: {} });
    expect(api.spec.egress[0].to.every((p: Obj) => p.ipBlock)).toBe(true);
    expect(api.spec.egress[0].ports.map((p: Obj) => p.port)).toEqual([443, 6443]);
  });

  it("socle check: no opencost-data or kubelet-scrape finding, no blocker", async () => {
    const { code, result } = await runCheckCommand({ input: join(withIt.outDir, "state.json"), format: "json", out: () => undefined });
    expect(code).toBe(0);
    expect(result.findings.filter((f) => f.severity === "blocker")).toEqual([]);
    expect(result.findings.filter((f) => f.rule === "opencost-data" || f.rule === "kubelet-scrape")).toEqual([]);
  });

  it("a planted break, the 10250 egress removed while scraping is on, blocks (kubelet-scrape) and OpenCost's check warns", () => {
    const model = (r: RenderResult, drop: (o: Obj) => boolean) => ({
      resources: resources(r)
        .filter((x) => x.type === "kubernetes:helm.sh/v3:Release")
        .map((x) => ({ type: x.type, name: String(x.inputs?.name), urn: x.urn, props: x.inputs as Obj })) as never,
      objects: manifests(r).filter((o) => !drop(o)) as never,
      cloud: [],
      context: {} as never,
    });
    expect(kubeletScrape.run(model(withIt, () => false))).toEqual([]);
    const broken = model(withIt, (o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-prometheus-to-kubelets");
    const found = kubeletScrape.run(broken);
    expect(found.map((f) => [f.severity, f.object, f.path])).toEqual([["blocker", `Release/${MONITORING_NAMESPACE}/kube-prometheus-stack`, "values.kubelet.serviceMonitor.cAdvisor"]]);
    expect(found[0]!.message).toMatch(/allow no node address on 10250/);
    const oc = openCostData.run(broken).filter((f) => f.path === "values.opencost.prometheus");
    expect(oc.map((f) => f.severity)).toEqual(["warning"]);
    expect(oc[0]!.message).toMatch(/may not reach the kubelets \(port 10250/);
  });
});

describe("without the nodes' ranges (target existing, no socle:monitoring)", () => {
  it("renders no kubelet scrape: the ServiceMonitor and the operator's kubelet Service are off, as kubeletScrapeValues(false) says", () => {
    const values = promRelease(without).inputs!.values as Obj;
    expect(values.kubelet).toEqual({ enabled: false });
    expect(values.prometheusOperator.kubeletService).toEqual({ enabled: false });
    expect(kubeletScrapeValues(false)).toEqual({ kubelet: values.kubelet, kubeletService: values.prometheusOperator.kubeletService });
    expect(scrapesCadvisor(values)).toBe(false);
    // The chart's defaults scrape the kubelets: values that say nothing read as on.
    expect(scrapesCadvisor({})).toBe(true);
  });

  it("renders no egress to the nodes", () => {
    expect(policies(without).some((p) => p.metadata.name === "allow-prometheus-to-kubelets")).toBe(false);
    expect(canEgressOutside(networkPolicies(manifests(without) as never), prometheus, [10250])).toBe(false);
  });

  it("socle check keeps the opencost-data warning, whose fix names the setting; kubelet-scrape finds nothing to block", async () => {
    const { code, result } = await runCheckCommand({ input: join(without.outDir, "state.json"), format: "json", out: () => undefined });
    expect(code).toBe(0);
    expect(result.findings.filter((f) => f.rule === "kubelet-scrape")).toEqual([]);
    const mine = result.findings.filter((f) => f.rule === "opencost-data");
    expect(mine.map((f) => [f.severity, f.object])).toEqual([["warning", "Release/socle-opencost/opencost"]]);
    expect(mine[0]!.message).toMatch(/does not scrape the kubelets.*container_cpu_usage_seconds_total.*prices requests/);
    expect(mine[0]!.fix).toMatch(/set socle:monitoring\.nodeCidrs on the platform stack/);
  });
});

describe("a bad node range in the stack file", () => {
  const socle = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

  it("exits 2 with the key path, its line, the value and the fix, writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-bad-nodes-"));
    const file = join(dir, `Pulumi.${STACK}.yaml`);
    writeFileSync(file, withMonitoring(readFileSync(STACK_FILE, "utf8"), ["  socle:monitoring:", "    nodeCidrs:", "      - 10.10.0.0/24", "      - 10.10.0.1/24", "      - 0.0.0.0/0"]));
    const out = join(dir, "out");
    const r = socle("render", STACK, "--stack-file", file, "--out", out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/socle:monitoring\.nodeCidrs\[1\] \(line \d+\) = "10\.10\.0\.1\/24": is not an IPv4 CIDR such as 10\.0\.0\.0\/16/);
    expect(r.stderr).toMatch(/socle:monitoring\.nodeCidrs\[2\] \(line \d+\) = "0\.0\.0\.0\/0": is larger than a \/8/);
    expect(r.stderr).not.toMatch(/nodeCidrs\[0\]/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(existsSync(out)).toBe(false);
  });
});
