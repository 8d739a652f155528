import { App, Chart } from "cdk8s";
import { k8s } from "./lib/k8s";
import { certificate, httpRoute, postgresCluster, scheduledBackup, type GatewayRef, type S3Destination } from "./lib/crds";
import { allowDns, allowFlow, defaultDeny, type Peer } from "./lib/network";
import { exceptionsAnnotation, podSecurityLabels, restrictedContainerSecurityContext, restrictedPodSecurityContext, type SecurityException } from "./lib/security";
import { databaseSize, toK8sResources, plainResources, type Resources } from "./lib/sizing";
import type { SizingProfile } from "../src/model/names";
import type { DatabaseCredentials } from "./lib/secrets";
import { offlineSteps } from "./wiki/offline";
import { ssoSteps, WIKI_OIDC_CONFIGMAP, wikiOidcConfig, XWIKI_TRUSTSTORE, type WikiSso } from "./wiki/oidc";

/** XWiki's container listens on Tomcat's HTTP port. */
export const XWIKI_PORT = 8080;
/** Non-root user XWiki runs as; files it writes live on volumes owned by this group (fsGroup). */
export const XWIKI_UID = 10001;
const PERMANENT_DIR = "/usr/local/xwiki";
const WEBAPP_DIR = "/usr/local/tomcat/webapps/ROOT";

export interface WikiChartProps {
  readonly namespace: string;
  readonly hostname: string;
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly images: { readonly xwiki: string; readonly postgresql: string };
  readonly gateway: GatewayRef & {
    /** Listener the route attaches to (one HTTPS listener per app hostname). */
    readonly listener: string;
    /** Pods of the gateway's data plane, allowed to reach XWiki, and their namespace. */
    readonly pods: Readonly<Record<string, string>>;
    readonly podNamespace: string;
  };
  readonly clusterIssuer: string;
  /** Secret (basic-auth) with the database owner's credentials, created by the component. */
  readonly dbSecret: DatabaseCredentials;
  readonly backup: S3Destination & {
    readonly retentionDays: number;
    /** Where the object store is, for the database pods' egress. */
    readonly peer: Peer;
    readonly port: number;
  };
  /** Where the Kubernetes API server is: CloudNativePG instance managers talk to it. */
  readonly apiServer: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  /** Namespace of the CloudNativePG operator, which calls each instance's status endpoint. */
  readonly cnpgOperatorNamespace: string;
  /** Single sign-on through the organisation's Keycloak realm (XWiki's OpenID Connect Authenticator); none: local accounts. */
  readonly sso?: WikiSso;
}

export const WIKI_LABELS = { "app.kubernetes.io/name": "xwiki", "app.kubernetes.io/part-of": "socle-wiki" } as const;
export const WIKI_DB_NAME = "xwiki-db";
export const WIKI_DB_LABELS = { "cnpg.io/cluster": WIKI_DB_NAME } as const;

function xwikiSize(profile: SizingProfile): { resources: Resources; javaOpts: string; storage: string } {
  switch (profile) {
    case "small":
      return { resources: { cpuRequest: "500m", memoryRequest: "2Gi", memoryLimit: "3Gi" }, javaOpts: "-Xmx1536m", storage: "10Gi" };
    case "medium":
      return { resources: { cpuRequest: "1", memoryRequest: "4Gi", memoryLimit: "6Gi" }, javaOpts: "-Xmx3g", storage: "50Gi" };
    case "large":
      return { resources: { cpuRequest: "2", memoryRequest: "8Gi", memoryLimit: "12Gi" }, javaOpts: "-Xmx6g", storage: "200Gi" };
  }
}

/**
 * Deviations from Pod Security `restricted` defaults in the wiki. XWiki runs non-root with a read-only
 * root filesystem; none is needed. The list exists so that a future one is declared, not implicit.
 */
export const WIKI_SECURITY_EXCEPTIONS: readonly SecurityException[] = [];

/**
 * XWiki (PostgreSQL flavour) with its CloudNativePG database, exposed through the shared Gateway.
 *
 * The image's entrypoint edits its configuration files under the webapp on first start, which a
 * read-only root filesystem forbids; an init container copies the webapp into a volume the
 * non-root user owns, so the main container runs read-only and unprivileged.
 */
export class WikiChart extends Chart {
  constructor(scope: App, id: string, props: WikiChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = props.namespace;
    const size = xwikiSize(props.sizing);
    const db = databaseSize(props.sizing);

    new k8s.KubeNamespace(this, "namespace", {
      metadata: { name: ns, labels: { ...podSecurityLabels("restricted"), "socle.io/app": "wiki" } },
    });

    new k8s.KubeServiceAccount(this, "service-account", {
      metadata: { name: "xwiki", namespace: ns },
      automountServiceAccountToken: false,
    });

    new k8s.KubePersistentVolumeClaim(this, "data", {
      metadata: { name: "xwiki-data", namespace: ns, labels: { ...WIKI_LABELS, "socle.io/stateful": "true" } },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: props.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(size.storage) } },
      },
    });

    const container = restrictedContainerSecurityContext();
    const sso = props.sso;
    if (sso) {
      new k8s.KubeConfigMap(this, "oidc", {
        metadata: { name: WIKI_OIDC_CONFIGMAP, namespace: ns, labels: { ...WIKI_LABELS } },
        data: wikiOidcConfig(sso),
      });
    }
    const ssoVolumes = sso
      ? [
          { volume: { name: "oidc", configMap: { name: WIKI_OIDC_CONFIGMAP } }, mount: { name: "oidc", mountPath: "/etc/socle/oidc", readOnly: true } },
          ...(sso.caBundle ? [{ volume: { name: "ca", configMap: { name: sso.caBundle.configMap } }, mount: { name: "ca", mountPath: "/etc/socle/ca", readOnly: true } }] : []),
        ]
      : [];
    const truststore = sso?.caBundle ? [{ name: "truststore", mountPath: XWIKI_TRUSTSTORE.dir }] : [];
    const tmpVolumes = [
      { name: "webapp", mountPath: WEBAPP_DIR },
      { name: "tomcat-temp", mountPath: "/usr/local/tomcat/temp" },
      { name: "tomcat-work", mountPath: "/usr/local/tomcat/work" },
      { name: "tomcat-logs", mountPath: "/usr/local/tomcat/logs" },
      { name: "tmp", mountPath: "/tmp" },
    ];
    new k8s.KubeDeployment(this, "deployment", {
      metadata: { name: "xwiki", namespace: ns, labels: { ...WIKI_LABELS }, annotations: exceptionsAnnotation(WIKI_SECURITY_EXCEPTIONS) },
      spec: {
        // One replica: XWiki clustering needs a shared cache and event bus not configured here; the
        // volume is ReadWriteOnce, so a rolling update would deadlock on it.
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: { ...WIKI_LABELS } },
        template: {
          metadata: { labels: { ...WIKI_LABELS } },
          spec: {
            serviceAccountName: "xwiki",
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(XWIKI_UID),
            enableServiceLinks: false,
            initContainers: [
              {
                name: "copy-webapp",
                image: props.images.xwiki,
                // Copy the webapp, stage the offline flavour repository into the permanent directory and
                // configure the unattended distribution job (charts/wiki/offline.ts), then the SSO settings.
                command: ["sh", "-c", wikiInitScript(sso)],
                ...(sso ? { env: [{ name: "OIDC_CLIENT_SECRET", valueFrom: { secretKeyRef: { name: sso.clientSecret.name, key: sso.clientSecret.key } } }] } : {}),
                securityContext: container,
                resources: toK8sResources({ cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "256Mi" }),
                volumeMounts: [{ name: "webapp", mountPath: "/webapp" }, { name: "data", mountPath: PERMANENT_DIR }, ...ssoVolumes.map((v) => v.mount), ...truststore],
              },
            ],
            containers: [
              {
                name: "xwiki",
                image: props.images.xwiki,
                ports: [{ name: "http", containerPort: XWIKI_PORT }],
                env: [
                  { name: "DB_HOST", value: `${WIKI_DB_NAME}-rw` },
                  { name: "DB_DATABASE", value: "xwiki" },
                  props.dbSecret.env("DB_USER", "username"),
                  props.dbSecret.env("DB_PASSWORD", "password"),
                  { name: "JAVA_OPTS", value: `${size.javaOpts} -Djava.io.tmpdir=/tmp${sso?.caBundle ? ` ${XWIKI_TRUSTSTORE.javaOpts}` : ""}` },
                  // LibreOffice (started by XWiki for office imports) writes its profile under HOME; root's is read-only here.
                  { name: "HOME", value: "/tmp" },
                ],
                securityContext: container,
                resources: toK8sResources(size.resources),
                startupProbe: { httpGet: { path: "/", port: k8s.IntOrString.fromNumber(XWIKI_PORT) }, periodSeconds: 10, failureThreshold: 60 },
                readinessProbe: { httpGet: { path: "/", port: k8s.IntOrString.fromNumber(XWIKI_PORT) }, periodSeconds: 10, timeoutSeconds: 5 },
                livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(XWIKI_PORT) }, periodSeconds: 20, failureThreshold: 6 },
                volumeMounts: [{ name: "data", mountPath: PERMANENT_DIR }, ...tmpVolumes, ...truststore.map((t) => ({ ...t, readOnly: true }))],
              },
            ],
            volumes: [
              { name: "data", persistentVolumeClaim: { claimName: "xwiki-data" } },
              ...tmpVolumes.map((v) => ({ name: v.name, emptyDir: { sizeLimit: k8s.Quantity.fromString(v.name === "webapp" ? "1Gi" : "512Mi") } })),
              ...ssoVolumes.map((v) => v.volume),
              ...truststore.map((t) => ({ name: t.name, emptyDir: { sizeLimit: k8s.Quantity.fromString("16Mi") } })),
            ],
          },
        },
      },
    });

    new k8s.KubeService(this, "service", {
      metadata: { name: "xwiki", namespace: ns, labels: { ...WIKI_LABELS } },
      spec: { type: "ClusterIP", selector: { ...WIKI_LABELS }, ports: [{ name: "http", port: XWIKI_PORT, targetPort: k8s.IntOrString.fromNumber(XWIKI_PORT) }] },
    });

    postgresCluster(this, {
      name: WIKI_DB_NAME,
      namespace: ns,
      imageName: props.images.postgresql,
      instances: db.instances,
      storageSize: db.storage,
      storageClass: props.storageClass,
      database: "xwiki",
      owner: "xwiki",
      ownerSecret: props.dbSecret,
      resources: plainResources(db.resources),
      backup: { ...props.backup, retentionDays: props.backup.retentionDays },
    });
    scheduledBackup(this, { name: `${WIKI_DB_NAME}-nightly`, namespace: ns, cluster: WIKI_DB_NAME, schedule: "0 0 2 * * *" });

    httpRoute(this, {
      name: "xwiki",
      namespace: ns,
      hostname: props.hostname,
      gateway: props.gateway,
      listener: props.gateway.listener,
      service: "xwiki",
      port: XWIKI_PORT,
    });
    certificate(this, {
      name: "wiki-tls",
      namespace: props.gateway.namespace,
      secretName: "wiki-tls",
      dnsNames: [props.hostname],
      issuer: props.clusterIssuer,
    });

    defaultDeny(this, ns);
    allowDns(this, ns);
    allowFlow(this, ns, {
      name: "gateway-to-xwiki",
      pods: WIKI_LABELS,
      ingressFrom: [{ namespace: props.gateway.podNamespace, pods: props.gateway.pods }],
      ports: [{ port: XWIKI_PORT }],
    });
    if (sso) {
      // OIDC back channel (discovery, token, user info, keys) to Keycloak's public hostname, i.e. the gateway.
      allowFlow(this, ns, { name: "xwiki-to-public-gateway", pods: WIKI_LABELS, egressTo: [...sso.publicGateway.peers], ports: sso.publicGateway.ports.map((port) => ({ port })) });
    }
    allowFlow(this, ns, { name: "xwiki-to-db", pods: WIKI_LABELS, egressTo: [{ pods: WIKI_DB_LABELS }], ports: [{ port: 5432 }] });
    allowFlow(this, ns, { name: "db-from-xwiki", pods: WIKI_DB_LABELS, ingressFrom: [{ pods: WIKI_LABELS }], ports: [{ port: 5432 }] });
    // Streaming replication and the instance manager's status endpoint between database instances.
    allowFlow(this, ns, { name: "db-replication-in", pods: WIKI_DB_LABELS, ingressFrom: [{ pods: WIKI_DB_LABELS }], ports: [{ port: 5432 }, { port: 8000 }] });
    allowFlow(this, ns, { name: "db-replication-out", pods: WIKI_DB_LABELS, egressTo: [{ pods: WIKI_DB_LABELS }], ports: [{ port: 5432 }, { port: 8000 }] });
    allowFlow(this, ns, {
      name: "db-from-operator",
      pods: WIKI_DB_LABELS,
      ingressFrom: [{ namespace: props.cnpgOperatorNamespace, pods: { "app.kubernetes.io/name": "cloudnative-pg" } }],
      ports: [{ port: 8000 }, { port: 5432 }],
    });
    allowFlow(this, ns, { name: "db-to-backups", pods: WIKI_DB_LABELS, egressTo: [props.backup.peer], ports: [{ port: props.backup.port }] });
    allowFlow(this, ns, { name: "db-to-api-server", pods: WIKI_DB_LABELS, egressTo: props.apiServer.peers, ports: props.apiServer.ports.map((port) => ({ port })) });
  }
}

/** The init container's script: webapp copy, offline first start, then single sign-on when configured. */
export function wikiInitScript(sso?: WikiSso): string {
  const webInf = "/webapp/WEB-INF";
  return ["set -eu", `cp -a ${WEBAPP_DIR}/. /webapp/`, ...offlineSteps(webInf), ...(sso ? ssoSteps(webInf, sso) : [])].join("\n");
}

/** Synthesizes the chart to plain manifests (no Pulumi). */
export function renderWikiChart(props: WikiChartProps): Record<string, unknown>[] {
  const app = new App();
  const chart = new WikiChart(app, "wiki", props);
  return chart.toJson() as Record<string, unknown>[];
}
