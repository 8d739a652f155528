/**
 * kube-prometheus-stack's Kubernetes component scrapes on the example platform (stacks/Pulumi.hebergeur-plateforme.yaml):
 * what the release is given, that each scrape it keeps has its flow in the rendered NetworkPolicies and each one it
 * turns off has none, and `socle check` rule `component-scrape` on the render and on planted breaks.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS } from "../../charts/platform/flows";
import { PLATFORM_PORTS } from "../../charts/platform/namespaces";
import { COMPONENT_SCRAPES, DEFAULT_RULE_GROUPS_OFF, componentScrapeValues } from "../../charts/platform/values";
import { runCheckCommand } from "../../src/check/command";
import { API_SERVER_PORTS } from "../../src/check/flows";
import { canEgressOutside, canEgressTo, networkPolicies, podWorkload } from "../../src/check/net";
import { componentScrape, componentScrapes } from "../../src/check/rules/component-scrape";
import type { RenderResult } from "../../src/render/render";
import { manifestObjects, renderToTemp } from "../helpers/render";

type Obj = Record<string, any>;
let r: RenderResult;
let objects: Obj[];

const prometheus = podWorkload("prometheus", MONITORING_NAMESPACE, PROMETHEUS_POD_LABELS, [PLATFORM_PORTS.prometheus]);
const release = () => r.state.deployment.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs?.name === "kube-prometheus-stack")!;
const values = () => release().inputs!.values as Obj;

/** A check model of the render: its Helm releases (values replaced by `edit`) and its manifests (minus `drop`). */
function model(edit: (v: Obj) => Obj = (v) => v, drop: (o: Obj) => boolean = () => false, extra: Obj[] = []) {
  return {
    resources: r.state.deployment.resources
      .filter((x) => x.type === "kubernetes:helm.sh/v3:Release")
      .map((x) => {
        const props = x.inputs as Obj;
        return { type: x.type, name: String(props.name), urn: x.urn, props: props.name === "kube-prometheus-stack" ? { ...props, values: edit(structuredClone(props.values)) } : props };
      }) as never,
    objects: [...objects.filter((o) => !drop(o)), ...extra] as never,
    cloud: [],
    context: {} as never,
  };
}

/** The release's values without socle's component keys: what the chart's defaults scrape. */
function chartDefaults(v: Obj): Obj {
  for (const k of Object.keys(COMPONENT_SCRAPES)) delete v[k];
  delete v.defaultRules;
  return v;
}

beforeAll(async () => {
  r = await renderToTemp("hebergeur-plateforme");
  objects = manifestObjects(r);
}, 240_000);

describe("what the platform gives kube-prometheus-stack", () => {
  it("keeps the API server scrape; turns the controller manager, scheduler, etcd, kube-proxy, CoreDNS and kube-dns off by the chart's keys", () => {
    const v = values();
    expect(v.kubeApiServer).toEqual({ enabled: true });
    for (const k of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy", "coreDns", "kubeDns"]) expect(v[k], k).toEqual({ enabled: false });
    expect(componentScrapes(v).map((c) => c.key)).toEqual(["kubeApiServer"]);
  });

  it("turns off the default rule groups of what is never scraped, and only those", () => {
    const rules = values().defaultRules.rules as Obj;
    expect(Object.keys(rules).sort()).toEqual([...DEFAULT_RULE_GROUPS_OFF].sort());
    expect(Object.values(rules).every((x) => x === false)).toBe(true);
    // Each component turned off has its rule groups off (keys of values.yaml defaultRules.rules at chart 88.5.3).
    const groupsOf: Record<string, string[]> = { kubeControllerManager: ["kubeControllerManager"], kubeScheduler: ["kubeSchedulerAlerting", "kubeSchedulerRecording"], kubeEtcd: ["etcd"], kubeProxy: ["kubeProxy"] };
    for (const [component, groups] of Object.entries(groupsOf)) {
      expect((COMPONENT_SCRAPES as Record<string, boolean>)[component]).toBe(false);
      for (const g of groups) expect(rules[g], g).toBe(false);
    }
    // The groups of what is kept stay on (the chart's default): the API server's and Prometheus's own.
    for (const g of ["kubeApiserverAvailability", "kubeApiserverBurnrate", "kubeApiserverHistogram", "kubeApiserverSlos", "kubernetesSystem", "general", "prometheus", "prometheusOperator"]) expect(rules[g], g).toBeUndefined();
    const v = values();
    expect(componentScrapeValues()).toEqual(Object.fromEntries(Object.keys(componentScrapeValues()).map((k) => [k, v[k]])));
  });

  it("the chart's defaults would scrape the API server, the controller manager, the scheduler, etcd, kube-proxy and CoreDNS", () => {
    expect(componentScrapes({}).map((c) => c.key)).toEqual(["kubeApiServer", "kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy", "coreDns"]);
    expect(componentScrapes({ kubernetesServiceMonitors: { enabled: false } })).toEqual([]);
    expect(componentScrapes({ kubeEtcd: { serviceMonitor: { enabled: false } }, kubeDns: { enabled: true } }).map((c) => c.key)).toEqual(["kubeApiServer", "kubeControllerManager", "kubeScheduler", "kubeProxy", "coreDns", "kubeDns"]);
    expect(componentScrapes({ kubeEtcd: { service: { port: 2379, targetPort: 2382 } } }).find((c) => c.key === "kubeEtcd")!.target.ports).toEqual([2382]);
  });
});

describe("each scrape against the rendered NetworkPolicies", () => {
  it("the kept API server scrape has its flow: Prometheus may reach addresses outside the pod network on 443/6443", () => {
    const np = networkPolicies(objects as never);
    expect(canEgressOutside(np, prometheus, API_SERVER_PORTS)).toBe(true);
  });

  it("every scrape turned off has no flow: the control plane's ports, kube-proxy's and CoreDNS's are denied", () => {
    const np = networkPolicies(objects as never);
    const defaults = componentScrapes({});
    for (const c of defaults.filter((x) => x.key !== "kubeApiServer")) {
      const t = c.target;
      if (t.kind === "outside") expect(canEgressOutside(np, prometheus, t.ports), c.key).toBe(false);
      else for (const p of t.ports) expect(canEgressTo(np, prometheus, podWorkload(c.key, t.namespace, t.labels), p), `${c.key}:${p}`).toBe(false);
    }
  });

  it("socle check on the render: no component-scrape finding, no blocker", async () => {
    const { code, result } = await runCheckCommand({ input: join(r.outDir, "state.json"), format: "json", out: () => undefined });
    expect(code).toBe(0);
    expect(result.findings.filter((f) => f.rule === "component-scrape")).toEqual([]);
  });
});

describe("socle check rule component-scrape on planted breaks", () => {
  it("passes the render as it is", () => {
    expect(componentScrape.run(model())).toEqual([]);
  });

  it("the chart's defaults back: one blocker per scrape that cannot work, none for the API server", () => {
    const found = componentScrape.run(model(chartDefaults));
    expect(found.map((f) => [f.severity, f.object, f.path])).toEqual(
      ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy", "coreDns"].map((k) => ["blocker", `Release/${MONITORING_NAMESPACE}/kube-prometheus-stack`, `values.${k}.enabled`]),
    );
    expect(found.find((f) => f.path === "values.kubeEtcd.enabled")!.message).toMatch(/allow no address outside the pod network on 2381.*TargetDown fires/);
    expect(found.find((f) => f.path === "values.coreDns.enabled")!.message).toMatch(/reaching pods \{"k8s-app":"kube-dns"\} in kube-system on 9153/);
    expect(found[0]!.fix).toMatch(/kubeControllerManager\.enabled: false/);
  });

  it("the API server egress removed: the kept API server scrape blocks", () => {
    const found = componentScrape.run(model((v) => v, (o) => o.kind === "NetworkPolicy" && o.metadata.namespace === MONITORING_NAMESPACE && o.metadata.name === "allow-to-api-server"));
    expect(found.map((f) => f.path)).toEqual(["values.kubeApiServer.enabled"]);
  });

  it("CoreDNS on with a narrow egress to kube-dns pods on 9153 passes; on 53 only it blocks", () => {
    const egress = (p: number) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-prometheus-to-coredns", namespace: MONITORING_NAMESPACE },
      spec: {
        podSelector: { matchLabels: PROMETHEUS_POD_LABELS },
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: p, protocol: "TCP" }] }],
      },
    });
    const withCoreDns = (v: Obj) => ({ ...v, coreDns: { enabled: true } });
    expect(componentScrape.run(model(withCoreDns, () => false, [egress(9153)]))).toEqual([]);
    expect(componentScrape.run(model(withCoreDns, () => false, [egress(53)])).map((f) => f.path)).toEqual(["values.coreDns.enabled"]);
  });

  it("evaluates nothing without a kube-prometheus-stack release in socle-monitoring", () => {
    const m = model();
    expect(componentScrape.run({ ...m, resources: [] as never })).toEqual([]);
  });
});
