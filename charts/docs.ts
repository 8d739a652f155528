import { App, Chart } from "cdk8s";
import { k8s } from "./lib/k8s";
import type { SizingProfile } from "../src/model/names";
import { docsSize } from "./docs/sizing";
import { frontendNginxConf } from "./docs/frontend-nginx";
import { backendEnv, DOCS_DATABASE, DOCS_DB_NAME, DOCS_PORTS, DOCS_SECRETS, DOCS_VALKEY, yProviderEnv, type DocsSettingsInput } from "./docs/settings";
import { certificate, postgresCluster, scheduledBackup, type GatewayRef, type S3Destination } from "./lib/crds";
import { databaseFlows, databaseLabels } from "./lib/database-flows";
import { appDeployment, clusterService, httpProbe } from "./lib/deployment";
import { allowDns, allowFlow, defaultDeny, type Peer } from "./lib/network";
import { pathRoute } from "./lib/routes";
import { exceptionsAnnotation, podSecurityLabels, restrictedContainerSecurityContext, restrictedPodSecurityContext, type SecurityException } from "./lib/security";
import { databaseSize, plainResources, toK8sResources, type Resources } from "./lib/sizing";
import { addValkey } from "./platform/valkey";

export { DOCS_PORTS, DOCS_SECRETS } from "./docs/settings";

/**
 * Image users. Upstream's compose example runs backend and y-provider as `${DOCKER_USER:-1000}` and the
 * frontend as `101` (suitenumerique/docs docs/examples/compose/compose.yaml, commit 01e13f87b3325e95bacbaeea80da50216780fda3);
 * the frontend image is built on nginxinc/nginx-unprivileged (src/frontend/Dockerfile, commit 2d6e34c5551353b50a562e005c10652beb8ae47c).
 */
export const DOCS_UIDS = { backend: 1000, yProvider: 1000, frontend: 101 } as const;

const label = (component: string) => ({ "app.kubernetes.io/name": `docs-${component}`, "app.kubernetes.io/part-of": "socle-docs" });
export const DOCS_LABELS = {
  backend: label("backend"),
  worker: label("worker"),
  frontend: label("frontend"),
  yProvider: label("y-provider"),
  migrate: label("migrate"),
} as const;
export const DOCS_DB_LABELS = databaseLabels(DOCS_DB_NAME);

/** Deviations from Pod Security `restricted`: none; the list makes a future one explicit. */
export const DOCS_SECURITY_EXCEPTIONS: readonly SecurityException[] = [];

export interface DocsChartProps {
  readonly namespace: string;
  readonly hostname: string;
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly images: { readonly backend: string; readonly frontend: string; readonly yProvider: string; readonly postgresql: string; readonly valkey: string };
  readonly gateway: GatewayRef & {
    readonly listener: string;
    readonly pods: Readonly<Record<string, string>>;
    readonly podNamespace: string;
  };
  readonly clusterIssuer: string;
  readonly oidc: { readonly issuerUrl: string; readonly clientId: string };
  /** The media bucket: endpoint, name and region (S3 signature v4), and where its store is for egress. */
  readonly media: { readonly endpointURL: string; readonly bucket: string; readonly region: string; readonly peer: Peer; readonly port: number };
  /**
   * The gateway's proxies as seen from a pod calling a public hostname (after the service's address
   * translation): the OIDC back-channel to Keycloak and the y-provider's calls to the backend go there.
   */
  readonly publicGateway: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly backup: S3Destination & { readonly retentionDays: number; readonly peer: Peer; readonly port: number };
  readonly apiServer: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly cnpgOperatorNamespace: string;
  /** A ConfigMap holding the CA that signs the public certificates, when the clients must be told to trust it (private issuer). */
  readonly caBundle?: { readonly configMap: string; readonly key: string };
}

const CA_DIR = "/etc/socle/ca";

/**
 * La Suite Docs: Django backend (gunicorn), Celery worker, static frontend (nginx), collaboration server
 * (y-provider), a migration Job, a Valkey cache and broker, and a CloudNativePG database; media in S3.
 *
 * Routing on one hostname, as upstream's chart and production nginx: `/` frontend, `/api` backend,
 * `/collaboration/ws/` y-provider (websocket), `/media/` through the frontend's authorising proxy.
 * `/admin` and `/collaboration/api/` are not published: the admin is reached with a port-forward, and
 * the backend calls the y-provider's API in-cluster.
 */
export class DocsChart extends Chart {
  constructor(scope: App, id: string, props: DocsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = props.namespace;
    const size = docsSize(props.sizing);
    const db = databaseSize(props.sizing);
    const L = DOCS_LABELS;

    new k8s.KubeNamespace(this, "namespace", {
      metadata: { name: ns, labels: { ...podSecurityLabels("restricted"), "socle.io/app": "docs" } },
    });
    defaultDeny(this, ns);
    allowDns(this, ns);

    const caMount = props.caBundle
      ? [{ volume: { name: "ca", configMap: { name: props.caBundle.configMap } }, mount: { name: "ca", mountPath: CA_DIR, readOnly: true } }]
      : [];
    const settings: DocsSettingsInput = {
      namespace: ns,
      hostname: props.hostname,
      oidc: props.oidc,
      media: { endpointURL: props.media.endpointURL, bucket: props.media.bucket, region: props.media.region },
      gunicornWorkers: size.backend.gunicornWorkers,
      ...(props.caBundle ? { caBundlePath: `${CA_DIR}/${props.caBundle.key}` } : {}),
    };
    const env = backendEnv(settings);
    const tmp = (limit: string) => [{ name: "tmp", mountPath: "/tmp", sizeLimit: limit }];

    addValkey(this, {
      name: DOCS_VALKEY,
      namespace: ns,
      image: props.images.valkey,
      sizing: props.sizing,
      passwordSecret: DOCS_SECRETS.app.ref("VALKEY_PASSWORD"),
      clients: [{ pods: L.backend }, { pods: L.worker }],
    });

    appDeployment(this, {
      name: "docs-backend",
      namespace: ns,
      labels: L.backend,
      replicas: size.backend.replicas,
      uid: DOCS_UIDS.backend,
      image: props.images.backend,
      env,
      port: DOCS_PORTS.backend,
      resources: size.backend.resources,
      // Upstream chart probes (src/helm/impress/values.yaml): the heartbeats are exempt from the HTTPS redirect.
      probes: {
        startupProbe: httpProbe("/__lbheartbeat__", DOCS_PORTS.backend, { failureThreshold: 30 }),
        readinessProbe: httpProbe("/__heartbeat__", DOCS_PORTS.backend),
        livenessProbe: httpProbe("/__lbheartbeat__", DOCS_PORTS.backend, { periodSeconds: 20, failureThreshold: 6 }),
      },
      scratch: tmp("1Gi"),
      mounts: caMount,
      exceptions: DOCS_SECURITY_EXCEPTIONS,
    });
    clusterService(this, { name: "docs-backend", namespace: ns, labels: L.backend, port: DOCS_PORTS.backend });

    const ping = ["/bin/sh", "-c", "celery -A impress.celery_app inspect ping -d impress@$HOSTNAME"];
    appDeployment(this, {
      name: "docs-worker",
      namespace: ns,
      labels: L.worker,
      replicas: size.worker.replicas,
      uid: DOCS_UIDS.backend,
      image: props.images.backend,
      // Upstream chart's worker command and probes (backend.celery in src/helm/impress/values.yaml).
      args: ["celery", "-A", "impress.celery_app", "worker", "-l", "INFO", "-n", "impress@%h"],
      env,
      resources: size.worker.resources,
      probes: {
        readinessProbe: { exec: { command: ping }, initialDelaySeconds: 15, periodSeconds: 60, timeoutSeconds: 10 },
        livenessProbe: { exec: { command: ping }, initialDelaySeconds: 60, periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 3 },
      },
      scratch: tmp("1Gi"),
      mounts: caMount,
    });

    new k8s.KubeConfigMap(this, "frontend-nginx", {
      metadata: { name: "docs-frontend-nginx", namespace: ns, labels: { ...L.frontend } },
      data: { "default.conf": frontendNginxConf({ namespace: ns, mediaEndpointURL: props.media.endpointURL, bucket: props.media.bucket }) },
    });
    appDeployment(this, {
      name: "docs-frontend",
      namespace: ns,
      labels: L.frontend,
      replicas: size.frontend.replicas,
      uid: DOCS_UIDS.frontend,
      image: props.images.frontend,
      port: DOCS_PORTS.frontend,
      resources: size.frontend.resources,
      probes: {
        readinessProbe: httpProbe("/", DOCS_PORTS.frontend),
        livenessProbe: httpProbe("/", DOCS_PORTS.frontend, { periodSeconds: 20, failureThreshold: 6 }),
      },
      // nginx-unprivileged keeps its pid and temporary files under /tmp and its cache under /var/cache/nginx.
      scratch: [
        { name: "tmp", mountPath: "/tmp", sizeLimit: "256Mi" },
        { name: "nginx-cache", mountPath: "/var/cache/nginx", sizeLimit: "256Mi" },
      ],
      mounts: [
        {
          volume: { name: "nginx-conf", configMap: { name: "docs-frontend-nginx" } },
          mount: { name: "nginx-conf", mountPath: "/etc/nginx/conf.d", readOnly: true },
        },
      ],
    });
    clusterService(this, { name: "docs-frontend", namespace: ns, labels: L.frontend, port: DOCS_PORTS.frontend });

    appDeployment(this, {
      name: "docs-y-provider",
      namespace: ns,
      labels: L.yProvider,
      replicas: size.yProvider.replicas,
      uid: DOCS_UIDS.yProvider,
      image: props.images.yProvider,
      env: yProviderEnv(settings),
      port: DOCS_PORTS.yProvider,
      resources: size.yProvider.resources,
      // Upstream chart: liveness GET /ping on the y-provider port.
      probes: {
        readinessProbe: httpProbe("/ping", DOCS_PORTS.yProvider),
        livenessProbe: httpProbe("/ping", DOCS_PORTS.yProvider, { periodSeconds: 20, failureThreshold: 6 }),
      },
      scratch: tmp("256Mi"),
      mounts: caMount,
    });
    clusterService(this, { name: "docs-y-provider", namespace: ns, labels: L.yProvider, port: DOCS_PORTS.yProvider });

    this.migrationJob(props, env, size.job);

    postgresCluster(this, {
      name: DOCS_DB_NAME,
      namespace: ns,
      imageName: props.images.postgresql,
      instances: db.instances,
      storageSize: db.storage,
      storageClass: props.storageClass,
      database: DOCS_DATABASE,
      owner: "docs",
      ownerSecret: DOCS_SECRETS.db,
      resources: plainResources(db.resources),
      backup: props.backup,
    });
    scheduledBackup(this, { name: `${DOCS_DB_NAME}-nightly`, namespace: ns, cluster: DOCS_DB_NAME, schedule: "0 15 2 * * *" });

    pathRoute(this, {
      name: "docs",
      namespace: ns,
      hostname: props.hostname,
      gateway: props.gateway,
      listener: props.gateway.listener,
      rules: [
        { pathPrefix: "/", service: "docs-frontend", port: DOCS_PORTS.frontend },
        // Document conversions and exports can run past the proxy's default request timeout.
        { pathPrefix: "/api", service: "docs-backend", port: DOCS_PORTS.backend, requestTimeout: "120s" },
        { pathPrefix: "/collaboration/ws/", service: "docs-y-provider", port: DOCS_PORTS.yProvider, requestTimeout: "0s" },
      ],
    });
    certificate(this, { name: "docs-tls", namespace: props.gateway.namespace, secretName: "docs-tls", dnsNames: [props.hostname], issuer: props.clusterIssuer });

    this.flows(props);
  }

  /**
   * `manage.py migrate` once per release, before the backend starts (the component makes the workloads
   * depend on this Job). The command is upstream's (backend.migrate in src/helm/impress/values.yaml): wait
   * until the database answers, then migrate; backoffLimit bounds the retries.
   */
  private migrationJob(props: DocsChartProps, env: readonly k8s.EnvVar[], resources: Resources): void {
    const ns = props.namespace;
    new k8s.KubeServiceAccount(this, "migrate-service-account", {
      metadata: { name: "docs-migrate", namespace: ns, labels: { ...DOCS_LABELS.migrate } },
      automountServiceAccountToken: false,
    });
    const script = [
      "attempt=0",
      "until python manage.py check --database default > /dev/null 2>&1; do",
      '  attempt=$((attempt + 1)); if [ "$attempt" -ge 90 ]; then echo "database not reachable"; exit 1; fi',
      "  sleep 2",
      "done",
      "python manage.py migrate --no-input",
    ].join("\n");
    new k8s.KubeJob(this, "migrate", {
      metadata: { name: "docs-migrate", namespace: ns, labels: { ...DOCS_LABELS.migrate }, annotations: exceptionsAnnotation(DOCS_SECURITY_EXCEPTIONS) },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 1800,
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels: { ...DOCS_LABELS.migrate } },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "docs-migrate",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(DOCS_UIDS.backend),
            containers: [
              {
                name: "migrate",
                image: props.images.backend,
                command: ["/bin/sh", "-c", script],
                env: [...env],
                securityContext: restrictedContainerSecurityContext(),
                resources: toK8sResources(resources),
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: k8s.Quantity.fromString("256Mi") } }],
          },
        },
      },
    });
  }

  private flows(props: DocsChartProps): void {
    const ns = props.namespace;
    const L = DOCS_LABELS;
    const gateway: Peer = { namespace: props.gateway.podNamespace, pods: props.gateway.pods };
    const publicPorts = props.publicGateway.ports.map((port) => ({ port }));
    const flow = (name: string, pods: Record<string, string>, dir: { ingressFrom?: Peer[]; egressTo?: Peer[] }, ports: { port: number }[]) =>
      allowFlow(this, ns, { name, pods, ...dir, ports });

    flow("gateway-to-frontend", L.frontend, { ingressFrom: [gateway] }, [{ port: DOCS_PORTS.frontend }]);
    flow("gateway-to-backend", L.backend, { ingressFrom: [gateway] }, [{ port: DOCS_PORTS.backend }]);
    flow("gateway-to-y-provider", L.yProvider, { ingressFrom: [gateway] }, [{ port: DOCS_PORTS.yProvider }]);

    // Media: the frontend asks the backend to authorise, then fetches from the bucket.
    flow("frontend-to-backend", L.frontend, { egressTo: [{ pods: L.backend }] }, [{ port: DOCS_PORTS.backend }]);
    flow("backend-from-frontend", L.backend, { ingressFrom: [{ pods: L.frontend }] }, [{ port: DOCS_PORTS.backend }]);
    flow("frontend-to-media", L.frontend, { egressTo: [props.media.peer] }, [{ port: props.media.port }]);

    flow("backend-to-media", L.backend, { egressTo: [props.media.peer] }, [{ port: props.media.port }]);
    flow("worker-to-media", L.worker, { egressTo: [props.media.peer] }, [{ port: props.media.port }]);
    flow("backend-to-valkey", L.backend, { egressTo: [{ pods: { "app.kubernetes.io/name": "valkey", "app.kubernetes.io/instance": DOCS_VALKEY } }] }, [{ port: 6379 }]);
    flow("worker-to-valkey", L.worker, { egressTo: [{ pods: { "app.kubernetes.io/name": "valkey", "app.kubernetes.io/instance": DOCS_VALKEY } }] }, [{ port: 6379 }]);

    // Conversion and connection resets: backend to the y-provider's in-cluster API.
    flow("backend-to-y-provider", L.backend, { egressTo: [{ pods: L.yProvider }] }, [{ port: DOCS_PORTS.yProvider }]);
    flow("y-provider-from-backend", L.yProvider, { ingressFrom: [{ pods: L.backend }] }, [{ port: DOCS_PORTS.yProvider }]);

    // Public hostnames: the backend's OIDC back-channel to Keycloak, the y-provider's rights checks on the backend.
    flow("backend-to-public-gateway", L.backend, { egressTo: [...props.publicGateway.peers] }, publicPorts);
    flow("y-provider-to-public-gateway", L.yProvider, { egressTo: [...props.publicGateway.peers] }, publicPorts);

    databaseFlows(this, {
      namespace: ns,
      cluster: DOCS_DB_NAME,
      clients: [L.backend, L.worker, L.migrate],
      backup: props.backup,
      apiServer: props.apiServer,
      cnpgOperatorNamespace: props.cnpgOperatorNamespace,
    });
  }
}

/** Synthesizes the chart to plain manifests (no Pulumi). */
export function renderDocsChart(props: DocsChartProps): Record<string, unknown>[] {
  const app = new App();
  return new DocsChart(app, "docs", props).toJson() as Record<string, unknown>[];
}
