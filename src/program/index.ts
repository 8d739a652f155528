import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ENVOY_NAMESPACE, GATEWAY_NAME, GATEWAY_NAMESPACE, GATEWAY_POD_LABELS, listenerName, type GatewaySite } from "../../charts/gateway";
import { CLUSTER_ISSUER } from "../../charts/issuer";
import { MAIL_LOAD_BALANCER } from "../../charts/mail";
import { OUTSCALE_SECNUMCLOUD_REGION, type AppName, type SocleConfig } from "../config/schema";
import { catalogImage, catalogRegistries } from "../images/ref";
import { APP_DEPLOYERS } from "./apps";
import type { SuiteContext } from "./context";
import { provisionCloud, type ClusterContract } from "../../components/cloud";
import { docsMediaBucket } from "./apps/docs";
import { useKubernetesProvider } from "./kubernetes";
import { deployPlatform } from "./platform";
import { buildSso } from "./sso";

/** Namespace of each app: `<org>-<app>`, so tenants of one platform never share one. */
export function appNamespace(config: SocleConfig, app: AppName): string {
  return `${config.organization.id}-${app}`;
}

const HOST_PREFIX: Record<AppName, string> = { identity: "auth", wiki: "wiki", docs: "docs", chat: "chat", mail: "mail" };

/** Public hostname of each app. */
export function appHostname(config: SocleConfig, app: AppName): string {
  return `${HOST_PREFIX[app]}.${config.domain}`;
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
  // Cloud first: a tenant uses its platform's cluster; every other kind provisions (or is given) one.
  const cluster =
    config.kind === "tenant"
      ? undefined
      : provisionCloud("cluster", {
          cloud: config.cloud,
          organization: config.organization,
          adminCidrs: config.adminCidrs,
          sizing: config.sizing,
          domain: config.domain,
          buckets: config.apps.includes("docs") ? [docsMediaBucket(config.organization.id)] : [],
        });
  const kubeconfig = cluster?.kubeconfig ?? clusterKubeconfig(config);
  if (kubeconfig) useKubernetesProvider(kubeconfig);
  const backup = backupStore(config, cluster);

  const ctx: SuiteContext = {
    config,
    image: (name) => catalogImage(name, mirror),
    namespace: (app) => appNamespace(config, app),
    hostname: (app) => appHostname(config, app),
    storageClass: cluster ? (cluster.storageClasses.encrypted ?? cluster.storageClasses.default) : config.cloud.target === "existing" ? config.cloud.settings.storageClass : "default",
    gateway: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, listener: listenerName, pods: GATEWAY_POD_LABELS, podNamespace: ENVOY_NAMESPACE },
    clusterIssuer: CLUSTER_ISSUER,
    backup: { ...backup, retentionDays: config.backups.retentionDays },
    apiServer: { peers: PRIVATE_RANGES.map((cidr) => ({ cidr })), ports: [443, 6443] },
    cnpgOperatorNamespace: CNPG_NAMESPACE,
    sso: buildSso(config, (app) => appHostname(config, app)),
  };

  const sites: GatewaySite[] = [];
  const buckets: string[] = [];
  const apps: Record<string, unknown> = {};
  for (const app of config.apps) {
    const deployer = APP_DEPLOYERS[app];
    if (!deployer) {
      pulumi.log.warn(`app ${app} is enabled in socle:apps but socle has no deployer for it yet; it is skipped`);
      continue;
    }
    const deployment = deployer(ctx);
    sites.push(...deployment.sites);
    buckets.push(...(deployment.buckets ?? []));
    apps[app] = deployment.outputs;
  }

  if (config.kind !== "tenant") deployPlatform(ctx, sites, buckets);

  return {
    apps,
    // Tenants of a platform stack deploy into its cluster with this kubeconfig (read through a StackReference).
    ...(kubeconfig && config.kind === "platform" ? { kubeconfig: pulumi.secret(kubeconfig) } : {}),
    socle: {
      kind: config.kind,
      organization: config.organization.id,
      target: config.cloud.target,
      region: config.cloud.region,
      allowedRegions: allowedRegions(config),
      allowedRegistries: mirror ? [mirror] : catalogRegistries(),
      declaredLoadBalancers: [`${ENVOY_NAMESPACE}/*`, ...(config.apps.includes("mail") ? [`${appNamespace(config, "mail")}/${MAIL_LOAD_BALANCER}`] : [])],
      minLogRetentionDays: config.logs.retentionDays,
      ...(config.adminCidrMinPrefix !== undefined ? { adminMinPrefix: config.adminCidrMinPrefix } : {}),
      ...(config.provider ? { provider: config.provider } : {}),
      encryptionAtRest: {
        blockStorage: config.provider?.encryptionAtRest?.blockStorage ?? false,
        objectStorage: config.provider?.encryptionAtRest?.objectStorage ?? false,
        volumeTypes: config.cloud.target === "openstack" && config.cloud.settings.encryptedVolumeType ? [config.cloud.settings.encryptedVolumeType] : [],
      },
    },
  };
}

/**
 * Where the cluster's kubeconfig comes from: a tenant reads it from its platform stack; an existing
 * cluster from the file its stack names (absent: the ambient kubeconfig of `pulumi up`).
 */
function clusterKubeconfig(config: SocleConfig): pulumi.Input<string> | undefined {
  if (config.kind === "tenant" && config.platformStack) {
    return new pulumi.StackReference(config.platformStack).requireOutput("kubeconfig") as pulumi.Output<string>;
  }
  if (config.cloud.target === "existing" && config.cloud.settings.kubeconfigPath) {
    return pulumi.secret(readFileSync(config.cloud.settings.kubeconfigPath, "utf8"));
  }
  return undefined;
}

/**
 * Where backups and app files go: the in-cluster Garage on `existing` (credentials generated here, in
 * Garage's key format: id `GK` + 24 hex digits, secret 64 hex digits, imported by the platform); the cloud's
 * S3-compatible service otherwise, reached over HTTPS (its addresses are the provider's, not known ahead).
 */
function backupStore(config: SocleConfig, cluster: ClusterContract | undefined): Omit<SuiteContext["backup"], "retentionDays"> {
  const bucket = `${config.organization.id}-backups`;
  if (config.cloud.target !== "existing" && cluster?.objectStorage.credentials) {
    const endpoint = config.cloud.settings.objectStorageEndpoint;
    return { bucket, endpointURL: endpoint, credentials: cluster.objectStorage.credentials, peer: { cidr: "0.0.0.0/0" }, port: 443 };
  }
  const backupKey = new random.RandomBytes("backup-access-key", { length: 12 });
  const backupSecret = new random.RandomBytes("backup-secret-key", { length: 32 });
  return {
    bucket,
    endpointURL: `http://garage.${IN_CLUSTER_S3.namespace}.svc:${IN_CLUSTER_S3.port}`,
    credentials: { accessKeyId: pulumi.interpolate`GK${backupKey.hex}`, secretAccessKey: backupSecret.hex },
    peer: { namespace: IN_CLUSTER_S3.namespace, pods: IN_CLUSTER_S3.pods },
    port: IN_CLUSTER_S3.port,
  };
}

function allowedRegions(config: SocleConfig): string[] {
  const regions = new Set<string>([OUTSCALE_SECNUMCLOUD_REGION]);
  if (config.cloud.target === "openstack") config.cloud.settings.qualifiedRegions.forEach((r) => regions.add(r));
  if (config.cloud.target === "existing") regions.add(config.cloud.region);
  return [...regions].sort();
}
