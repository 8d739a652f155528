import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { capacityBytes, GARAGE_ADMIN_SERVICE, GARAGE_NAMESPACE, garageConfig, renderGarageChart } from "../../charts/platform/garage";
import { LOG_COLLECTOR_SECURITY_EXCEPTIONS, renderLogCollectorChart } from "../../charts/platform/log-collector";
import { LOG_RETENTION_LABEL, renderLogStoreChart } from "../../charts/platform/log-store";
import { renderMonitorsChart, platformScrapeTargets } from "../../charts/platform/monitors";
import { renderPlatformNamespaces } from "../../charts/platform/namespaces";
import { renderVeleroChart } from "../../charts/platform/velero";
import { renderGatewayClass } from "../../charts/platform/gateway-class";
import { renderGatewayChart } from "../../charts/gateway";
import { EXCEPTIONS_ANNOTATION } from "../../charts/lib/security";
import { ManifestValidator } from "../../src/validate/manifests";
import { SHARED } from "../helpers/render";
import { apiServer, containers, fakeImages, find, type Obj } from "./fixtures";

const garage = renderGarageChart({
  sizing: "small",
  storageClass: "standard",
  images: { garage: fakeImages.garage, curl: fakeImages.curl },
  region: "on-premises",
  buckets: ["org-backups", "org-docs-media"],
  s3Clients: [{ namespace: "velero" }, { namespace: "org-wiki" }],
}) as Obj[];
const logStore = renderLogStoreChart({ sizing: "small", storageClass: "standard", image: fakeImages["victoria-logs"], retentionDays: 400 }) as Obj[];
const logCollector = renderLogCollectorChart({ sizing: "small", image: fakeImages["fluent-bit"], apiServer }) as Obj[];
const namespaces = renderPlatformNamespaces({
  routeNamespaces: ["org-wiki"],
  apiServer,
  backupStore: { peer: { namespace: GARAGE_NAMESPACE, pods: { "app.kubernetes.io/name": "garage" } }, port: 3900 },
  acme: false,
  scrapePorts: platformScrapeTargets({ garage: true }).map((t) => t.port),
}) as Obj[];
const velero = renderVeleroChart({ bucket: "org-backups", prefix: "velero", region: "on-premises", s3Url: "http://garage.socle-storage.svc:3900", namespaces: ["org-wiki"], retentionDays: 30 }) as Obj[];
const monitors = renderMonitorsChart(platformScrapeTargets({ garage: true })) as Obj[];
const gateway = renderGatewayChart({ gatewayClass: "envoy-gateway", sites: [{ name: "wiki", hostname: "wiki.org.example", routeNamespace: "org-wiki" }] }) as Obj[];
const all = [...garage, ...logStore, ...logCollector, ...namespaces, ...velero, ...monitors, ...gateway, ...renderGatewayClass("envoy-gateway")];

describe("platform charts: manifests", () => {
  it("every object is valid against the Kubernetes and CRD schemas", () => {
    const validator = new ManifestValidator([join(SHARED, "crds")]);
    const unvalidated = new Set(["gateway.envoyproxy.io/v1alpha1/ClientTrafficPolicy"]);
    const problems = all.filter((o) => !unvalidated.has(`${o.apiVersion}/${o.kind}`)).flatMap((o) => validator.validate(o));
    expect(problems).toEqual([]);
  });

  it("labels every namespace for Pod Security Admission and gives every one a default-deny policy", () => {
    const nss = all.filter((o) => o.kind === "Namespace");
    expect(nss.map((n) => n.metadata.name).sort()).toEqual(
      ["cert-manager", "cnpg-system", "envoy-gateway-system", "socle-gateway", "socle-log-collector", "socle-logging", "socle-monitoring", "socle-storage", "velero"].sort(),
    );
    for (const ns of nss) {
      const enforce = ns.metadata.labels["pod-security.kubernetes.io/enforce"];
      expect(["restricted", "baseline", "privileged"], ns.metadata.name).toContain(enforce);
      if (enforce !== "restricted") expect(ns.metadata.annotations?.["socle.io/pod-security-reason"], ns.metadata.name).toMatch(/.{20,}/);
      const deny = all.find((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === ns.metadata.name && o.metadata.name === "default-deny");
      expect(deny?.spec, ns.metadata.name).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    }
    expect(find(all, "Namespace", "socle-log-collector").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(find(all, "Namespace", "socle-storage").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(find(all, "Namespace", "socle-logging").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("declares the GatewayClass of Envoy Gateway", () => {
    expect(find(all, "GatewayClass", "envoy-gateway").spec).toEqual({ controllerName: "gateway.envoyproxy.io/gatewayclass-controller" });
  });
});

describe("platform charts: restricted workloads", () => {
  const restricted = [find(garage, "StatefulSet", "garage"), find(garage, "Job", "garage-bootstrap"), find(logStore, "StatefulSet", "victoria-logs")];

  it("run non-root, read-only, without capabilities or escalation, with RuntimeDefault seccomp and no token", () => {
    for (const w of restricted) {
      const pod = w.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot, w.metadata.name).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
      expect(pod.automountServiceAccountToken, w.metadata.name).toBe(false);
      for (const c of containers(w)) {
        expect(c.securityContext, c.name).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
        expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
        expect(c.resources.requests.cpu).toBeDefined();
        expect(c.resources.requests.memory).toBeDefined();
        expect(c.resources.limits.memory).toBeDefined();
      }
    }
  });

  it("long-running containers have liveness and readiness probes", () => {
    for (const w of [find(garage, "StatefulSet", "garage"), find(logStore, "StatefulSet", "victoria-logs"), find(logCollector, "DaemonSet", "fluent-bit")]) {
      for (const c of w.spec.template.spec.containers) {
        expect(c.readinessProbe, c.name).toBeDefined();
        expect(c.livenessProbe, c.name).toBeDefined();
      }
    }
  });
});

describe("Garage", () => {
  const sts = find(garage, "StatefulSet", "garage");
  const config = find(garage, "ConfigMap", "garage-config").data["garage.toml"] as string;

  it("keeps its data on volume claim templates and listens for S3 on 3900", () => {
    expect(sts.spec.volumeClaimTemplates.map((t: Obj) => t.metadata.name)).toEqual(["meta", "data"]);
    expect(sts.spec.volumeClaimTemplates[1].spec.resources.requests.storage).toBe("100Gi");
    expect(sts.spec.template.metadata.labels["app.kubernetes.io/name"]).toBe("garage");
    expect(config).toContain('api_bind_addr = "[::]:3900"');
    expect(find(garage, "Service", "garage").spec.ports.find((p: Obj) => p.name === "s3").port).toBe(3900);
  });

  it("holds no secret in its configuration: RPC secret and admin token come from a Secret", () => {
    expect(config).not.toMatch(/rpc_secret|admin_token|metrics_token/);
    const env = sts.spec.template.spec.containers[0].env as Obj[];
    expect(env.map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.value])).toEqual([
      ["GARAGE_RPC_SECRET", "garage-secrets", undefined],
      ["GARAGE_ADMIN_TOKEN", "garage-secrets", undefined],
    ]);
    expect(garageConfig("x")).toContain('s3_region = "x"');
  });

  it("bootstraps the layout, imports the backup key and creates every bucket", () => {
    const job = find(garage, "Job", "garage-bootstrap");
    const c = job.spec.template.spec.containers[0];
    const script = c.command[2] as string;
    for (const op of ["GetClusterStatus", "UpdateClusterLayout", "ApplyClusterLayout", "ImportKey", "CreateBucket", "AllowBucketKey"]) expect(script).toContain(`/${op}`);
    expect(script).toContain(`"capacity\\":${100 * 2 ** 30}`);
    expect(c.env.find((e: Obj) => e.name === "BUCKETS").value).toBe("org-backups org-docs-media");
    expect(c.env.find((e: Obj) => e.name === "KEY_SECRET").valueFrom.secretKeyRef).toEqual({ name: "garage-backup-key", key: "secret-access-key" });
    expect(() => capacityBytes("100G")).toThrow(/Gi or Ti/);
  });

  // deuxfleurs-org/garage v2.0.0 src/api/admin/special.rs: `/health` is 503 while partitions lack quorum,
  // i.e. until the layout the Job applies. The Job must reach the admin API without the pod being Ready.
  it("cannot deadlock: the bootstrap Job reaches the admin API through a Service that publishes unready pods", () => {
    const probe = sts.spec.template.spec.containers[0].readinessProbe;
    expect(probe.httpGet).toMatchObject({ path: "/health", port: 3903 });
    const script = find(garage, "Job", "garage-bootstrap").spec.template.spec.containers[0].command[2] as string;
    const [, host, portText] = /api="http:\/\/([a-z0-9-]+)\.socle-storage\.svc:(\d+)\//.exec(script) ?? [];
    expect(host).toBe(GARAGE_ADMIN_SERVICE);
    const svc = find(garage, "Service", host, "socle-storage");
    // The readiness probe gates the endpoints of an ordinary Service: this one must not depend on it.
    expect(svc.spec.publishNotReadyAddresses).toBe(true);
    expect(svc.spec.clusterIP).toBe("None");
    expect(svc.spec.selector).toEqual(sts.spec.template.metadata.labels);
    expect(svc.spec.ports.map((p: Obj) => p.port)).toContain(Number(portText));
    // The S3 Service keeps readiness: clients reach only a laid-out node.
    expect(find(garage, "Service", "garage").spec.publishNotReadyAddresses).toBeUndefined();
  });
});

describe("logs", () => {
  const sts = find(logStore, "StatefulSet", "victoria-logs");

  it("keeps logs exactly the configured number of days and says so with the retention label", () => {
    expect(sts.spec.template.spec.containers[0].args).toContain("-retentionPeriod=400d");
    expect(sts.metadata.labels[LOG_RETENTION_LABEL]).toBe("400");
    expect(sts.spec.template.metadata.labels[LOG_RETENTION_LABEL]).toBe("400");
    expect(() => renderLogStoreChart({ sizing: "small", storageClass: "s", image: "i:1", retentionDays: 0 })).toThrow(/retentionDays 0/);
  });

  it("confines the collector's host access: read-only /var/log, declared exceptions, no capability", () => {
    const ds = find(logCollector, "DaemonSet", "fluent-bit");
    const pod = ds.spec.template.spec;
    expect(pod.volumes.filter((v: Obj) => v.hostPath)).toEqual([{ name: "varlog", hostPath: { path: "/var/log", type: "Directory" } }]);
    expect(pod.containers[0].volumeMounts.find((m: Obj) => m.name === "varlog").readOnly).toBe(true);
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(JSON.parse(ds.metadata.annotations[EXCEPTIONS_ANNOTATION])).toEqual(LOG_COLLECTOR_SECURITY_EXCEPTIONS);
    expect(find(logCollector, "ConfigMap", "fluent-bit-config").data["fluent-bit.conf"]).toContain("Host              victoria-logs.socle-logging.svc");
  });
});

describe("Velero", () => {
  it("writes to the backup bucket through the S3 plugin with region and endpoint", () => {
    const bsl = find(velero, "BackupStorageLocation", "default");
    expect(bsl.spec.objectStorage).toEqual({ bucket: "org-backups", prefix: "velero" });
    expect(bsl.spec.config).toEqual({ region: "on-premises", s3Url: "http://garage.socle-storage.svc:3900", s3ForcePathStyle: "true" });
  });
});

describe("monitoring", () => {
  it("has a PodMonitor per platform component, each on a port the monitoring namespace may reach", () => {
    const names = monitors.map((m) => m.metadata.name).sort();
    expect(names).toEqual(["cert-manager", "cloudnative-pg", "envoy-gateway", "envoy-proxy", "fluent-bit", "garage", "velero", "victoria-logs"]);
    const scrape = find(namespaces, "NetworkPolicy", "allow-prometheus-scrapes", "socle-monitoring");
    const ports = scrape.spec.egress[0].ports.map((p: Obj) => p.port);
    for (const m of monitors) expect(ports).toContain(m.spec.podMetricsEndpoints[0].portNumber);
  });
});
