import { beforeAll, describe, expect, it } from "vitest";
import { BARMAN_PLUGIN_CHART, BARMAN_PLUGIN_RELEASE } from "../../charts/platform/barman-plugin";
import { chartMirrorPath, PINNED_CHARTS, TRUST_MANAGER_CHART } from "../../charts/platform/releases";
import type { RenderResult } from "../../src/render/render";
import type { StateResource } from "../../src/render/state";
import { manifestObjects, renderToTemp } from "../helpers/render";

let result: RenderResult;
let resources: StateResource[];
let manifests: Record<string, any>[];

beforeAll(async () => {
  result = await renderToTemp("demo");
  resources = result.state.deployment.resources;
  manifests = manifestObjects(result);
});

const releases = () => resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
const obj = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);

describe("socle render demo (target existing): platform", () => {
  it("installs every platform Helm chart at its pinned version, repository and namespace", () => {
    const byName = new Map(releases().map((r) => [r.inputs!.name as string, r.inputs!]));
    const expected: Record<string, (typeof PINNED_CHARTS)[keyof typeof PINNED_CHARTS]> = {
      "envoy-gateway": PINNED_CHARTS.envoyGateway,
      "cert-manager": PINNED_CHARTS.certManager,
      "cloudnative-pg": PINNED_CHARTS.cnpg,
      velero: PINNED_CHARTS.velero,
      "kube-prometheus-stack": PINNED_CHARTS.kubePrometheusStack,
      // The demo's issuer is the internal CA: trust-manager distributes its root.
      "trust-manager": TRUST_MANAGER_CHART,
      // Database backups: every Cluster names the Barman Cloud plugin as its WAL archiver.
      [BARMAN_PLUGIN_RELEASE]: BARMAN_PLUGIN_CHART,
    };
    expect([...byName.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, pin] of Object.entries(expected)) {
      const inputs = byName.get(name)!;
      expect(inputs.version, name).toBe(pin.version);
      expect(inputs.version, name).toMatch(/^v?\d+\.\d+\.\d+$/);
      // The demo sets socle:registryMirror: every chart comes from the organisation's OCI registry, none from upstream.
      expect(inputs.chart, name).toBe(`oci://registry.demo.socle.test/mirror/${chartMirrorPath(pin)}`);
      expect(inputs.namespace, name).toBe(pin.namespace);
      expect(inputs.createNamespace, name).toBe(false);
      expect(inputs.repositoryOpts, name).toBeUndefined();
    }
    const cm = byName.get("cert-manager")!.values as { config: { enableGatewayAPI: boolean } };
    expect(cm.config.enableGatewayAPI).toBe(true);
  });

  // cloudnative-pg/charts plugin-barman-cloud-v0.7.0: values `image` and `sidecarImage` ({registry, repository, tag}).
  it("installs the Barman Cloud plugin with both images from the catalog, since every database archives through it", () => {
    const plugin = releases().find((r) => r.inputs!.name === BARMAN_PLUGIN_RELEASE)!;
    const values = plugin.inputs!.values as Record<string, { registry: string; repository: string; tag: string }>;
    // The demo pulls through its mirror: the repository path ends with the catalog's.
    expect(`${values.image.registry}/${values.image.repository}`).toMatch(/\/cloudnative-pg\/plugin-barman-cloud$/);
    expect(`${values.sidecarImage.registry}/${values.sidecarImage.repository}`).toMatch(/\/cloudnative-pg\/plugin-barman-cloud-sidecar$/);
    expect(values.image.tag).toBe("v0.13.0");
    // The chart creates a cert-manager Issuer and Certificates (templates/certificate-issuer.yaml): it waits for the edge.
    expect((plugin.dependencies ?? []).some((d) => /socle:platform:Edge|helm\.sh\/v3:Release::cert-manager/.test(d)), JSON.stringify(plugin.dependencies)).toBe(true);
    const clusters = manifests.filter((m) => m.kind === "Cluster");
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) expect(c.spec.plugins.map((p: any) => p.name), c.metadata.name).toContain("barman-cloud.cloudnative-pg.io");
    expect(manifests.filter((m) => m.kind === "ObjectStore")).toHaveLength(clusters.length);
  });

  it("deploys Garage on a protected StatefulSet with its Secrets generated, never in clear", () => {
    const sts = resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet" && r.urn.endsWith("socle-storage/garage"))!;
    expect(sts.protect).toBe(true);
    expect(obj("Job", "garage-bootstrap")).toBeDefined();
    for (const name of ["garage-secrets", "garage-backup-key"]) {
      const s = obj("Secret", name)!;
      for (const v of Object.values(s.stringData as Record<string, string>)) expect(v).not.toMatch(/socle-render-secret-/);
    }
    expect(resources.filter((r) => r.type === "random:index/randomBytes:RandomBytes").map((r) => r.urn.split("::").pop()).sort()).toEqual(
      ["backup-access-key", "backup-secret-key", "object-storage-rpc-secret", "chat-signing-key"].sort(),
    );
  });

  it("schedules a Velero backup of the wiki namespace kept for the backup retention", () => {
    const schedule = obj("Schedule", "nightly-demo-wiki")!;
    expect(schedule.spec.template.includedNamespaces).toEqual(["demo-wiki"]);
    expect(schedule.spec.template.ttl).toBe(`${30 * 24}h0m0s`);
    expect(obj("BackupStorageLocation", "default")!.spec.objectStorage.bucket).toBe("demo-backups");
  });

  it("keeps logs for socle:logRetentionDays (365 by default) and labels the store with it", () => {
    const store = obj("StatefulSet", "victoria-logs")!;
    expect(store.metadata.labels["socle.io/log-retention-days"]).toBe("365");
    expect(store.spec.template.spec.containers[0].args).toContain("-retentionPeriod=365d");
    const socle = resources[0].outputs!.socle as { minLogRetentionDays: number; declaredLoadBalancers: string[] };
    expect(socle.minLogRetentionDays).toBe(365);
    // The gateway's, and the mail server's SMTP/IMAP Service.
    expect(socle.declaredLoadBalancers).toEqual(["envoy-gateway-system/*", "demo-mail/stalwart-mail"]);
  });

  it("declares no LoadBalancer Service of its own: the gateway's, made by Envoy Gateway, and the mail server's are the only ones", () => {
    const lbs = manifests.filter((m) => m.kind === "Service" && m.spec?.type === "LoadBalancer");
    expect(lbs.map((m) => `${m.metadata.namespace}/${m.metadata.name}`)).toEqual(["demo-mail/stalwart-mail"]);
    expect(obj("GatewayClass", "envoy-gateway")!.spec.controllerName).toBe("gateway.envoyproxy.io/gatewayclass-controller");
  });
});
