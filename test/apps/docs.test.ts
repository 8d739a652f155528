import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { DOCS_DB_LABELS, DOCS_LABELS, DOCS_PORTS, DOCS_UIDS, renderDocsChart, type DocsChartProps } from "../../charts/docs";
import { docsSize } from "../../charts/docs/sizing";
import { isSecretName, secretLines } from "../../policies/controls/lib/secret-names";
import { flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { planClients } from "../../src/program/sso";
import { appHostname } from "../../src/program/index";
import type { RenderResult } from "../../src/render/render";
import { renderStack } from "../../src/render/render";
import { ManifestValidator } from "../../src/validate/manifests";
import { ROOT, SHARED } from "../helpers/render";
import { objectStoreOf } from "../helpers/backup";

const digest = (c: string) => `@sha256:${c.repeat(64)}`;
const GATEWAY_PODS = { "gateway.envoyproxy.io/owning-gateway-name": "socle" };
const GARAGE = { namespace: "socle-storage", pods: { "app.kubernetes.io/name": "garage" } };

export const docsProps: DocsChartProps = {
  namespace: "org-docs",
  hostname: "docs.org.example",
  sizing: "small",
  storageClass: "standard",
  images: {
    backend: `registry.example/impress-backend:1${digest("a")}`,
    frontend: `registry.example/impress-frontend:1${digest("b")}`,
    yProvider: `registry.example/impress-y-provider:1${digest("c")}`,
    postgresql: `registry.example/postgresql:17${digest("d")}`,
    valkey: `registry.example/valkey:9${digest("e")}`,
  },
  gateway: { name: "socle", namespace: "socle-gateway", listener: "https-docs", pods: GATEWAY_PODS, podNamespace: "envoy-gateway-system" },
  clusterIssuer: "socle",
  oidc: { issuerUrl: "https://auth.org.example/realms/org", clientId: "docs" },
  media: { endpointURL: "http://garage.socle-storage.svc:3900", bucket: "org-docs", region: "on-premises", peer: GARAGE, port: 3900 },
  publicGateway: { peers: [{ namespace: "envoy-gateway-system", pods: GATEWAY_PODS }], ports: [10443] },
  backup: {
    destinationPath: "s3://org-backups/docs",
    endpointURL: "http://garage.socle-storage.svc:3900",
    credentialsSecret: "backup-s3-credentials",
    retentionDays: 30,
    peer: GARAGE,
    port: 3900,
  },
  apiServer: { peers: [{ cidr: "10.0.0.0/8" }], ports: [443, 6443] },
  cnpgOperatorNamespace: "cnpg-system",
};

const objs = renderDocsChart(docsProps) as any[];
const find = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const podOf = (o: any) => o.spec.template.spec;
const deployments = objs.filter((o) => o.kind === "Deployment");
const workloads = [...deployments, ...objs.filter((o) => o.kind === "Job")];

describe("docs chart: security of every workload", () => {
  it("deploys the expected workloads", () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(["docs-backend", "docs-frontend", "docs-valkey", "docs-worker", "docs-y-provider"]);
    expect(find("Job", "docs-migrate")).toBeDefined();
  });

  it("labels the namespace for Pod Security Admission at restricted", () => {
    const ns = find("Namespace", "org-docs");
    for (const mode of ["enforce", "audit", "warn"]) expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe("restricted");
  });

  it.each(workloads.map((w) => [w.kind, w.metadata.name, w]))("%s %s runs restricted: non-root, no token, read-only root, all capabilities dropped", (_k, _n, w: any) => {
    const pod = podOf(w);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find("ServiceAccount", pod.serviceAccountName).automountServiceAccountToken).toBe(false);
    expect(pod.hostNetwork ?? false).toBe(false);
    for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
      expect(c.securityContext.allowPrivilegeEscalation, c.name).toBe(false);
      expect(c.securityContext.privileged, c.name).toBe(false);
      expect(c.securityContext.readOnlyRootFilesystem, c.name).toBe(true);
      expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] });
      expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.requests.memory).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      // Every writable path is a size-capped emptyDir.
      const tmp = pod.volumes.find((v: any) => v.name === "tmp" || v.name === "data");
      expect(tmp.emptyDir.sizeLimit).toBeDefined();
    }
  });

  it("runs the images as their upstream users", () => {
    expect(podOf(find("Deployment", "docs-backend")).securityContext.runAsUser).toBe(DOCS_UIDS.backend);
    expect(podOf(find("Deployment", "docs-worker")).securityContext.runAsUser).toBe(DOCS_UIDS.backend);
    expect(podOf(find("Deployment", "docs-frontend")).securityContext.runAsUser).toBe(101);
    expect(podOf(find("Deployment", "docs-y-provider")).securityContext.runAsUser).toBe(DOCS_UIDS.yProvider);
  });

  it("probes every long-running container", () => {
    for (const d of deployments) {
      const c = podOf(d).containers[0];
      expect(c.readinessProbe, d.metadata.name).toBeDefined();
      expect(c.livenessProbe, d.metadata.name).toBeDefined();
    }
    expect(podOf(find("Deployment", "docs-backend")).containers[0].readinessProbe.httpGet.path).toBe("/__heartbeat__");
    expect(podOf(find("Deployment", "docs-y-provider")).containers[0].livenessProbe.httpGet.path).toBe("/ping");
  });

  it("runs migrations in a bounded, self-cleaning Job", () => {
    const job = find("Job", "docs-migrate");
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    expect(job.spec.backoffLimit).toBeLessThanOrEqual(6);
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(podOf(job).restartPolicy).toBe("Never");
    expect(podOf(job).containers[0].command.join(" ")).toContain("python manage.py migrate --no-input");
  });
});

describe("docs chart: secrets never in clear", () => {
  it("no environment variable carrying a secret has a literal value", () => {
    for (const w of workloads) {
      for (const c of podOf(w).containers) {
        for (const e of c.env ?? []) {
          if (isSecretName(e.name)) expect(e.value, `${w.metadata.name} ${e.name}`).toBeUndefined();
        }
      }
    }
    const env = podOf(find("Deployment", "docs-backend")).containers[0].env as any[];
    const ref = (name: string) => env.find((e) => e.name === name).valueFrom.secretKeyRef;
    expect(ref("DJANGO_SECRET_KEY")).toEqual({ name: "docs-app", key: "DJANGO_SECRET_KEY" });
    expect(ref("OIDC_RP_CLIENT_SECRET")).toEqual({ name: "docs-app", key: "OIDC_RP_CLIENT_SECRET" });
    expect(ref("DB_PASSWORD")).toEqual({ name: "docs-db-app", key: "password" });
    expect(ref("REDIS_URL")).toEqual({ name: "docs-app", key: "REDIS_URL" });
    expect(ref("AWS_S3_SECRET_ACCESS_KEY")).toEqual({ name: "docs-media-s3", key: "AWS_S3_SECRET_ACCESS_KEY" });
  });

  it("no ConfigMap holds a secret-looking line, and the chart emits no Secret", () => {
    const maps = objs.filter((o) => o.kind === "ConfigMap");
    expect(maps.length).toBeGreaterThan(0);
    for (const m of maps) for (const [k, v] of Object.entries(m.data as Record<string, string>)) expect(secretLines(v), `${m.metadata.name}/${k}`).toEqual([]);
    expect(objs.filter((o) => o.kind === "Secret")).toEqual([]);
  });
});

describe("docs chart: configuration", () => {
  const env = Object.fromEntries((podOf(find("Deployment", "docs-backend")).containers[0].env as any[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));

  it("points OIDC at the realm's Keycloak endpoints and the generated client", () => {
    expect(env.OIDC_OP_AUTHORIZATION_ENDPOINT).toBe("https://auth.org.example/realms/org/protocol/openid-connect/auth");
    expect(env.OIDC_OP_TOKEN_ENDPOINT).toBe("https://auth.org.example/realms/org/protocol/openid-connect/token");
    expect(env.OIDC_OP_JWKS_ENDPOINT).toBe("https://auth.org.example/realms/org/protocol/openid-connect/certs");
    expect(env.OIDC_RP_CLIENT_ID).toBe("docs");
    expect(env.DJANGO_CONFIGURATION).toBe("Production");
  });

  it("uses the media bucket in the object store and the y-provider in-cluster", () => {
    expect(env.AWS_S3_ENDPOINT_URL).toBe("http://garage.socle-storage.svc:3900");
    expect(env.AWS_STORAGE_BUCKET_NAME).toBe("org-docs");
    expect(env.Y_PROVIDER_API_BASE_URL).toBe("http://docs-y-provider.org-docs.svc:4444/api/");
    expect(env.COLLABORATION_WS_URL).toBe("wss://docs.org.example/collaboration/ws/");
  });

  it("serves media only after the backend authorised the request", () => {
    const conf = find("ConfigMap", "docs-frontend-nginx").data["default.conf"] as string;
    expect(conf).toContain(`listen ${DOCS_PORTS.frontend};`);
    expect(conf).toContain("auth_request /media-auth;");
    expect(conf).toContain("proxy_pass http://garage.socle-storage.svc:3900/org-docs/;");
    expect(conf).toContain("proxy_pass http://docs-backend.org-docs.svc:8000/api/v1.0/documents/media-auth/;");
    expect(conf).toMatch(/location = \/media-auth \{\s+internal;/);
  });

  it("scales frontend and backend to two replicas or more from medium, with PDB and spread", () => {
    expect(docsSize("small").backend.replicas).toBe(1);
    for (const sizing of ["medium", "large"] as const) {
      const big = renderDocsChart({ ...docsProps, sizing }) as any[];
      for (const name of ["docs-frontend", "docs-backend"]) {
        const d = big.find((o) => o.kind === "Deployment" && o.metadata.name === name);
        expect(d.spec.replicas, `${sizing} ${name}`).toBeGreaterThanOrEqual(2);
        expect(podOf(d).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe("kubernetes.io/hostname");
        const pdb = big.find((o) => o.kind === "PodDisruptionBudget" && o.metadata.name === name);
        expect(pdb.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
        expect(pdb.spec.maxUnavailable).toBe(1);
      }
    }
    // One replica: no PDB (it would block every node drain).
    expect(objs.filter((o) => o.kind === "PodDisruptionBudget")).toEqual([]);
  });

  it("keeps the database in a replicated, backed-up CloudNativePG cluster", () => {
    const db = find("Cluster", "docs-db");
    expect(db.spec.instances).toBeGreaterThanOrEqual(2);
    expect(db.spec.enableSuperuserAccess).toBe(false);
    expect(db.spec.bootstrap.initdb).toMatchObject({ database: "docs", owner: "docs", secret: { name: "docs-db-app" } });
    expect(objectStoreOf(objs, "docs-db").spec.configuration.destinationPath).toBe("s3://org-backups/docs");
    expect(find("ScheduledBackup", "docs-db-nightly").spec.cluster.name).toBe("docs-db");
  });
});

describe("docs chart: routing", () => {
  const route = find("HTTPRoute", "docs");
  const byPath = Object.fromEntries(route.spec.rules.map((r: any) => [r.matches[0].path.value, r.backendRefs[0]]));

  it("publishes frontend, API and collaboration websocket on the HTTPS listener, and nothing else", () => {
    expect(route.spec.parentRefs[0].sectionName).toBe("https-docs");
    expect(route.spec.hostnames).toEqual(["docs.org.example"]);
    expect(byPath).toEqual({
      "/": { kind: "Service", name: "docs-frontend", port: DOCS_PORTS.frontend },
      "/api": { kind: "Service", name: "docs-backend", port: DOCS_PORTS.backend },
      "/collaboration/ws/": { kind: "Service", name: "docs-y-provider", port: DOCS_PORTS.yProvider },
    });
    expect(byPath["/admin"]).toBeUndefined();
    const ws = route.spec.rules.find((r: any) => r.matches[0].path.value === "/collaboration/ws/");
    expect(ws.timeouts.request).toBe("0s");
    const cert = find("Certificate", "docs-tls");
    expect(cert.metadata.namespace).toBe("socle-gateway");
    expect(cert.spec.dnsNames).toEqual(["docs.org.example"]);
    for (const s of objs.filter((o) => o.kind === "Service")) expect(s.spec.type).toBe("ClusterIP");
  });

  it("registers an SSO client whose redirect URI is on the route's hostname", () => {
    const config = { organization: { id: "org", name: "Org" }, domain: "org.example", apps: ["identity", "docs"] } as any;
    const [client] = planClients(config, (app) => appHostname(config, app));
    expect(client!.clientId).toBe("docs");
    expect(client!.redirectUris).toEqual([`https://${route.spec.hostnames[0]}/api/v1.0/callback/`]);
    // The callback is under /api, which the route sends to the backend.
    expect(new URL(client!.redirectUris[0]!).pathname.startsWith("/api/")).toBe(true);
  });

  it("every manifest is valid against the Kubernetes and CRD schemas", () => {
    const validator = new ManifestValidator([join(SHARED, "crds")]);
    expect(objs.flatMap((o) => validator.validate(o))).toEqual([]);
  });
});

describe("docs chart: network flows", () => {
  const policies = objs.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[];
  const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
  const all = [
    w("gateway", "envoy-gateway-system", GATEWAY_PODS, [10443]),
    w("backend", "org-docs", DOCS_LABELS.backend, [DOCS_PORTS.backend]),
    w("worker", "org-docs", DOCS_LABELS.worker, []),
    w("frontend", "org-docs", DOCS_LABELS.frontend, [DOCS_PORTS.frontend]),
    w("y-provider", "org-docs", DOCS_LABELS.yProvider, [DOCS_PORTS.yProvider]),
    w("migrate", "org-docs", DOCS_LABELS.migrate, []),
    w("valkey", "org-docs", { "app.kubernetes.io/name": "valkey", "app.kubernetes.io/instance": "docs-valkey" }, [6379]),
    w("db", "org-docs", DOCS_DB_LABELS, [5432, 8000]),
    w("cnpg-operator", "cnpg-system", { "app.kubernetes.io/name": "cloudnative-pg" }, [9443]),
    w("garage", "socle-storage", GARAGE.pods, [3900]),
    w("dns", "kube-system", { "k8s-app": "kube-dns" }, [53]),
    w("other-tenant", "other-docs", DOCS_LABELS.backend, [DOCS_PORTS.backend]),
  ];
  const table = flowTable(policies, all);
  const mine = table.filter((f) => !f.startsWith("gateway -> gateway") && !f.startsWith("cnpg-operator -> cnpg") && !/^(garage|dns|other-tenant|gateway|cnpg-operator) -> (garage|dns|other-tenant|gateway|cnpg-operator)/.test(f));

  it("denies everything by default in the namespace", () => {
    const deny = policies.find((p) => p.metadata.name === "default-deny")!;
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(["Ingress", "Egress"]);
  });

  it("allows exactly the intended flows", () => {
    expect(mine).toEqual(
      [
        "backend -> db:5432",
        "backend -> dns:53",
        "backend -> garage:3900",
        "backend -> gateway:10443",
        "backend -> valkey:6379",
        "backend -> y-provider:4444",
        "cnpg-operator -> db:5432",
        "cnpg-operator -> db:8000",
        "db -> db:5432",
        "db -> db:8000",
        "db -> dns:53",
        "db -> garage:3900",
        "frontend -> backend:8000",
        "frontend -> dns:53",
        "frontend -> garage:3900",
        "gateway -> backend:8000",
        "gateway -> frontend:8080",
        "gateway -> y-provider:4444",
        "migrate -> db:5432",
        "migrate -> dns:53",
        "valkey -> dns:53",
        "worker -> db:5432",
        "worker -> dns:53",
        "worker -> garage:3900",
        "worker -> valkey:6379",
        "y-provider -> dns:53",
        "y-provider -> gateway:10443",
      ].sort(),
    );
  });

  it("keeps other tenants and the outside world out", () => {
    expect(table).not.toContain("other-tenant -> backend:8000");
    expect(table).not.toContain("backend -> other-tenant:8000");
    expect(table).not.toContain("gateway -> valkey:6379");
    expect(table).not.toContain("gateway -> db:5432");
    expect(table).not.toContain("y-provider -> db:5432");
    expect(table).not.toContain("frontend -> db:5432");
  });
});

describe("stack render with docs and chat enabled", () => {
  let result: RenderResult;
  let resources: RenderResult["state"]["deployment"]["resources"];
  let manifests: any[];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-docs-chat-"));
    const demo = readFileSync(join(ROOT, "stacks", "Pulumi.demo.yaml"), "utf8");
    const withApps = demo.replace(/ {4}- wiki\n/, "    - wiki\n    - docs\n    - chat\n");
    expect(withApps).not.toBe(demo);
    const stackFile = join(dir, "Pulumi.suite.yaml");
    writeFileSync(stackFile, withApps);
    result = await renderStack({ root: ROOT, stack: "suite", stackFile, outDir: join(dir, "out") });
    resources = result.state.deployment.resources;
    manifests = ["docs", "chat"].flatMap((c) => parseAllDocuments(readFileSync(join(result.outDir, "manifests", `${c}.yaml`), "utf8")).map((d) => d.toJS()));
  }, 60_000);

  it("registers both apps' components, deployments and routes", () => {
    expect(resources.some((r) => r.type === "socle:apps:Docs")).toBe(true);
    expect(resources.some((r) => r.type === "socle:apps:Chat")).toBe(true);
    const deployments = resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => r.id);
    for (const id of ["demo-docs/docs-backend", "demo-docs/docs-frontend", "demo-docs/docs-y-provider", "demo-docs/docs-worker", "demo-chat/synapse", "demo-chat/element-web"]) {
      expect(deployments).toContain(id);
    }
    expect(manifests.filter((m) => m.kind === "HTTPRoute").map((m) => m.spec.hostnames[0]).sort()).toEqual(["chat.demo.socle.test", "docs.demo.socle.test"]);
  });

  it("gives each app an HTTPS listener on its hostname", () => {
    const gateway = resources.find((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway")!;
    const listeners = (gateway.inputs as any).spec.listeners.map((l: any) => `${l.name}=${l.hostname ?? ""}`);
    expect(listeners).toEqual(expect.arrayContaining(["https-docs=docs.demo.socle.test", "https-chat=chat.demo.socle.test"]));
  });

  it("protects the database clusters and the media volume", () => {
    const stateful = resources.filter((r) => ["kubernetes:postgresql.cnpg.io/v1:Cluster", "kubernetes:core/v1:PersistentVolumeClaim"].includes(r.type));
    for (const id of ["demo-docs/docs-db", "demo-chat/synapse-db", "demo-chat/synapse-media"]) {
      const r = stateful.find((s) => s.id === id);
      expect(r, id).toBeDefined();
      expect(r!.protect, id).toBe(true);
    }
  });

  it("starts the docs backend only after the migration Job", () => {
    const job = resources.find((r) => r.type === "kubernetes:batch/v1:Job" && r.id === "demo-docs/docs-migrate")!;
    const backend = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.id === "demo-docs/docs-backend")!;
    expect(job).toBeDefined();
    // The backend sits in a second group that depends on the first one's resources, the Job among them
    // (Pulumi awaits a Job's completion before its dependents).
    expect(backend.parent).not.toBe(job.parent);
    const group = resources.find((r) => r.urn === backend.parent)!;
    expect(group.dependencies).toContain(job.urn);
    const frontend = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.id === "demo-docs/docs-frontend")!;
    expect(frontend.parent).toBe(job.parent);
  });

  it("writes no generated secret in clear", () => {
    for (const c of ["docs", "chat"]) {
      const text = readFileSync(join(result.outDir, "manifests", `${c}.yaml`), "utf8");
      expect(text.includes("socle-render-secret-"), c).toBe(false);
    }
    expect(readFileSync(join(result.outDir, "state.json"), "utf8").includes("socle-render-secret-")).toBe(false);
  });

  it("every docs and chat manifest is valid", () => {
    const validator = new ManifestValidator([join(SHARED, "crds")]);
    expect(manifests.flatMap((o) => validator.validate(o))).toEqual([]);
  });
});

// valkey-io/valkey-container docker-entrypoint.sh (2a80026d51102f32b36b249542027cb11223a7f1): arguments starting
// with `-` get `valkey-server` prepended; as non-root it exits unless the working directory (WORKDIR /data,
// 9.1/debian/Dockerfile) is writable; user valkey is uid/gid 999.
describe("docs chart: Valkey starts as the image expects", () => {
  const valkey = find("Deployment", "docs-valkey");
  const pod = valkey.spec.template.spec;
  const c = pod.containers[0];

  it("passes server flags the entrypoint hands to valkey-server, with /data writable by uid 999", () => {
    expect(c.command).toBeUndefined();
    expect(c.args[0]).toMatch(/^-/);
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999 });
    const data = c.volumeMounts.find((m: any) => m.mountPath === "/data");
    expect(data).toBeDefined();
    expect(pod.volumes.find((v: any) => v.name === data.name).emptyDir).toBeDefined();
    expect(c.args.slice(c.args.indexOf("--dir"), c.args.indexOf("--dir") + 2)).toEqual(["--dir", "/data"]);
  });
});
