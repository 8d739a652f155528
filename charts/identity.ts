import { App, Chart } from "cdk8s";
import { k8s } from "./lib/k8s";
import { disruptionBudget, spreadOverNodes } from "./lib/availability";
import { certificate, ipAllowlist, postgresCluster, scheduledBackup, type GatewayRef, type S3Destination } from "./lib/crds";
import { databaseFlows } from "./lib/database-flows";
import { clusterService, httpProbe } from "./lib/deployment";
import { allowDns, allowFlow, defaultDeny, type Peer } from "./lib/network";
import { pathRoute } from "./lib/routes";
import { exceptionsAnnotation, podSecurityLabels, restrictedContainerSecurityContext, restrictedPodSecurityContext, type SecurityException } from "./lib/security";
import { databaseSize, plainResources, toK8sResources } from "./lib/sizing";
import type { SizingProfile } from "../src/model/names";
import { defineOpenSecret, defineSecret, secretEnv } from "../src/model/secrets";
import { databaseCredentials } from "./lib/secrets";
import { federationSecretKey, realmRepresentation, type RealmProps } from "./identity/realm";
import { CONFIG_CLI, CONFIG_CLI_ARGS, configCliPlaceholder, reconcileJobName } from "./identity/reconcile";
import { keycloakSize } from "./identity/sizing";

export const KEYCLOAK_HTTP_PORT = 8080;
/** Keycloak's management interface: health and metrics, never routed (https://www.keycloak.org/observability/health). */
export const KEYCLOAK_MANAGEMENT_PORT = 9000;
/** JGroups (Infinispan) between replicas, and its failure detection; discovery goes through the database (jdbc-ping). */
export const JGROUPS_PORTS = [7800, 57800] as const;
/** The image's `keycloak` user (keycloak/keycloak, quarkus/container/Dockerfile). */
export const KEYCLOAK_UID = 1000;
export const KEYCLOAK_LABELS = { "app.kubernetes.io/name": "keycloak", "app.kubernetes.io/part-of": "socle-identity" } as const;
export const KEYCLOAK_DB = "keycloak-db";
/** Secrets the component writes before the workloads, by contract (src/model/secrets.ts). */
export const KEYCLOAK_SECRETS = {
  db: databaseCredentials("keycloak-db-app"),
  /** The bootstrap administrator (`KC_BOOTSTRAP_ADMIN_USERNAME` / `_PASSWORD`). */
  admin: defineSecret("keycloak-admin", ["username", "password"]),
  /** One key per realm client (its client id) and per federated provider: keys are data, from the realm. */
  clients: defineOpenSecret("keycloak-clients"),
} as const;
/** ConfigMap holding the realm (no secret in it: client secrets are `$(env:NAME)` placeholders the reconcile Job resolves). */
export const REALM_CONFIGMAP = "keycloak-realm";
/**
 * Where `kc.sh build` writes the augmented server; an emptyDir shared by the build step and the server.
 * The image SHIPS content there: Quarkus' runner (`QuarkusEntryPoint`, started by kc.sh through
 * `lib/quarkus-run.jar`) reads `<lib>/quarkus/quarkus-application.dat` before anything else, for `build`
 * as for `start --optimized` (quarkusio/quarkus@da5e12e95a33a5b4c626a63393f53dfdbe320162:independent-projects/
 * bootstrap/runner/src/main/java/io/quarkus/bootstrap/runner/QuarkusEntryPoint.java, `QUARKUS_APPLICATION_DAT`;
 * keycloak/keycloak@014f6c38da515c7d130a7fc570e34b0ef817e183:quarkus/dist/src/main/content/bin/kc.sh,
 * `CLASSPATH_OPTS=../lib/quarkus-run.jar`). An empty volume mounted over it hides that file and the JVM
 * exits at once, so a first init container copies the image's directory into the volume (mounted
 * elsewhere) before the build runs on it.
 */
export const KEYCLOAK_BUILD_DIR = "/opt/keycloak/lib/quarkus";
/** File of the image's build directory the runner reads first (relative to KEYCLOAK_BUILD_DIR). */
export const KEYCLOAK_APPLICATION_DAT = "quarkus-application.dat";
const BUILD_DIR = KEYCLOAK_BUILD_DIR;
/** Where the seeding init container mounts the build volume while it copies the image's directory in. */
const SEED_DIR = "/seed/quarkus";
const CA_DIR = "/etc/socle/ca";

/**
 * No deviation from Pod Security `restricted`: the build step's output goes to an emptyDir, and the server
 * mounts it read-only. The list exists so that a future one is declared, not implicit.
 */
export const IDENTITY_SECURITY_EXCEPTIONS: readonly SecurityException[] = [];

export interface IdentityChartProps {
  readonly namespace: string;
  readonly hostname: string;
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly images: { readonly keycloak: string; readonly postgresql: string; readonly keycloakConfigCli: string };
  readonly gateway: GatewayRef & { readonly listener: string; readonly pods: Readonly<Record<string, string>>; readonly podNamespace: string };
  readonly clusterIssuer: string;
  readonly realm: RealmProps;
  /**
   * The gateway's proxies as a pod reaches them when it calls a public hostname: Keycloak's back-channel
   * logout calls to apps go there. Needed only when a client has a back-channel logout URL.
   */
  readonly publicGateway?: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  /** ConfigMap with the CA that signs the apps' certificates (private issuer), added to Keycloak's truststore. */
  readonly caBundle?: { readonly configMap: string; readonly key: string };
  readonly backup: S3Destination & { readonly retentionDays: number; readonly peer: Peer; readonly port: number };
  readonly apiServer: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly cnpgOperatorNamespace: string;
  /**
   * Networks allowed to open the admin console (`/admin/`), from `socle:adminCidrs`. Every other client
   * gets 403 from the gateway; an empty list publishes no admin route at all.
   */
  readonly adminCidrs: readonly string[];
}

/**
 * Paths of Keycloak's HTTP port published to everyone, after upstream's "Exposed path recommendations"
 * (Keycloak server guide "Configuring a reverse proxy", docs/guides/server/reverseproxy.adoc; table as of
 * 26.x in https://docs.redhat.com/en/documentation/red_hat_build_of_keycloak/26.4/html/server_configuration_guide/reverseproxy-exposed-path-recommendations):
 * `/realms/` (OIDC endpoints, login and account pages), `/resources/` (assets), `/.well-known/`
 * (RFC 8414 metadata) are exposed; `/` and `/admin/` are not ("exposed admin paths lead to an unnecessary
 * attack vector"), nor `/metrics` and `/health` (on the management port 9000 here, never routed).
 */
export const KEYCLOAK_PUBLIC_PATHS = ["/.well-known/", "/realms/", "/resources/"] as const;
/** The admin console and admin REST API: routed separately, only to `adminCidrs`. */
export const KEYCLOAK_ADMIN_PATH = "/admin/";

/** Environment variable through which the import resolves a client's secret (`${SOCLE_CLIENT_SECRET_WIKI}`). */
export function clientSecretEnv(clientId: string): string {
  return `SOCLE_CLIENT_SECRET_${clientId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** Keys of the clients Secret the realm refers to: one per client, plus the upstream provider's when federated. */
export function clientSecretKeys(realm: RealmProps): string[] {
  return [...realm.clients.map((c) => c.clientId), ...(realm.federation ?? []).map((f) => federationSecretKey(f.alias))];
}

/**
 * Build-time options (https://keycloak.org/server/containers): `kc.sh build` bakes them in, and
 * `start --optimized` expects the same values at run time.
 */
const BUILD_OPTIONS: readonly k8s.EnvVar[] = [
  { name: "KC_DB", value: "postgres" },
  { name: "KC_HEALTH_ENABLED", value: "true" },
  { name: "KC_METRICS_ENABLED", value: "true" },
  { name: "KC_CACHE", value: "ispn" },
];

/**
 * Keycloak, the suite's identity provider: one realm for the organisation, imported at first start, with
 * an OIDC client per enabled app, a second factor required at sign-in and a strong password policy.
 *
 * The official image is built for the dev-file database; `start` without `--optimized` would re-run the
 * build and write under /opt/keycloak/lib/quarkus at every boot (keycloak/keycloak#44632). Here an init
 * container runs `kc.sh build` into an emptyDir mounted there, and the server runs `start --optimized`
 * with that directory read-only.
 */
export class IdentityChart extends Chart {
  constructor(scope: App, id: string, props: IdentityChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = props.namespace;
    const size = keycloakSize(props.sizing);
    const db = databaseSize(props.sizing);
    const backchannel = props.realm.clients.some((c) => c.backchannelLogoutUrl);
    if (backchannel && !props.publicGateway) {
      throw new Error("identity chart: a client has a back-channel logout URL but publicGateway is not set; Keycloak could not reach the app");
    }

    new k8s.KubeNamespace(this, "namespace", { metadata: { name: ns, labels: { ...podSecurityLabels("restricted"), "socle.io/app": "identity" } } });

    const realmJson = JSON.stringify(realmRepresentation(props.realm, clientSecretEnv, configCliPlaceholder), null, 2);
    new k8s.KubeConfigMap(this, "realm", {
      metadata: { name: REALM_CONFIGMAP, namespace: ns, labels: { ...KEYCLOAK_LABELS }, annotations: { "socle.io/keycloak-realm": "true" } },
      data: { [`${props.realm.name}.json`]: realmJson },
    });

    new k8s.KubeServiceAccount(this, "service-account", {
      metadata: { name: "keycloak", namespace: ns, labels: { ...KEYCLOAK_LABELS } },
      automountServiceAccountToken: false,
    });

    const security = restrictedContainerSecurityContext();
    const scratch = [
      { name: "data-tmp", mountPath: "/opt/keycloak/data/tmp", sizeLimit: "256Mi" },
      { name: "tmp", mountPath: "/tmp", sizeLimit: "256Mi" },
    ];
    const scratchMounts = scratch.map((s) => ({ name: s.name, mountPath: s.mountPath }));
    const truststore = props.caBundle ? [{ name: "KC_TRUSTSTORE_PATHS", value: `${CA_DIR}/${props.caBundle.key}` }] : [];

    new k8s.KubeDeployment(this, "deployment", {
      metadata: { name: "keycloak", namespace: ns, labels: { ...KEYCLOAK_LABELS }, annotations: exceptionsAnnotation(IDENTITY_SECURITY_EXCEPTIONS) },
      spec: {
        replicas: size.replicas,
        selector: { matchLabels: { ...KEYCLOAK_LABELS } },
        template: {
          metadata: { labels: { ...KEYCLOAK_LABELS } },
          spec: {
            serviceAccountName: "keycloak",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(KEYCLOAK_UID),
            ...(size.replicas > 1 ? { affinity: spreadOverNodes(KEYCLOAK_LABELS) } : {}),
            initContainers: [
              {
                // The image is ubi9-micro plus bash and coreutils-single (keycloak/keycloak
                // quarkus/container/ubi-null.sh): `cp` is there, no shell is needed.
                name: "seed-build-dir",
                image: props.images.keycloak,
                command: ["cp", "-R", `${BUILD_DIR}/.`, `${SEED_DIR}/`],
                securityContext: security,
                resources: toK8sResources(size.build),
                volumeMounts: [{ name: "build", mountPath: SEED_DIR }],
              },
              {
                name: "build",
                image: props.images.keycloak,
                args: ["build"],
                env: [...BUILD_OPTIONS, { name: "JAVA_OPTS_APPEND", value: "-Djava.io.tmpdir=/tmp" }],
                securityContext: security,
                resources: toK8sResources(size.build),
                volumeMounts: [{ name: "build", mountPath: BUILD_DIR }, ...scratchMounts],
              },
            ],
            containers: [
              {
                name: "keycloak",
                image: props.images.keycloak,
                // No `--import-realm`: the realm is applied (and re-applied) by the reconcile Job below, so that
                // what it creates is in its remote state and a removed app's client is removed.
                args: ["start", "--optimized"],
                ports: [
                  { name: "http", containerPort: KEYCLOAK_HTTP_PORT },
                  { name: "management", containerPort: KEYCLOAK_MANAGEMENT_PORT },
                  ...(size.replicas > 1 ? JGROUPS_PORTS.map((port, i) => ({ name: `jgroups-${i}`, containerPort: port })) : []),
                ],
                env: [
                  ...BUILD_OPTIONS,
                  { name: "KC_DB_URL", value: `jdbc:postgresql://${KEYCLOAK_DB}-rw:5432/keycloak` },
                  secretEnv("KC_DB_USERNAME", KEYCLOAK_SECRETS.db, "username"),
                  secretEnv("KC_DB_PASSWORD", KEYCLOAK_SECRETS.db, "password"),
                  { name: "KC_HOSTNAME", value: `https://${props.hostname}` },
                  // TLS ends at the gateway; Keycloak trusts its X-Forwarded-* headers and serves plain HTTP inside.
                  { name: "KC_HTTP_ENABLED", value: "true" },
                  { name: "KC_PROXY_HEADERS", value: "xforwarded" },
                  { name: "JAVA_OPTS_APPEND", value: `${size.heap} -Djava.io.tmpdir=/tmp` },
                  ...truststore,
                  secretEnv("KC_BOOTSTRAP_ADMIN_USERNAME", KEYCLOAK_SECRETS.admin, "username"),
                  secretEnv("KC_BOOTSTRAP_ADMIN_PASSWORD", KEYCLOAK_SECRETS.admin, "password"),
                ],
                securityContext: security,
                resources: toK8sResources(size.resources),
                startupProbe: httpProbe("/health/started", KEYCLOAK_MANAGEMENT_PORT, { failureThreshold: 60 }),
                readinessProbe: httpProbe("/health/ready", KEYCLOAK_MANAGEMENT_PORT),
                livenessProbe: httpProbe("/health/live", KEYCLOAK_MANAGEMENT_PORT, { periodSeconds: 20, failureThreshold: 6 }),
                volumeMounts: [
                  { name: "build", mountPath: BUILD_DIR, readOnly: true },
                  ...scratchMounts,
                  ...(props.caBundle ? [{ name: "ca", mountPath: CA_DIR, readOnly: true }] : []),
                ],
              },
            ],
            volumes: [
              { name: "build", emptyDir: { sizeLimit: k8s.Quantity.fromString("512Mi") } },
              ...scratch.map((s) => ({ name: s.name, emptyDir: { sizeLimit: k8s.Quantity.fromString(s.sizeLimit) } })),
              ...(props.caBundle ? [{ name: "ca", configMap: { name: props.caBundle.configMap } }] : []),
            ],
          },
        },
      },
    });
    disruptionBudget(this, { name: "keycloak", namespace: ns, labels: KEYCLOAK_LABELS, replicas: size.replicas });

    // The realm, applied on every change by keycloak-config-cli through Keycloak's admin API inside the
    // namespace (charts/identity/reconcile.ts): the admin API is never published for it.
    new k8s.KubeJob(this, "realm-reconcile", {
      metadata: { name: reconcileJobName(realmJson, props.images.keycloakConfigCli), namespace: ns, labels: { ...CONFIG_CLI.labels }, annotations: { "socle.io/reconciles": REALM_CONFIGMAP } },
      spec: {
        backoffLimit: 10,
        activeDeadlineSeconds: 1800,
        template: {
          metadata: { labels: { ...CONFIG_CLI.labels } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(CONFIG_CLI.uid),
            containers: [
              {
                name: "keycloak-config-cli",
                image: props.images.keycloakConfigCli,
                args: [...CONFIG_CLI_ARGS],
                env: [
                  { name: "KEYCLOAK_URL", value: `http://keycloak.${ns}.svc:${KEYCLOAK_HTTP_PORT}` },
                  secretEnv("KEYCLOAK_USER", KEYCLOAK_SECRETS.admin, "username"),
                  secretEnv("KEYCLOAK_PASSWORD", KEYCLOAK_SECRETS.admin, "password"),
                  { name: "JAVA_OPTS", value: `-Djava.io.tmpdir=${CONFIG_CLI.tmpDir}` },
                  ...clientSecretKeys(props.realm).map((key) => secretEnv(clientSecretEnv(key), KEYCLOAK_SECRETS.clients, key)),
                ],
                securityContext: security,
                resources: { requests: { cpu: k8s.Quantity.fromString("100m"), memory: k8s.Quantity.fromString("384Mi") }, limits: { memory: k8s.Quantity.fromString("768Mi") } },
                volumeMounts: [
                  { name: "realm", mountPath: CONFIG_CLI.configDir, readOnly: true },
                  { name: "tmp", mountPath: CONFIG_CLI.tmpDir },
                ],
              },
            ],
            volumes: [
              { name: "realm", configMap: { name: REALM_CONFIGMAP } },
              { name: "tmp", emptyDir: { sizeLimit: k8s.Quantity.fromString("128Mi") } },
            ],
          },
        },
      },
    });
    clusterService(this, { name: "keycloak", namespace: ns, labels: KEYCLOAK_LABELS, port: KEYCLOAK_HTTP_PORT });

    postgresCluster(this, {
      name: KEYCLOAK_DB,
      namespace: ns,
      imageName: props.images.postgresql,
      instances: db.instances,
      storageSize: db.storage,
      storageClass: props.storageClass,
      database: "keycloak",
      owner: "keycloak",
      ownerSecret: KEYCLOAK_SECRETS.db,
      resources: plainResources(db.resources),
      backup: props.backup,
    });
    scheduledBackup(this, { name: `${KEYCLOAK_DB}-nightly`, namespace: ns, cluster: KEYCLOAK_DB, schedule: "0 30 1 * * *" });

    const route = (name: string, paths: readonly string[]) =>
      pathRoute(this, {
        name,
        namespace: ns,
        hostname: props.hostname,
        gateway: props.gateway,
        listener: props.gateway.listener,
        rules: paths.map((pathPrefix) => ({ pathPrefix, service: "keycloak", port: KEYCLOAK_HTTP_PORT })),
      });
    route("keycloak", KEYCLOAK_PUBLIC_PATHS);
    if (props.adminCidrs.length > 0) {
      route("keycloak-admin", [KEYCLOAK_ADMIN_PATH]);
      ipAllowlist(this, { name: "keycloak-admin-allowlist", namespace: ns, route: "keycloak-admin", cidrs: props.adminCidrs });
    }
    certificate(this, { name: "identity-tls", namespace: props.gateway.namespace, secretName: "identity-tls", dnsNames: [props.hostname], issuer: props.clusterIssuer });

    defaultDeny(this, ns);
    allowDns(this, ns);
    allowFlow(this, ns, {
      name: "gateway-to-keycloak",
      pods: KEYCLOAK_LABELS,
      ingressFrom: [{ namespace: props.gateway.podNamespace, pods: props.gateway.pods }],
      ports: [{ port: KEYCLOAK_HTTP_PORT }],
    });
    allowFlow(this, ns, { name: "realm-reconcile-to-keycloak", pods: CONFIG_CLI.labels, egressTo: [{ pods: KEYCLOAK_LABELS }], ports: [{ port: KEYCLOAK_HTTP_PORT }] });
    allowFlow(this, ns, { name: "keycloak-from-realm-reconcile", pods: KEYCLOAK_LABELS, ingressFrom: [{ pods: CONFIG_CLI.labels }], ports: [{ port: KEYCLOAK_HTTP_PORT }] });
    if (size.replicas > 1) {
      const cluster = JGROUPS_PORTS.map((port) => ({ port }));
      allowFlow(this, ns, { name: "keycloak-cluster-in", pods: KEYCLOAK_LABELS, ingressFrom: [{ pods: KEYCLOAK_LABELS }], ports: cluster });
      allowFlow(this, ns, { name: "keycloak-cluster-out", pods: KEYCLOAK_LABELS, egressTo: [{ pods: KEYCLOAK_LABELS }], ports: cluster });
    }
    if (backchannel && props.publicGateway) {
      // Back-channel logout: Keycloak calls the apps' public hostnames, which resolve to the gateway.
      allowFlow(this, ns, { name: "keycloak-to-public-gateway", pods: KEYCLOAK_LABELS, egressTo: [...props.publicGateway.peers], ports: props.publicGateway.ports.map((port) => ({ port })) });
    }
    databaseFlows(this, {
      namespace: ns,
      cluster: KEYCLOAK_DB,
      clients: [KEYCLOAK_LABELS],
      backup: { peer: props.backup.peer, port: props.backup.port },
      apiServer: props.apiServer,
      cnpgOperatorNamespace: props.cnpgOperatorNamespace,
    });
    if ((props.realm.federation ?? []).length > 0) {
      // The upstream identity provider (e.g. ProConnect) is outside the cluster: its discovery, token and
      // keys endpoints over HTTPS. A NetworkPolicy cannot name a host, so any address on 443.
      allowFlow(this, ns, { name: "keycloak-to-federation", pods: KEYCLOAK_LABELS, egressTo: [{ cidr: "0.0.0.0/0" }], ports: [{ port: 443 }] });
    }
  }
}

export function renderIdentityChart(props: IdentityChartProps): Record<string, unknown>[] {
  const app = new App();
  return new IdentityChart(app, "identity", props).toJson() as Record<string, unknown>[];
}
