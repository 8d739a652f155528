import { describe, expect, it } from "vitest";
import { IMAGES } from "../../src/images/catalog";
import { IMAGE_FILESYSTEMS } from "../../src/images/filesystem";
import { IMAGE_READINESS } from "../../src/check/readiness";
import { readonlyRootfs } from "../../src/check/rules/readonly-rootfs";
import { startupDeadlockRule } from "../../src/check/rules/startup-deadlock";
import { tlsTrust } from "../../src/check/rules/tls-trust";
import { cnpgBackupTools } from "../../src/check/rules/cnpg-backup-tools";
import { imageSource, OPERATOR_BUILT_REGISTRY } from "../../src/check/rules/image-source";
import { catalogRegistries } from "../../src/images/ref";
import { ns, run, service, workload } from "./fixtures";

const KEYCLOAK = "registry.example.test/mirror/quay.io/keycloak/keycloak:26.8.0";
const ro = { readOnlyRootFilesystem: true };

describe("image facts", () => {
  it("are keyed by catalog image names and cite a source", () => {
    for (const [name, f] of [...Object.entries(IMAGE_FILESYSTEMS), ...Object.entries(IMAGE_READINESS)]) {
      expect(Object.keys(IMAGES)).toContain(name);
      expect(f.source.length).toBeGreaterThan(20);
    }
  });
});

describe("readonly-rootfs", () => {
  it("fails when an empty volume hides content the image ships (Keycloak lib/quarkus, issue 8)", () => {
    const f = run(readonlyRootfs, [
      ns("id"),
      workload("id", "keycloak", {
        initContainers: [{ name: "build", image: KEYCLOAK, args: ["build"], securityContext: ro, volumeMounts: [{ name: "build", mountPath: "/opt/keycloak/lib/quarkus" }] }],
        containers: [{ name: "keycloak", image: KEYCLOAK, args: ["start", "--optimized"], securityContext: ro, volumeMounts: [{ name: "build", mountPath: "/opt/keycloak/lib/quarkus" }] }],
        volumes: [{ name: "build", emptyDir: {} }],
      }),
    ]);
    const blockers = f.filter((x) => x.severity === "blocker");
    expect(blockers.map((x) => x.path).sort()).toEqual(["spec.template.spec.containers[0].volumeMounts[0].mountPath", "spec.template.spec.initContainers[0].volumeMounts[0].mountPath"]);
  });

  it("passes when an init container of the same image copies the directory into the volume first", () => {
    const f = run(readonlyRootfs, [
      ns("id"),
      workload("id", "keycloak", {
        initContainers: [
          { name: "copy", image: KEYCLOAK, command: ["sh", "-c", "cp -a /opt/keycloak/lib/quarkus/. /target/"], securityContext: ro, volumeMounts: [{ name: "build", mountPath: "/target" }] },
          { name: "build", image: KEYCLOAK, args: ["build"], securityContext: ro, volumeMounts: [{ name: "build", mountPath: "/opt/keycloak/lib/quarkus" }] },
        ],
        containers: [{ name: "keycloak", image: KEYCLOAK, args: ["start"], securityContext: ro, volumeMounts: [{ name: "build", mountPath: "/opt/keycloak/lib/quarkus" }] }],
        volumes: [{ name: "build", emptyDir: {} }],
      }),
    ]);
    expect(f.filter((x) => x.severity === "blocker")).toEqual([]);
  });

  it("fails when a path the image writes has no writable volume, passes when mounted", () => {
    const xwiki = (mounts: { name: string; mountPath: string }[]) =>
      workload("w", "xwiki", { containers: [{ name: "xwiki", image: "docker.io/library/xwiki:17.10.13-postgres-tomcat", securityContext: ro, volumeMounts: mounts }], volumes: mounts.map((m) => ({ name: m.name, emptyDir: {} })) });
    const missing = run(readonlyRootfs, [ns("w"), xwiki([{ name: "data", mountPath: "/usr/local/xwiki" }])]);
    expect(missing.map((x) => x.message)).toEqual([expect.stringContaining("/usr/local/tomcat/webapps/ROOT/WEB-INF")]);
    // An emptyDir over the webapp without a copy also hides the WAR: mount a PVC-like volume kind instead for this case.
    const ok = run(readonlyRootfs, [
      ns("w"),
      workload("w", "xwiki", {
        containers: [{ name: "xwiki", image: "docker.io/library/xwiki:17.10.13-postgres-tomcat", securityContext: ro, volumeMounts: [{ name: "data", mountPath: "/usr/local/xwiki" }, { name: "web", mountPath: "/usr/local/tomcat/webapps/ROOT/WEB-INF" }] }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "d" } }, { name: "web", persistentVolumeClaim: { claimName: "w" } }],
      }),
    ]);
    expect(ok).toEqual([]);
  });

  it("says 'not checked' for an image without a record", () => {
    const f = run(readonlyRootfs, [ns("a"), workload("a", "x", { containers: [{ name: "x", image: "docker.io/valkey/valkey:9.1.2", securityContext: ro }] })]);
    expect(f.map((x) => [x.severity, x.message.slice(0, 11)])).toEqual([["warning", "not checked"]]);
  });
});

describe("startup-deadlock", () => {
  const objects = (publishNotReady: boolean) => [
    ns("s"),
    workload("s", "store", {
      kind: "StatefulSet",
      labels: { app: "store", "app.kubernetes.io/part-of": "storage" },
      containers: [{ name: "garage", image: "docker.io/dxflrs/garage:v2.4.1", ports: [{ containerPort: 3903 }], readinessProbe: { httpGet: { path: "/health", port: 3903 } } }],
    }),
    service("s", "store", { app: "store" }, [{ port: 3903 }], publishNotReady ? { publishNotReadyAddresses: true } : {}),
    workload("s", "bootstrap", { kind: "Job", labels: { app: "bootstrap", "app.kubernetes.io/part-of": "storage" }, containers: [{ name: "b", image: "docker.io/curlimages/curl:8.16.0", command: ["sh", "-c", "curl http://store.s.svc:3903/v2/GetClusterStatus"] }] }),
  ];
  const confirmed = startupDeadlockRule({ garage: { ...IMAGE_READINESS.garage!, waitsForBootstrap: "confirmed" } });

  it("fails when the Job reaches pods whose readiness waits for it through a Service of Ready pods only", () => {
    expect(run(confirmed, objects(false)).map((x) => [x.severity, x.object, x.path])).toEqual([["blocker", "Job/s/bootstrap", "spec.template.spec.containers[0].command[2]"]]);
  });

  it("passes with publishNotReadyAddresses", () => {
    expect(run(confirmed, objects(true))).toEqual([]);
  });

  it("only warns while the readiness fact is unresolved upstream", () => {
    expect(run(startupDeadlockRule(), objects(false)).map((x) => x.severity)).toEqual(["warning"]);
  });
});

describe("tls-trust", () => {
  const edge = [
    ns("edge"),
    ns("a"),
    { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "ca" }, spec: { ca: { secretName: "root-ca" } } },
    { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "auth", namespace: "edge" }, spec: { secretName: "auth-tls", issuerRef: { kind: "ClusterIssuer", name: "ca" } } },
    { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "gw", namespace: "edge" }, spec: { gatewayClassName: "c", listeners: [{ name: "auth", hostname: "auth.example.test", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "auth-tls" }] } }] } },
    { apiVersion: "trust.cert-manager.io/v1alpha1", kind: "Bundle", metadata: { name: "bundle" }, spec: { sources: [{ secret: { name: "root-ca", key: "ca.crt" } }], target: { configMap: { key: "ca.crt" } } } },
  ];
  const app = (volumes: Record<string, unknown>[]) => [
    workload("a", "web", { labels: { app: "web" }, containers: [{ name: "web", image: "x/w:1", env: [{ name: "OIDC_TOKEN_ENDPOINT", value: "https://auth.example.test/token" }] }], volumes }),
    service("a", "web", { app: "web" }, [{ port: 80 }]),
  ];

  it("fails when a back-channel HTTPS peer's private CA is in no bundle the pod mounts", () => {
    expect(run(tlsTrust, [...edge, ...app([])]).map((x) => [x.severity, x.object, x.path])).toEqual([["blocker", "Deployment/a/web", "spec.template.spec.containers[0].env[0].value"]]);
  });

  it("passes when the pod mounts the trust-manager bundle built from that CA", () => {
    expect(run(tlsTrust, [...edge, ...app([{ name: "ca", configMap: { name: "bundle" } }])])).toEqual([]);
  });
});

describe("cnpg-backup-tools", () => {
  const cluster = (imageName: string, backup: Record<string, unknown>) => ({
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "db", namespace: "a" },
    spec: { instances: 1, imageName, backup },
  });
  const STANDARD = "ghcr.io/cloudnative-pg/postgresql:17.11-202608310816-standard-trixie@sha256:0eea5ac8c5e3043db94f4d512ffcfb9c06d6270a97f6d56e9f08e1571ef0484e";

  it("fails for the in-tree barmanObjectStore on a standard image (issue 8)", () => {
    const f = run(cnpgBackupTools, [ns("a"), cluster(STANDARD, { barmanObjectStore: { destinationPath: "s3://b/" } })]);
    expect(f.map((x) => [x.severity, x.object, x.path])).toEqual([["blocker", "Cluster/a/db", "spec.backup.barmanObjectStore"]]);
  });

  it("passes for a system image, or without the in-tree object store", () => {
    expect(run(cnpgBackupTools, [ns("a"), cluster("ghcr.io/cloudnative-pg/postgresql:17.5-system-bookworm", { barmanObjectStore: {} })])).toEqual([]);
    expect(run(cnpgBackupTools, [ns("a"), cluster(STANDARD, {})])).toEqual([]);
  });
});

describe("image-source rule", () => {
  it("blocks an operator-built image that no registry serves, and passes it once pulled through the organisation's registry", () => {
    const bare = run(imageSource, [ns("w"), workload("w", "xwiki", { containers: [{ name: "xwiki", image: "socle.invalid/xwiki:17.10.13-oidc-2.25.4" }] })]);
    expect(bare.map((f) => [f.severity, f.object, f.path])).toEqual([["blocker", "Deployment/w/xwiki", "spec.template.spec.containers[0].image"]]);
    expect(bare[0]!.fix).toContain("socle:registryMirror");
    expect(run(imageSource, [ns("w"), workload("w", "xwiki", { containers: [{ name: "xwiki", image: "registry.example.test/mirror/socle.invalid/xwiki:17.10.13-oidc-2.25.4" }] })])).toEqual([]);
  });

  it("leaves the catalog's upstream registries alone and keeps operator-built ones out of the list nodes mirror", () => {
    expect(catalogRegistries()).not.toContain(OPERATOR_BUILT_REGISTRY);
    expect(Object.values(IMAGES).some((e) => e.repository.startsWith(`${OPERATOR_BUILT_REGISTRY}/`))).toBe(true);
  });
});
