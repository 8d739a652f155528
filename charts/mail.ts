import { App, Chart } from "cdk8s";
import { k8s } from "./lib/k8s";
import type { SizingProfile } from "../src/model/names";
import { defineSecret, secretEnv } from "../src/model/secrets";
import { ROUNDCUBE_CONFIG_DIR, ROUNDCUBE_PORT, ROUNDCUBE_UID, roundcubeConfig } from "./mail/roundcube";
import { mailSize } from "./mail/sizing";
import { dataStoreConfig, domainQuery, initialConfiguration, provisionScript, PUBLIC_MAIL_PORTS, STALWART_PORTS } from "./mail/stalwart";
import { provisioningJob, stalwartDeployment } from "./mail/stalwart-workloads";
import { certificate, postgresCluster, scheduledBackup, type GatewayRef, type S3Destination } from "./lib/crds";
import { databaseFlows, databaseLabels } from "./lib/database-flows";
import { appDeployment, clusterService, httpProbe } from "./lib/deployment";
import { allowDns, allowFlow, defaultDeny, type Peer } from "./lib/network";
import { pathRoute } from "./lib/routes";
import { podSecurityLabels, type SecurityException } from "./lib/security";
import { databaseCredentials } from "./lib/secrets";
import { databaseSize, plainResources } from "./lib/sizing";

export { STALWART_PORTS, PUBLIC_MAIL_PORTS } from "./mail/stalwart";
export { ROUNDCUBE_PORT, ROUNDCUBE_OAUTH_CALLBACK } from "./mail/roundcube";

export const MAIL_DB_NAME = "stalwart-db";
export const MAIL_DATABASE = "stalwart";
export const WEBMAIL_DB_NAME = "roundcube-db";
export const WEBMAIL_DATABASE = "roundcube";
/** The LoadBalancer Service carrying SMTP and IMAP: declared in the stack's `socle.declaredLoadBalancers`. */
export const MAIL_LOAD_BALANCER = "stalwart-mail";

/** Secrets the component creates before the workloads. */
export const MAIL_SECRETS = {
  /** basic-auth: the mail database owner. */
  db: databaseCredentials("stalwart-db-app"),
  /** basic-auth: the webmail database owner. */
  webmailDb: databaseCredentials("roundcube-db-app"),
  /** `credential`: `admin:<password>`, the recovery administrator (provisioning Job only). */
  admin: defineSecret("stalwart-admin", ["credential"]),
  /** Roundcube's session key and its OIDC client secret. */
  roundcube: defineSecret("roundcube-app", ["des_key", "oauth_client_secret"]),
} as const;
/** Issued by cert-manager in the app namespace: Stalwart's certificate for SMTP and IMAP. */
export const STALWART_TLS_SECRET = "stalwart-tls";

const label = (component: string) => ({ "app.kubernetes.io/name": component, "app.kubernetes.io/part-of": "socle-mail" });
export const MAIL_LABELS = { stalwart: label("stalwart"), provision: label("stalwart-provision"), roundcube: label("roundcube") } as const;
export const MAIL_DB_LABELS = databaseLabels(MAIL_DB_NAME);
export const WEBMAIL_DB_LABELS = databaseLabels(WEBMAIL_DB_NAME);

/** Deviations from Pod Security `restricted`: none (unprivileged ports, read-only root); the list makes a future one explicit. */
export const MAIL_SECURITY_EXCEPTIONS: readonly SecurityException[] = [];

/** Anywhere on the Internet, both address families: mail is accepted from any server and client. */
const INTERNET: readonly Peer[] = [{ cidr: "0.0.0.0/0" }, { cidr: "::/0" }];

export interface MailChartProps {
  readonly namespace: string;
  /** Mail domain of the addresses (`alice@<domain>`). */
  readonly domain: string;
  /** Webmail and JMAP hostname, behind the gateway. */
  readonly webHostname: string;
  /** SMTP and IMAP hostname (MX target), on the mail load balancer's address. */
  readonly mailHostname: string;
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly images: { readonly stalwart: string; readonly roundcube: string; readonly postgresql: string; readonly curl: string };
  readonly gateway: GatewayRef & { readonly listener: string; readonly pods: Readonly<Record<string, string>>; readonly podNamespace: string };
  readonly clusterIssuer: string;
  readonly oidc: { readonly issuerUrl: string; readonly clientId: string; readonly providerName: string };
  /** The gateway's proxies as reached from a pod calling a public hostname: Keycloak's endpoints go there. */
  readonly publicGateway: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly backup: S3Destination & { readonly retentionDays: number; readonly peer: Peer; readonly port: number };
  readonly apiServer: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly cnpgOperatorNamespace: string;
  /** A ConfigMap holding the CA bundle of a private issuer, for Roundcube to check Stalwart's certificate. */
  readonly caBundle?: { readonly configMap: string; readonly key: string };
}

/**
 * Mail: Stalwart (SMTP, submission, IMAP on a declared LoadBalancer; JMAP behind the gateway) with its
 * data and message blobs in PostgreSQL, and Roundcube as webmail signing users in with Keycloak. Both
 * databases are CloudNativePG clusters with continuous backups.
 */
export class MailChart extends Chart {
  constructor(scope: App, id: string, props: MailChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = props.namespace;
    const size = mailSize(props.sizing);
    const db = databaseSize(props.sizing);
    const L = MAIL_LABELS;
    const P = STALWART_PORTS;

    new k8s.KubeNamespace(this, "namespace", { metadata: { name: ns, labels: { ...podSecurityLabels("restricted"), "socle.io/app": "mail" } } });
    defaultDeny(this, ns);
    allowDns(this, ns);

    new k8s.KubeConfigMap(this, "stalwart-config", {
      metadata: { name: "stalwart-config", namespace: ns, labels: { ...L.stalwart } },
      data: { "config.json": dataStoreConfig({ host: `${MAIL_DB_NAME}-rw`, database: MAIL_DATABASE, user: "stalwart", poolMaxConnections: size.stalwart.dbPoolMax }) },
    });
    new k8s.KubeConfigMap(this, "stalwart-plan", {
      metadata: { name: "stalwart-plan", namespace: ns, labels: { ...L.provision } },
      data: {
        "domain-query.json": domainQuery(props.domain),
        "initial.json": initialConfiguration({ hostname: props.mailHostname, domain: props.domain, issuerUrl: props.oidc.issuerUrl, audience: props.oidc.clientId }),
        "provision.sh": provisionScript(props.domain),
      },
    });
    // Issued into this namespace so the pod can mount it; the gateway holds its own for the web hostname.
    certificate(this, { name: "stalwart-tls", namespace: ns, secretName: STALWART_TLS_SECRET, dnsNames: [props.mailHostname], issuer: props.clusterIssuer });

    const workload = {
      namespace: ns,
      labels: L.stalwart,
      provisionLabels: L.provision,
      images: { stalwart: props.images.stalwart, curl: props.images.curl },
      resources: size.stalwart.resources,
      publicUrl: `https://${props.webHostname}`,
      secrets: { db: MAIL_SECRETS.db, admin: MAIL_SECRETS.admin, tls: STALWART_TLS_SECRET },
      configMaps: { config: "stalwart-config", plan: "stalwart-plan" },
      exceptions: MAIL_SECURITY_EXCEPTIONS,
    };
    stalwartDeployment(this, workload);
    provisioningJob(this, workload);

    new k8s.KubeService(this, "stalwart-service", {
      metadata: { name: "stalwart", namespace: ns, labels: { ...L.stalwart } },
      spec: {
        type: "ClusterIP",
        selector: { ...L.stalwart },
        ports: [
          { name: "http", port: P.http, targetPort: k8s.IntOrString.fromNumber(P.http) },
          { name: "imaps", port: PUBLIC_MAIL_PORTS.imaps, targetPort: k8s.IntOrString.fromNumber(P.imaps) },
          { name: "submissions", port: PUBLIC_MAIL_PORTS.submissions, targetPort: k8s.IntOrString.fromNumber(P.submissions) },
        ],
      },
    });
    new k8s.KubeService(this, "stalwart-mail-service", {
      metadata: { name: MAIL_LOAD_BALANCER, namespace: ns, labels: { ...L.stalwart } },
      spec: {
        type: "LoadBalancer",
        // Keeps the client's address (no SNAT to a node): anti-spam checks (SPF, DNSBL, rate limits) need it.
        externalTrafficPolicy: "Local",
        selector: { ...L.stalwart },
        ports: (["smtp", "submissions", "submission", "imaps"] as const).map((name) => ({
          name,
          port: PUBLIC_MAIL_PORTS[name],
          targetPort: k8s.IntOrString.fromNumber(P[name]),
          protocol: "TCP",
        })),
      },
    });

    const rcHost = `ssl://stalwart.${ns}.svc.cluster.local`;
    const caFile = props.caBundle ? `/etc/socle/ca/${props.caBundle.key}` : undefined;
    new k8s.KubeConfigMap(this, "roundcube-config", {
      metadata: { name: "roundcube-config", namespace: ns, labels: { ...L.roundcube } },
      data: {
        "socle.inc.php": roundcubeConfig({
          providerName: props.oidc.providerName,
          issuerUrl: props.oidc.issuerUrl,
          clientId: props.oidc.clientId,
          domain: props.domain,
          mailHostname: props.mailHostname,
          ...(caFile ? { caFile } : {}),
        }),
      },
    });
    appDeployment(this, {
      name: "roundcube",
      namespace: ns,
      labels: L.roundcube,
      replicas: size.roundcube.replicas,
      uid: ROUNDCUBE_UID,
      image: props.images.roundcube,
      env: [
        { name: "ROUNDCUBEMAIL_DB_TYPE", value: "pgsql" },
        { name: "ROUNDCUBEMAIL_DB_HOST", value: `${WEBMAIL_DB_NAME}-rw` },
        { name: "ROUNDCUBEMAIL_DB_NAME", value: WEBMAIL_DATABASE },
        secretEnv("ROUNDCUBEMAIL_DB_USER", MAIL_SECRETS.webmailDb, "username"),
        secretEnv("ROUNDCUBEMAIL_DB_PASSWORD", MAIL_SECRETS.webmailDb, "password"),
        { name: "ROUNDCUBEMAIL_DEFAULT_HOST", value: rcHost },
        { name: "ROUNDCUBEMAIL_DEFAULT_PORT", value: String(PUBLIC_MAIL_PORTS.imaps) },
        { name: "ROUNDCUBEMAIL_SMTP_SERVER", value: rcHost },
        { name: "ROUNDCUBEMAIL_SMTP_PORT", value: String(PUBLIC_MAIL_PORTS.submissions) },
        { name: "ROUNDCUBEMAIL_USERNAME_DOMAIN", value: props.domain },
        { name: "ROUNDCUBEMAIL_SKIN", value: "elastic" },
        { name: "ROUNDCUBEMAIL_PLUGINS", value: "archive,zipdownload" },
        { name: "ROUNDCUBEMAIL_TEMP_DIR", value: "/tmp/roundcube-temp" },
        secretEnv("ROUNDCUBEMAIL_DES_KEY", MAIL_SECRETS.roundcube, "des_key"),
        secretEnv("ROUNDCUBEMAIL_OAUTH_CLIENT_SECRET", MAIL_SECRETS.roundcube, "oauth_client_secret"),
      ],
      port: ROUNDCUBE_PORT,
      resources: size.roundcube.resources,
      probes: {
        // First start copies the sources into the docroot and creates the schema.
        startupProbe: httpProbe("/", ROUNDCUBE_PORT, { failureThreshold: 60 }),
        readinessProbe: httpProbe("/", ROUNDCUBE_PORT),
        livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(ROUNDCUBE_PORT) }, periodSeconds: 20, failureThreshold: 6 },
      },
      // The entrypoint copies Roundcube into the docroot and writes its config there at every start.
      scratch: [
        { name: "docroot", mountPath: "/var/www/html", sizeLimit: "512Mi" },
        { name: "tmp", mountPath: "/tmp", sizeLimit: "1Gi" },
        { name: "apache-run", mountPath: "/var/run/apache2", sizeLimit: "16Mi" },
        { name: "apache-lock", mountPath: "/var/lock/apache2", sizeLimit: "16Mi" },
      ],
      mounts: [
        { volume: { name: "config", configMap: { name: "roundcube-config" } }, mount: { name: "config", mountPath: ROUNDCUBE_CONFIG_DIR, readOnly: true } },
        ...(props.caBundle ? [{ volume: { name: "ca", configMap: { name: props.caBundle.configMap } }, mount: { name: "ca", mountPath: "/etc/socle/ca", readOnly: true } }] : []),
      ],
      exceptions: MAIL_SECURITY_EXCEPTIONS,
    });
    clusterService(this, { name: "roundcube", namespace: ns, labels: L.roundcube, port: ROUNDCUBE_PORT });

    const webmailDb = size.webmailDb;
    const clusters = [
      { name: MAIL_DB_NAME, database: MAIL_DATABASE, owner: "stalwart", secret: MAIL_SECRETS.db, storage: size.mailDb.storage, resources: size.mailDb.resources, schedule: "0 0 3 * * *" },
      { name: WEBMAIL_DB_NAME, database: WEBMAIL_DATABASE, owner: "roundcube", secret: MAIL_SECRETS.webmailDb, storage: webmailDb.storage, resources: webmailDb.resources, schedule: "0 15 3 * * *" },
    ];
    for (const c of clusters) {
      postgresCluster(this, {
        name: c.name,
        namespace: ns,
        imageName: props.images.postgresql,
        instances: db.instances,
        storageSize: c.storage,
        storageClass: props.storageClass,
        database: c.database,
        owner: c.owner,
        ownerSecret: c.secret,
        resources: plainResources(c.resources),
        backup: { ...props.backup, destinationPath: `${props.backup.destinationPath}/${c.database}` },
      });
      scheduledBackup(this, { name: `${c.name}-nightly`, namespace: ns, cluster: c.name, schedule: c.schedule });
    }

    pathRoute(this, {
      name: "mail",
      namespace: ns,
      hostname: props.webHostname,
      gateway: props.gateway,
      listener: props.gateway.listener,
      rules: [
        { pathPrefix: "/", service: "roundcube", port: ROUNDCUBE_PORT },
        // JMAP for mail clients; `/api` (management) and `/admin` are not published.
        { pathPrefix: "/jmap", service: "stalwart", port: P.http, requestTimeout: "0s" },
        { pathPrefix: "/.well-known/jmap", service: "stalwart", port: P.http },
        { pathPrefix: "/autodiscover", service: "stalwart", port: P.http },
      ],
    });
    certificate(this, { name: "mail-tls", namespace: props.gateway.namespace, secretName: "mail-tls", dnsNames: [props.webHostname], issuer: props.clusterIssuer });

    const gateway: Peer = { namespace: props.gateway.podNamespace, pods: props.gateway.pods };
    const mailPorts = [P.smtp, P.submissions, P.submission, P.imaps].map((port) => ({ port }));
    allowFlow(this, ns, { name: "internet-to-stalwart", pods: L.stalwart, ingressFrom: INTERNET, ports: mailPorts });
    allowFlow(this, ns, { name: "gateway-to-stalwart", pods: L.stalwart, ingressFrom: [gateway], ports: [{ port: P.http }] });
    allowFlow(this, ns, { name: "gateway-to-roundcube", pods: L.roundcube, ingressFrom: [gateway], ports: [{ port: ROUNDCUBE_PORT }] });
    allowFlow(this, ns, { name: "roundcube-to-stalwart", pods: L.roundcube, egressTo: [{ pods: L.stalwart }], ports: [{ port: P.imaps }, { port: P.submissions }] });
    allowFlow(this, ns, { name: "stalwart-from-roundcube", pods: L.stalwart, ingressFrom: [{ pods: L.roundcube }], ports: [{ port: P.imaps }, { port: P.submissions }] });
    // Outbound delivery to other domains' MX: port 25 only, any address (a NetworkPolicy cannot name domains).
    allowFlow(this, ns, { name: "stalwart-to-internet-smtp", pods: L.stalwart, egressTo: INTERNET, ports: [{ port: 25 }] });
    // Keycloak's discovery document and signing keys (Stalwart), token and userinfo endpoints (Roundcube).
    for (const [name, pods] of [["stalwart", L.stalwart], ["roundcube", L.roundcube]] as const) {
      allowFlow(this, ns, { name: `${name}-to-public-gateway`, pods, egressTo: [...props.publicGateway.peers], ports: props.publicGateway.ports.map((port) => ({ port })) });
    }
    const common = { namespace: ns, backup: props.backup, apiServer: props.apiServer, cnpgOperatorNamespace: props.cnpgOperatorNamespace };
    databaseFlows(this, { ...common, cluster: MAIL_DB_NAME, clients: [L.stalwart, L.provision] });
    databaseFlows(this, { ...common, cluster: WEBMAIL_DB_NAME, clients: [L.roundcube] });
  }
}

/** Synthesizes the chart to plain manifests (no Pulumi). */
export function renderMailChart(props: MailChartProps): Record<string, unknown>[] {
  const app = new App();
  return new MailChart(app, "mail", props).toJson() as Record<string, unknown>[];
}
