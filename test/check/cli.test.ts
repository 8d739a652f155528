import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { KubernetesObject } from "../../policies/types";
import { main } from "../../src/cli/main";
import { allowDns, denyAll, netpol, ns, secret, service, workload } from "./fixtures";

async function check(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["check", ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

function manifests(objects: readonly KubernetesObject[]): string {
  const dir = mkdtempSync(join(tmpdir(), "socle-check-test-"));
  writeFileSync(join(dir, "all.yaml"), objects.map((o) => stringify(o)).join("---\n"));
  return dir;
}

/** A small app that checks clean: web -> cache on 6379, both sides allowed, DNS open, everything referenced exists. */
const CLEAN: KubernetesObject[] = [
  ns("a"),
  denyAll("a"),
  allowDns("a"),
  secret("a", "creds", ["password"]),
  workload("a", "web", {
    labels: { app: "web" },
    containers: [
      {
        name: "web",
        image: "x/web:1",
        ports: [{ name: "http", containerPort: 8080 }],
        readinessProbe: { httpGet: { path: "/", port: "http" } },
        env: [
          { name: "CACHE_URL", value: "redis://cache.a.svc:6379" },
          { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
        ],
      },
    ],
  }),
  service("a", "web", { app: "web" }, [{ port: 80, targetPort: "http" }]),
  workload("a", "cache", { labels: { app: "cache" }, containers: [{ name: "cache", image: "x/cache:1", ports: [{ containerPort: 6379 }] }] }),
  service("a", "cache", { app: "cache" }, [{ port: 6379 }]),
  netpol("a", "web-to-cache", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: { matchLabels: { app: "cache" } } }], ports: [{ port: 6379 }] }] }),
  netpol("a", "cache-from-web", { podSelector: { matchLabels: { app: "cache" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: 6379 }] }] }),
];

const replace = (name: string, kind: string, o: KubernetesObject) => CLEAN.map((x) => (x.kind === kind && x.metadata.name === name ? o : x));
const without = (kind: string, name: string) => CLEAN.filter((x) => !(x.kind === kind && x.metadata.name === name));
const webWith = (patch: Record<string, unknown>) => {
  const w = structuredClone(CLEAN.find((x) => x.metadata.name === "web" && x.kind === "Deployment")!) as KubernetesObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  Object.assign(w.spec.template.spec.containers[0]!, patch);
  return replace("web", "Deployment", w);
};

const DEFECTS: { rule: string; objects: KubernetesObject[]; object: string; path: string }[] = [
  { rule: "ref-secret", objects: without("Secret", "creds"), object: "Deployment/a/web", path: "spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.key" },
  {
    rule: "ref-configmap",
    objects: webWith({ envFrom: [{ configMapRef: { name: "settings" } }] }),
    object: "Deployment/a/web",
    path: "spec.template.spec.containers[0].envFrom[0].configMapRef.name",
  },
  { rule: "ref-volume", objects: webWith({ volumeMounts: [{ name: "data", mountPath: "/data" }] }), object: "Deployment/a/web", path: "spec.template.spec.containers[0].volumeMounts[0].name" },
  { rule: "service-selector", objects: replace("web", "Service", service("a", "web", { app: "web" }, [{ port: 80, targetPort: "https" }])), object: "Service/a/web", path: "spec.ports[0].targetPort" },
  { rule: "probe-port", objects: webWith({ readinessProbe: { httpGet: { path: "/", port: "health" } } }), object: "Deployment/a/web", path: "spec.template.spec.containers[0].readinessProbe.httpGet.port" },
  { rule: "flow-peer", objects: without("NetworkPolicy", "cache-from-web"), object: "Deployment/a/web", path: "spec.template.spec.containers[0].env[0].value" },
  {
    rule: "httproute-refs",
    objects: [...CLEAN, { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "web", namespace: "a" }, spec: { rules: [{ backendRefs: [{ name: "web", port: 8080 }] }] } }],
    object: "HTTPRoute/a/web",
    path: "spec.rules[0].backendRefs[0].port",
  },
  {
    rule: "listener-certificate",
    objects: [...CLEAN, { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "gw", namespace: "a" }, spec: { gatewayClassName: "c", listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "web-tls" }] } }] } }],
    object: "Gateway/a/gw",
    path: "spec.listeners[0].tls.certificateRefs[0].name",
  },
  {
    rule: "flow-webhook",
    objects: [
      ...CLEAN,
      { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: { name: "web" }, webhooks: [{ name: "web.example.test", clientConfig: { service: { name: "web", namespace: "a", port: 80 } } }] },
    ],
    object: "ValidatingWebhookConfiguration/web",
    path: "webhooks[0].clientConfig.service",
  },
  {
    rule: "flow-api-server",
    objects: [
      ...CLEAN.map((o) => {
        if (o.kind !== "Deployment" || o.metadata.name !== "web") return o;
        const w = structuredClone(o) as KubernetesObject & { spec: { template: { spec: Record<string, unknown> } } };
        w.spec.template.spec.serviceAccountName = "robot";
        return w;
      }),
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot", namespace: "a" } },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "web", namespace: "a" }, subjects: [{ kind: "ServiceAccount", name: "robot", namespace: "a" }], roleRef: { kind: "Role", name: "r" } },
    ],
    object: "Deployment/a/web",
    path: "spec.template.metadata.labels",
  },
  {
    rule: "readonly-rootfs",
    objects: [
      ...CLEAN,
      workload("a", "keycloak", {
        containers: [{ name: "keycloak", image: "quay.io/keycloak/keycloak:26.8.0", args: ["start"], volumeMounts: [{ name: "build", mountPath: "/opt/keycloak/lib/quarkus" }] }],
        volumes: [{ name: "build", emptyDir: {} }],
      }),
    ],
    object: "Deployment/a/keycloak",
    path: "spec.template.spec.containers[0].volumeMounts[0].mountPath",
  },
  {
    rule: "cnpg-backup-tools",
    objects: [
      ...CLEAN,
      {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: { name: "db", namespace: "a" },
        spec: { instances: 1, imageName: "ghcr.io/cloudnative-pg/postgresql:17.11-202608310816-standard-trixie", backup: { barmanObjectStore: { destinationPath: "s3://backups/" } } },
      },
      // The instance manager reaches the API server (flow-api-server would otherwise name the instance pod).
      netpol("a", "db-to-api", { podSelector: { matchLabels: { "cnpg.io/cluster": "db" } }, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 6443 }] }] }),
    ],
    object: "Cluster/a/db",
    path: "spec.backup.barmanObjectStore",
  },
  {
    rule: "tls-trust",
    objects: [
      ...CLEAN.map((o) => {
        if (o.kind !== "Deployment" || o.metadata.name !== "web") return o;
        const w = structuredClone(o) as KubernetesObject & { spec: { template: { spec: { containers: { env: unknown[] }[] } } } };
        w.spec.template.spec.containers[0]!.env.push({ name: "OIDC_TOKEN_ENDPOINT", value: "https://auth.example.test/token" });
        return w;
      }),
      ns("edge"),
      { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "ca" }, spec: { ca: { secretName: "root-ca" } } },
      { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "auth", namespace: "edge" }, spec: { secretName: "auth-tls", issuerRef: { kind: "ClusterIssuer", name: "ca" } } },
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "gw", namespace: "edge" },
        spec: { gatewayClassName: "c", listeners: [{ name: "auth", hostname: "auth.example.test", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "auth-tls" }] } }] },
      },
      // The web pods may reach the gateway's address: only the CA is missing.
      netpol("a", "web-to-gateway", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "192.0.2.0/24" } }], ports: [{ port: 443 }] }] }),
    ],
    object: "Deployment/a/web",
    path: "spec.template.spec.containers[0].env[2].value",
  },
];

describe("socle check", () => {
  it("--help shows the usage", async () => {
    const r = await check(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: socle check");
  });

  it("exits 0 on the clean fixture", async () => {
    const r = await check([manifests(CLEAN)]);
    expect(r.err).toBe("");
    expect(r.out).toContain("0 blocker(s)");
    expect(r.code).toBe(0);
  });

  it.each(DEFECTS.map((d) => [d.rule, d] as const))("exits 1 on a planted %s defect and names the object and path", async (_rule, d) => {
    const dir = manifests(d.objects);
    const json = await check([dir, "--format", "json"]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as { findings: { rule: string; severity: string; object: string; path: string; message: string; fix: string }[] };
    const blockers = report.findings.filter((f) => f.severity === "blocker");
    expect(blockers.map((f) => [f.rule, f.object, f.path])).toEqual([[d.rule, d.object, d.path]]);
    expect(blockers[0]!.message.length).toBeGreaterThan(20);
    expect(blockers[0]!.fix.length).toBeGreaterThan(10);
    const table = await check([dir]);
    expect(table.code).toBe(1);
    expect(table.out).toContain(d.object);
    expect(table.out).toContain(d.path);
  });

  it("exits 1 on a Helm release pinned to a version without a contract (state export)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-check-test-"));
    const state = {
      version: 3,
      deployment: {
        resources: [
          {
            urn: "urn:pulumi:t::socle::kubernetes:helm.sh/v3:Release::cert-manager",
            type: "kubernetes:helm.sh/v3:Release",
            custom: true,
            inputs: { name: "cert-manager", namespace: "cert-manager", chart: "cert-manager", version: "v0.0.1", values: {} },
          },
        ],
      },
    };
    writeFileSync(join(dir, "state.json"), JSON.stringify(state));
    const r = await check([join(dir, "state.json"), "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { findings: { rule: string; object: string; path: string }[] };
    expect(report.findings.map((f) => [f.rule, f.object, f.path])).toEqual([["release-contract", "Release/cert-manager/cert-manager", "version"]]);
  });

  it("exits 2 with a clear message and no stack trace on bad input", async () => {
    const missing = await check(["/nonexistent/socle-check-input.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^socle check: .*does not exist/);
    expect(missing.err).not.toMatch(/\n\s+at /);
    const format = await check([manifests(CLEAN), "--format", "xml"]);
    expect(format.code).toBe(2);
    expect(format.err).toContain('--format must be "table" or "json"');
    const dir = mkdtempSync(join(tmpdir(), "socle-check-test-"));
    writeFileSync(join(dir, "bad.yaml"), "a: [unclosed\n");
    const yaml = await check([join(dir, "bad.yaml")]);
    expect(yaml.code).toBe(2);
    expect(yaml.err).toContain("bad.yaml");
  });

  it("prints the same bytes twice (deterministic)", async () => {
    const dir = manifests(DEFECTS[0]!.objects);
    expect((await check([dir, "--format", "json"])).out).toBe((await check([dir, "--format", "json"])).out);
  });
});

describe("socle check on a state file with its rendered manifests beside it", () => {
  function stateWithSealedSecret(dir: string): string {
    const urn = (t: string, n: string) => `urn:pulumi:t::socle::${t}::${n}`;
    const state = {
      version: 3,
      deployment: {
        resources: [
          { urn: urn("kubernetes:core/v1:Namespace", "a"), type: "kubernetes:core/v1:Namespace", custom: true, outputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } } },
          {
            urn: urn("kubernetes:core/v1:Secret", "creds"),
            type: "kubernetes:core/v1:Secret",
            custom: true,
            outputs: { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "a" }, stringData: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" } },
          },
          {
            urn: urn("kubernetes:apps/v1:Deployment", "web"),
            type: "kubernetes:apps/v1:Deployment",
            custom: true,
            outputs: workload("a", "web", { containers: [{ name: "web", image: "x/w:1", env: [{ name: "P", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } }] }] }),
          },
        ],
      },
    };
    writeFileSync(join(dir, "state.json"), JSON.stringify(state));
    return join(dir, "state.json");
  }

  it("reports the key 'not checked' from the state alone, and a blocker when the manifests show the key is missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-check-test-"));
    const file = stateWithSealedSecret(dir);
    const alone = JSON.parse((await check([file, "--format", "json"])).out) as { findings: { rule: string; severity: string; message: string }[] };
    expect(alone.findings.filter((f) => f.rule === "ref-secret").map((f) => [f.severity, f.message.slice(0, 11)])).toEqual([["warning", "not checked"]]);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "manifests"));
    writeFileSync(join(dir, "manifests", "a.yaml"), stringify(secret("a", "creds", ["user"])));
    const r = await check([file, "--format", "json"]);
    expect(r.code).toBe(1);
    const withKeys = JSON.parse(r.out) as { findings: { rule: string; severity: string; object: string; message: string }[] };
    expect(withKeys.findings.filter((f) => f.rule === "ref-secret").map((f) => [f.severity, f.object])).toEqual([["blocker", "Deployment/a/web"]]);
    expect(withKeys.findings.find((f) => f.rule === "ref-secret")!.message).toContain("keys read from");
  });
});
