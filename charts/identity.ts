import { App, Chart } from "cdk8s";
import { k8s } from "cdk8s-plus-33";
import { certificate, httpRoute, postgresCluster, scheduledBackup, type GatewayRef, type S3Destination } from "./lib/crds";
import { databaseFlows } from "./lib/database-flows";
import { appDeployment, clusterService, httpProbe } from "./lib/deployment";
import { allowDns, allowFlow, defaultDeny, type Peer } from "./lib/network";
import { podSecurityLabels } from "./lib/security";
import { databaseSize, plainResources, type Resources } from "./lib/sizing";
import type { SizingProfile } from "../src/config/schema";
import { realmRepresentation, type RealmProps } from "./identity/realm";

export const KEYCLOAK_HTTP_PORT = 8080;
/** Keycloak's management interface: health and metrics, never routed. */
export const KEYCLOAK_MANAGEMENT_PORT = 9000;
/** JGroups (Infinispan) between replicas; discovery goes through the database (jdbc-ping). */
const JGROUPS_PORTS = [7800, 57800];
/** The image's `keycloak` user (keycloak/keycloak, quarkus/container/Dockerfile). */
export const KEYCLOAK_UID = 1000;
export const KEYCLOAK_LABELS = { "app.kubernetes.io/name": "keycloak", "app.kubernetes.io/part-of": "socle-identity" } as const;
export const KEYCLOAK_DB = "keycloak-db";
export const KEYCLOAK_SECRETS = { db: "keycloak-db-app", admin: "keycloak-admin", clients: "keycloak-clients" } as const;
/** ConfigMap holding the realm (no secret in it: client secrets are `${ENV}` placeholders resolved at import). */
export const REALM_CONFIGMAP = "keycloak-realm";

export interface IdentityChartProps {
  readonly namespace: string;
  readonly hostname: string;
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly images: { readonly keycloak: string; readonly postgresql: string };
  readonly gateway: GatewayRef & { readonly listener: string; readonly pods: Readonly<Record<string, string>>; readonly podNamespace: string };
  readonly clusterIssuer: string;
  readonly realm: RealmProps;
  readonly backup: S3Destination & { readonly retentionDays: number; readonly peer: Peer; readonly port: number };
  readonly apiServer: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly cnpgOperatorNamespace: string;
}

export function keycloakSize(profile: SizingProfile): { replicas: number; resources: Resources; heap: string } {
  switch (profile) {
    case "small":
      return { replicas: 1, resources: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "1536Mi" }, heap: "-Xms512m -Xmx1g" };
    case "medium":
      return { replicas: 2, resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "3Gi" }, heap: "-Xms1g -Xmx2g" };
    case "large":
      return { replicas: 3, resources: { cpuRequest: "2", memoryRequest: "4Gi", memoryLimit: "6Gi" }, heap: "-Xms2g -Xmx4g" };
  }
}

/** Environment variable through which the import resolves an app's client secret (`${SOCLE_CLIENT_SECRET_WIKI}`). */
export function clientSecretEnv(clientId: string): string {
  return `SOCLE_CLIENT_SECRET_${clientId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * Keycloak, the suite's identity provider: one realm for the organisation, imported at start, with an OIDC
 * client per enabled app, a second factor required at sign-in and a strong password policy.
 *
 * The official image's `start` re-runs Keycloak's build step when its build options (database vendor,
 * health, metrics) differ from the image's; that step writes under /opt/keycloak/lib/quarkus, mounted here
 * as an emptyDir so the root filesystem stays read-only.
 */
export class IdentityChart extends Chart {
  constructor(scope: App, id: string, props: IdentityChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = props.namespace;
    const size = keycloakSize(props.sizing);
    const db = databaseSize(props.sizing);

    new k8s.KubeNamespace(this, "namespace", { metadata: { name: ns, labels: { ...podSecurityLabels("restricted"), "socle.io/app": "identity" } } });

    new k8s.KubeConfigMap(this, "realm", {
      metadata: { name: REALM_CONFIGMAP, namespace: ns, labels: { ...KEYCLOAK_LABELS }, annotations: { "socle.io/keycloak-realm": "true" } },
      data: { [`${props.realm.name}.json`]: JSON.stringify(realmRepresentation(props.realm, clientSecretEnv), null, 2) },
    });

    const secretEnv = (name: string, secret: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
    appDeployment(this, {
      name: "keycloak",
      namespace: ns,
      labels: KEYCLOAK_LABELS,
      replicas: size.replicas,
      uid: KEYCLOAK_UID,
      image: props.images.keycloak,
      args: ["start", "--import-realm"],
      port: KEYCLOAK_HTTP_PORT,
      env: [
        { name: "KC_DB", value: "postgres" },
        { name: "KC_DB_URL", value: `jdbc:postgresql://${KEYCLOAK_DB}-rw:5432/keycloak` },
        secretEnv("KC_DB_USERNAME", KEYCLOAK_SECRETS.db, "username"),
        secretEnv("KC_DB_PASSWORD", KEYCLOAK_SECRETS.db, "password"),
        { name: "KC_HOSTNAME", value: `https://${props.hostname}` },
        // TLS ends at the gateway; Keycloak trusts its X-Forwarded-* headers and serves plain HTTP inside.
        { name: "KC_HTTP_ENABLED", value: "true" },
        { name: "KC_PROXY_HEADERS", value: "xforwarded" },
        { name: "KC_HEALTH_ENABLED", value: "true" },
        { name: "KC_METRICS_ENABLED", value: "true" },
        { name: "KC_CACHE", value: "ispn" },
        { name: "JAVA_OPTS_APPEND", value: `${size.heap} -Djava.io.tmpdir=/tmp` },
        secretEnv("KC_BOOTSTRAP_ADMIN_USERNAME", KEYCLOAK_SECRETS.admin, "username"),
        secretEnv("KC_BOOTSTRAP_ADMIN_PASSWORD", KEYCLOAK_SECRETS.admin, "password"),
        ...props.realm.clients.map((c) => secretEnv(clientSecretEnv(c.clientId), KEYCLOAK_SECRETS.clients, c.clientId)),
      ],
      resources: size.resources,
      probes: {
        startupProbe: httpProbe("/health/started", KEYCLOAK_MANAGEMENT_PORT, { failureThreshold: 60 }),
        readinessProbe: httpProbe("/health/ready", KEYCLOAK_MANAGEMENT_PORT),
        livenessProbe: httpProbe("/health/live", KEYCLOAK_MANAGEMENT_PORT, { periodSeconds: 20, failureThreshold: 6 }),
      },
      scratch: [
        { name: "quarkus", mountPath: "/opt/keycloak/lib/quarkus", sizeLimit: "512Mi" },
        { name: "data", mountPath: "/opt/keycloak/data/tmp", sizeLimit: "256Mi" },
        { name: "tmp", mountPath: "/tmp", sizeLimit: "256Mi" },
      ],
      mounts: [
        {
          volume: { name: "realm", configMap: { name: REALM_CONFIGMAP } },
          mount: { name: "realm", mountPath: "/opt/keycloak/data/import", readOnly: true },
        },
      ],
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

    httpRoute(this, { name: "keycloak", namespace: ns, hostname: props.hostname, gateway: props.gateway, listener: props.gateway.listener, service: "keycloak", port: KEYCLOAK_HTTP_PORT });
    certificate(this, { name: "identity-tls", namespace: props.gateway.namespace, secretName: "identity-tls", dnsNames: [props.hostname], issuer: props.clusterIssuer });

    defaultDeny(this, ns);
    allowDns(this, ns);
    allowFlow(this, ns, {
      name: "gateway-to-keycloak",
      pods: KEYCLOAK_LABELS,
      ingressFrom: [{ namespace: props.gateway.podNamespace, pods: props.gateway.pods }],
      ports: [{ port: KEYCLOAK_HTTP_PORT }],
    });
    if (size.replicas > 1) {
      const cluster = JGROUPS_PORTS.map((port) => ({ port }));
      allowFlow(this, ns, { name: "keycloak-cluster-in", pods: KEYCLOAK_LABELS, ingressFrom: [{ pods: KEYCLOAK_LABELS }], ports: cluster });
      allowFlow(this, ns, { name: "keycloak-cluster-out", pods: KEYCLOAK_LABELS, egressTo: [{ pods: KEYCLOAK_LABELS }], ports: cluster });
    }
    databaseFlows(this, {
      namespace: ns,
      cluster: KEYCLOAK_DB,
      clients: [KEYCLOAK_LABELS],
      backup: { peer: props.backup.peer, port: props.backup.port },
      apiServer: props.apiServer,
      cnpgOperatorNamespace: props.cnpgOperatorNamespace,
    });
    if (props.realm.federation) {
      // The upstream identity provider (e.g. ProConnect) is called by Keycloak's back channel over HTTPS.
      allowFlow(this, ns, { name: "keycloak-to-federation", pods: KEYCLOAK_LABELS, egressTo: [{ cidr: "0.0.0.0/0" }], ports: [{ port: 443 }] });
    }
  }
}

export function renderIdentityChart(props: IdentityChartProps): Record<string, unknown>[] {
  const app = new App();
  return new IdentityChart(app, "identity", props).toJson() as Record<string, unknown>[];
}
