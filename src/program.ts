import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ENVOY_NAMESPACE, GATEWAY_NAME, GATEWAY_NAMESPACE, GATEWAY_POD_LABELS, listenerName, type GatewaySite } from "../charts/gateway";
import { CLUSTER_ISSUER } from "../charts/issuer";
import { Wiki } from "../components/apps/wiki";
import { Edge } from "../components/platform/edge";
import type { AppName, SocleConfig } from "./config/schema";
import { catalogImage, catalogRegistries } from "./images/ref";
import { OUTSCALE_SECNUMCLOUD_REGION } from "./config/schema";

/** Namespace of each app: `<org>-<app>`, so tenants of one platform never share one. */
export function appNamespace(config: SocleConfig, app: AppName): string {
  return `${config.organization.id}-${app}`;
}

/** Public hostname of each app. */
export function appHostname(config: SocleConfig, app: AppName): string {
  const prefix: Record<AppName, string> = { identity: "auth", wiki: "wiki", docs: "docs", chat: "chat", mail: "mail" };
  return `${prefix[app]}.${config.domain}`;
}

/** Private address ranges: where the Kubernetes API server of an in-cluster network lives. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const CNPG_NAMESPACE = "cnpg-system";
/** In-cluster S3 store used for backups when the cluster is brought by the operator (target `existing`). */
const IN_CLUSTER_S3 = { namespace: "socle-storage", pods: { "app.kubernetes.io/name": "garage" }, port: 3900 };

/**
 * The socle program: cloud, then platform services, then apps. Takes the typed configuration and
 * nothing else; returns the stack outputs, among them `socle`, the metadata `socle audit` reads.
 */
export function deploy(config: SocleConfig): Record<string, unknown> {
  const mirror = config.registryMirror;
  const sites: GatewaySite[] = config.apps
    .filter((a) => a === "wiki")
    .map((a) => ({ name: a, hostname: appHostname(config, a), routeNamespace: appNamespace(config, a) }));

  if (config.kind !== "tenant") {
    new Edge("edge", {
      gateway: { gatewayClass: config.gatewayClass, sites },
      issuer: { kind: config.tls.issuer, organization: config.organization.name, acmeServer: config.tls.acmeServer, acmeEmail: config.tls.acmeEmail },
    });
  }

  const backupBucket = `${config.organization.id}-backups`;
  const backupKey = new random.RandomPassword("backup-access-key", { length: 24, special: false, upper: false });
  const backupSecret = new random.RandomPassword("backup-secret-key", { length: 48, special: false });
  const urls: Record<string, pulumi.Output<string>> = {};

  if (config.apps.includes("wiki")) {
    const wiki = new Wiki("wiki", {
      namespace: appNamespace(config, "wiki"),
      hostname: appHostname(config, "wiki"),
      sizing: config.sizing,
      storageClass: config.cloud.target === "existing" ? config.cloud.settings.storageClass : "default",
      images: { xwiki: catalogImage("xwiki", mirror), postgresql: catalogImage("postgresql", mirror) },
      gateway: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, listener: listenerName("wiki"), pods: GATEWAY_POD_LABELS, podNamespace: ENVOY_NAMESPACE },
      clusterIssuer: CLUSTER_ISSUER,
      backup: {
        destinationPath: `s3://${backupBucket}/wiki`,
        endpointURL: `http://garage.${IN_CLUSTER_S3.namespace}.svc:${IN_CLUSTER_S3.port}`,
        credentialsSecret: "backup-s3-credentials",
        retentionDays: config.backups.retentionDays,
        peer: { namespace: IN_CLUSTER_S3.namespace, pods: IN_CLUSTER_S3.pods },
        port: IN_CLUSTER_S3.port,
      },
      backupCredentials: { accessKeyId: backupKey.result, secretAccessKey: backupSecret.result },
      apiServer: { peers: PRIVATE_RANGES.map((cidr) => ({ cidr })), ports: [443, 6443] },
      cnpgOperatorNamespace: CNPG_NAMESPACE,
    });
    urls.wiki = wiki.url;
  }

  return {
    urls,
    socle: {
      kind: config.kind,
      organization: config.organization.id,
      target: config.cloud.target,
      region: config.cloud.region,
      allowedRegions: allowedRegions(config),
      allowedRegistries: mirror ? [mirror] : catalogRegistries(),
      declaredLoadBalancers: [`${ENVOY_NAMESPACE}/*`],
      minLogRetentionDays: config.logs.retentionDays,
      ...(config.provider ? { provider: config.provider } : {}),
    },
  };
}

function allowedRegions(config: SocleConfig): string[] {
  const regions = new Set<string>([OUTSCALE_SECNUMCLOUD_REGION]);
  if (config.cloud.target === "openstack") config.cloud.settings.qualifiedRegions.forEach((r) => regions.add(r));
  if (config.cloud.target === "existing") regions.add(config.cloud.region);
  return [...regions].sort();
}
