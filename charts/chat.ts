import { App, Chart, JsonPatch } from "cdk8s";
import { k8s } from "./lib/k8s";
import type { SizingProfile } from "../src/model/names";
import { defineSecret } from "../src/model/secrets";
import { ELEMENT_CONFIG_DIR, ELEMENT_PORT, ELEMENT_UID, elementConfig, elementNginxConf, wellKnownClient, wellKnownServer } from "./chat/element";
import { homeserverConfig, logConfig, SYNAPSE_PATHS, SYNAPSE_PORT, SYNAPSE_UID } from "./chat/homeserver";
import { chatSize } from "./chat/sizing";
import { certificate, postgresCluster, scheduledBackup, type GatewayRef, type S3Destination } from "./lib/crds";
import { databaseFlows, databaseLabels } from "./lib/database-flows";
import { appDeployment, clusterService, httpProbe } from "./lib/deployment";
import { allowDns, allowFlow, defaultDeny, type Peer } from "./lib/network";
import { pathRoute } from "./lib/routes";
import { podSecurityLabels, type SecurityException } from "./lib/security";
import { databaseCredentials } from "./lib/secrets";
import { databaseSize, plainResources } from "./lib/sizing";

export { SYNAPSE_PORT } from "./chat/homeserver";
export { ELEMENT_PORT } from "./chat/element";

export const CHAT_DB_NAME = "synapse-db";
export const CHAT_DATABASE = "synapse";
/** Secrets the component creates before the workloads. */
export const CHAT_SECRETS = {
  /** basic-auth: username, password (the database owner). */
  db: databaseCredentials("synapse-db-app"),
  /**
   * Mounted as files under SYNAPSE_PATHS.secrets: `secrets.yaml` (merged into the configuration; it holds
   * the database password and the OIDC client secret) and `signing.key`.
   */
  config: defineSecret("synapse-secrets", ["secrets.yaml", "signing.key"]),
} as const;

const label = (component: string) => ({ "app.kubernetes.io/name": component, "app.kubernetes.io/part-of": "socle-chat" });
export const CHAT_LABELS = { synapse: label("synapse"), element: label("element-web") } as const;
export const CHAT_DB_LABELS = databaseLabels(CHAT_DB_NAME);

/** Deviations from Pod Security `restricted`: none; the list makes a future one explicit. */
export const CHAT_SECURITY_EXCEPTIONS: readonly SecurityException[] = [];

export interface ChatChartProps {
  readonly namespace: string;
  /** Public hostname of Element and Synapse. */
  readonly hostname: string;
  /** Matrix server name (the domain part of user ids). */
  readonly serverName: string;
  /** Product name shown by Element. */
  readonly brand: string;
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly images: { readonly synapse: string; readonly elementWeb: string; readonly postgresql: string };
  readonly gateway: GatewayRef & {
    readonly listener: string;
    readonly pods: Readonly<Record<string, string>>;
    readonly podNamespace: string;
  };
  readonly clusterIssuer: string;
  /** The gateway's proxies as seen from a pod calling a public hostname: Synapse's OIDC back-channel goes there. */
  readonly publicGateway: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  /**
   * Servers this homeserver may federate with. Empty (the default): federation off: no federation
   * resource, no `/.well-known/matrix/server`, no egress beyond the cluster.
   */
  readonly federationAllowlist: readonly string[];
  readonly backup: S3Destination & { readonly retentionDays: number; readonly peer: Peer; readonly port: number };
  readonly apiServer: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly cnpgOperatorNamespace: string;
  /** A ConfigMap holding the full CA bundle to trust (private issuer), mounted and named by SSL_CERT_FILE. */
  readonly caBundle?: { readonly configMap: string; readonly key: string };
}

/** Client-server API and media repository paths (Synapse's `client` listener resource). */
export const SYNAPSE_CLIENT_PATHS = ["/_matrix/client", "/_matrix/media"] as const;
/** Server-server API and server keys (Synapse's `federation` listener resource): routed only with federation. */
export const SYNAPSE_FEDERATION_PATHS = ["/_matrix/federation", "/_matrix/key"] as const;
/** Ports remote homeservers listen on: 443 when delegated by `.well-known/matrix/server`, 8448 by default (Matrix server-server API, "Resolving server names"). */
export const FEDERATION_EGRESS_PORTS = [443, 8448] as const;

const HOSTNAME_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Chat: Matrix Synapse (monolith) and Element Web on one hostname. Element is served at `/`; Synapse at
 * `/_matrix` and `/_synapse/client` (the OIDC callback lives there). `/_synapse/admin` is not published.
 * One hostname means one listener and one certificate, and Element needs no cross-origin access.
 */
export class ChatChart extends Chart {
  constructor(scope: App, id: string, props: ChatChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const server of props.federationAllowlist) {
      if (!HOSTNAME_RE.test(server)) {
        throw new Error(`chat: federation allowlist entry "${server}" is not a lower-case DNS name; list Matrix server names such as matrix.example.org`);
      }
    }
    const ns = props.namespace;
    const size = chatSize(props.sizing);
    const db = databaseSize(props.sizing);
    const federation = props.federationAllowlist.length > 0;

    new k8s.KubeNamespace(this, "namespace", {
      metadata: { name: ns, labels: { ...podSecurityLabels("restricted"), "socle.io/app": "chat" } },
    });
    defaultDeny(this, ns);
    allowDns(this, ns);

    new k8s.KubeConfigMap(this, "synapse-config", {
      metadata: { name: "synapse-config", namespace: ns, labels: { ...CHAT_LABELS.synapse } },
      data: {
        "homeserver.yaml": homeserverConfig({
          serverName: props.serverName,
          publicHostname: props.hostname,
          federationAllowlist: props.federationAllowlist,
          maxUploadSize: "50M",
        }),
        "log.config": logConfig(),
      },
    });
    new k8s.KubePersistentVolumeClaim(this, "synapse-media", {
      metadata: { name: "synapse-media", namespace: ns, labels: { ...CHAT_LABELS.synapse, "socle.io/stateful": "true" } },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: props.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(size.synapse.mediaStorage) } },
      },
    });

    const caMount = props.caBundle
      ? [{ volume: { name: "ca", configMap: { name: props.caBundle.configMap } }, mount: { name: "ca", mountPath: "/etc/socle/ca", readOnly: true } }]
      : [];
    appDeployment(this, {
      name: "synapse",
      namespace: ns,
      labels: CHAT_LABELS.synapse,
      replicas: 1,
      // The media volume is ReadWriteOnce: a rolling update would wait on it forever.
      strategy: { type: "Recreate" },
      uid: SYNAPSE_UID,
      image: props.images.synapse,
      // The image's start.py drops root privileges itself and takes a single config path; running the
      // homeserver module directly as the unprivileged user lets Synapse merge both files.
      command: [
        "python",
        "-m",
        "synapse.app.homeserver",
        "--config-path",
        `${SYNAPSE_PATHS.config}/homeserver.yaml`,
        "--config-path",
        `${SYNAPSE_PATHS.secrets}/secrets.yaml`,
      ],
      env: [
        { name: "HOME", value: "/tmp" },
        ...(props.caBundle ? [{ name: "SSL_CERT_FILE", value: `/etc/socle/ca/${props.caBundle.key}` }] : []),
      ],
      port: SYNAPSE_PORT,
      resources: size.synapse.resources,
      // `/health` on every HTTP listener (the image's own HEALTHCHECK: element-hq/synapse docker/Dockerfile).
      probes: {
        startupProbe: httpProbe("/health", SYNAPSE_PORT, { failureThreshold: 60 }),
        readinessProbe: httpProbe("/health", SYNAPSE_PORT),
        livenessProbe: httpProbe("/health", SYNAPSE_PORT, { periodSeconds: 20, failureThreshold: 6 }),
      },
      scratch: [{ name: "tmp", mountPath: "/tmp", sizeLimit: "1Gi" }],
      mounts: [
        { volume: { name: "config", configMap: { name: "synapse-config" } }, mount: { name: "config", mountPath: SYNAPSE_PATHS.config, readOnly: true } },
        // 0440: readable by the pod's group (fsGroup 991), by no one else.
        { volume: { name: "secrets", secret: { secretName: CHAT_SECRETS.config.name, defaultMode: 0o440 } }, mount: { name: "secrets", mountPath: SYNAPSE_PATHS.secrets, readOnly: true } },
        { volume: { name: "media", persistentVolumeClaim: { claimName: "synapse-media" } }, mount: { name: "media", mountPath: SYNAPSE_PATHS.media } },
        ...caMount,
      ],
      exceptions: CHAT_SECURITY_EXCEPTIONS,
    });
    clusterService(this, { name: "synapse", namespace: ns, labels: CHAT_LABELS.synapse, port: SYNAPSE_PORT });

    new k8s.KubeConfigMap(this, "element-config", {
      metadata: { name: "element-config", namespace: ns, labels: { ...CHAT_LABELS.element } },
      data: {
        "config.json": elementConfig({ publicHostname: props.hostname, serverName: props.serverName, brand: props.brand, federation }),
        "well-known-client.json": wellKnownClient(props.hostname),
        ...(federation ? { "well-known-server.json": wellKnownServer(props.hostname) } : {}),
      },
    });
    new k8s.KubeConfigMap(this, "element-nginx", {
      metadata: { name: "element-nginx", namespace: ns, labels: { ...CHAT_LABELS.element } },
      data: { "default.conf": elementNginxConf({ federation }) },
    });
    appDeployment(this, {
      name: "element-web",
      namespace: ns,
      labels: CHAT_LABELS.element,
      replicas: size.element.replicas,
      uid: ELEMENT_UID,
      image: props.images.elementWeb,
      // nginx directly, without the image's entrypoint scripts that rewrite files under /etc/nginx and /tmp:
      // the server block and config.json come from ConfigMaps.
      command: ["nginx", "-g", "daemon off;"],
      port: ELEMENT_PORT,
      resources: size.element.resources,
      probes: {
        readinessProbe: httpProbe("/config.json", ELEMENT_PORT),
        livenessProbe: httpProbe("/config.json", ELEMENT_PORT, { periodSeconds: 20, failureThreshold: 6 }),
      },
      // The image moves nginx's pid to /tmp; the cache directory holds its temporary files.
      scratch: [
        { name: "tmp", mountPath: "/tmp", sizeLimit: "64Mi" },
        { name: "nginx-cache", mountPath: "/var/cache/nginx", sizeLimit: "256Mi" },
      ],
      mounts: [
        { volume: { name: "nginx-conf", configMap: { name: "element-nginx" } }, mount: { name: "nginx-conf", mountPath: "/etc/nginx/conf.d", readOnly: true } },
        { volume: { name: "element-config", configMap: { name: "element-config" } }, mount: { name: "element-config", mountPath: ELEMENT_CONFIG_DIR, readOnly: true } },
      ],
      exceptions: CHAT_SECURITY_EXCEPTIONS,
    });
    clusterService(this, { name: "element-web", namespace: ns, labels: CHAT_LABELS.element, port: ELEMENT_PORT });

    const cluster = postgresCluster(this, {
      name: CHAT_DB_NAME,
      namespace: ns,
      imageName: props.images.postgresql,
      instances: db.instances,
      storageSize: db.storage,
      storageClass: props.storageClass,
      database: CHAT_DATABASE,
      owner: "synapse",
      ownerSecret: CHAT_SECRETS.db,
      resources: plainResources(db.resources),
      backup: props.backup,
    });
    // Synapse refuses a database whose collation and ctype are not C (element-hq/synapse docs/postgres.md).
    cluster.addJsonPatch(JsonPatch.add("/spec/bootstrap/initdb/localeCollate", "C"), JsonPatch.add("/spec/bootstrap/initdb/localeCType", "C"));
    scheduledBackup(this, { name: `${CHAT_DB_NAME}-nightly`, namespace: ns, cluster: CHAT_DB_NAME, schedule: "0 30 2 * * *" });

    pathRoute(this, {
      name: "chat",
      namespace: ns,
      hostname: props.hostname,
      gateway: props.gateway,
      listener: props.gateway.listener,
      rules: [
        { pathPrefix: "/", service: "element-web", port: ELEMENT_PORT },
        // Only what Synapse's listener serves for its resources (element-hq/synapse@2b5a0623bace645cd524676211393aa1caf26a2e,
        // tag v1.157.1, the newest stored; the catalog pins v1.162.0: synapse/app/homeserver.py
        // `_configure_named_resource` with synapse/api/urls.py): `client` gives /_matrix/client and the media
        // repository (/_matrix/media/...); `federation` gives /_matrix/federation and the server keys (/_matrix/key),
        // routed only when federation is allowed. `/sync` long-polls for up to 30 s and uploads take
        // time: past the proxy's default request timeout.
        ...SYNAPSE_CLIENT_PATHS.map((pathPrefix) => ({ pathPrefix, service: "synapse", port: SYNAPSE_PORT, requestTimeout: "180s" })),
        ...(federation ? SYNAPSE_FEDERATION_PATHS.map((pathPrefix) => ({ pathPrefix, service: "synapse", port: SYNAPSE_PORT })) : []),
        { pathPrefix: "/_synapse/client", service: "synapse", port: SYNAPSE_PORT },
      ],
    });
    certificate(this, { name: "chat-tls", namespace: props.gateway.namespace, secretName: "chat-tls", dnsNames: [props.hostname], issuer: props.clusterIssuer });

    const gateway: Peer = { namespace: props.gateway.podNamespace, pods: props.gateway.pods };
    allowFlow(this, ns, { name: "gateway-to-synapse", pods: CHAT_LABELS.synapse, ingressFrom: [gateway], ports: [{ port: SYNAPSE_PORT }] });
    allowFlow(this, ns, { name: "gateway-to-element", pods: CHAT_LABELS.element, ingressFrom: [gateway], ports: [{ port: ELEMENT_PORT }] });
    allowFlow(this, ns, {
      name: "synapse-to-public-gateway",
      pods: CHAT_LABELS.synapse,
      egressTo: [...props.publicGateway.peers],
      ports: props.publicGateway.ports.map((port) => ({ port })),
    });
    if (federation) {
      // A NetworkPolicy cannot name remote domains: federation_domain_whitelist restricts them, this opens the ports.
      allowFlow(this, ns, { name: "synapse-to-federation", pods: CHAT_LABELS.synapse, egressTo: [{ cidr: "0.0.0.0/0" }], ports: FEDERATION_EGRESS_PORTS.map((port) => ({ port })) });
    }
    databaseFlows(this, {
      namespace: ns,
      cluster: CHAT_DB_NAME,
      clients: [CHAT_LABELS.synapse],
      backup: props.backup,
      apiServer: props.apiServer,
      cnpgOperatorNamespace: props.cnpgOperatorNamespace,
    });
  }
}

/** Synthesizes the chart to plain manifests (no Pulumi). */
export function renderChatChart(props: ChatChartProps): Record<string, unknown>[] {
  const app = new App();
  return new ChatChart(app, "chat", props).toJson() as Record<string, unknown>[];
}
