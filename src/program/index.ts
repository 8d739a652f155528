import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ENVOY_NAMESPACE, GATEWAY_NAME, GATEWAY_NAMESPACE, GATEWAY_POD_LABELS, listenerName, renderListenerSet, TENANT_NAMESPACE_LABEL, type GatewaySite } from "../../charts/gateway";
import { CLUSTER_ISSUER } from "../../charts/issuer";
import { OUTSCALE_SECNUMCLOUD_REGION, type AppName, type SocleConfig } from "../config/schema";
import { catalogImage, catalogRegistries } from "../images/ref";
import { programLockPath, readLock } from "../images/lock";
import { bucketNames } from "../../components/cloud/plan/buckets";
import { APPS } from "./apps";
import type { SuiteContext } from "./context";
import { provisionCloud, type ClusterContract } from "../../components/cloud";
import { useKubernetesProvider } from "./kubernetes";
import { deployPlatform, type PlatformServices } from "./platform";
import { resolvePlatformImages } from "../../charts/platform/images";
import { bindTenants, OBJECT_STORAGE_OUTPUT, tenantBackupEvidence, tenantBindingOutput, TENANT_BACKUPS_OUTPUT, TENANT_BINDING_OUTPUT, type PlatformBackupsEvidence } from "./tenants-binding";
import { manifestGroup, observeManifests } from "../../components/lib/manifests";
import { renderCapsuleTenant } from "../../charts/platform/capsule";
import { capsuleTenantName, tenantAdminGroup, parsePlatformContract, platformContract, refuseProtectedNamespaces, TENANCY_OUTPUT, type PlatformContract } from "./tenancy";
import { buildSso } from "./sso";

/** Namespace of each app: `<org>-<app>`, so tenants of one platform never share one. */
export function appNamespace(config: SocleConfig, app: AppName): string {
  return `${config.organization.id}-${app}`;
}

/** Public hostname of each app: its module's host prefix under the stack's domain. */
export function appHostname(config: SocleConfig, app: AppName): string {
  return `${APPS[app].hostPrefix}.${config.domain}`;
}

/** Buckets the enabled apps keep files in (besides backups), in the order of `socle:apps`. */
export function appBuckets(config: SocleConfig): string[] {
  return config.apps.flatMap((app) => APPS[app].buckets(config.organization.id));
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
export function deploy(config: SocleConfig): Record<string, unknown> | Promise<Record<string, unknown>> {
  if (config.kind === "tenant") return deployTenant(config);
  return deploySuite(config);
}

/**
 * A tenant of a platform stack: its apps only, on the platform's cluster, Gateway, issuer and object store,
 * all read from the platform's `tenancy` output (src/program/tenancy.ts) through a StackReference. Each app
 * attaches to a ListenerSet of its own, in its namespace, with its certificate there.
 */
async function deployTenant(config: SocleConfig): Promise<Record<string, unknown>> {
  const platformStack = config.platformStack!;
  const ref = new pulumi.StackReference(platformStack);
  const details = await ref.getOutputDetails(TENANCY_OUTPUT);
  const platform = parsePlatformContract(details.value ?? details.secretValue, platformStack, config);
  refuseProtectedNamespaces(platform, config.apps.map((app) => appNamespace(config, app)), platformStack);
  // What the platform bound for this tenant (its Velero Schedule of the tenant's namespaces), as it reports it:
  // recorded as the tenant's audit evidence, never assumed (src/program/tenants-binding.ts).
  const backups = await ref.getOutputDetails(TENANT_BACKUPS_OUTPUT);
  const platformBackups = tenantBackupEvidence(backups.value ?? backups.secretValue, config, platformStack);
  // Every namespace of the tenant carries its Capsule tenant label, the one the platform's Gateway admits
  // ListenerSets from and Capsule's namespace webhook holds to the owning tenant (charts/platform/capsule.ts),
  // and is created after the tenant's Capsule Tenant: Capsule refuses a labelled namespace whose Tenant does not
  // exist (projectcapsule/capsule v0.14.0 internal/webhook/namespace/mutation/handler.go, GetTenantByLabels).
  let tenantCreated: (r: pulumi.Resource[]) => void = () => undefined;
  const capsuleTenant = new Promise<pulumi.Resource[]>((resolve) => (tenantCreated = resolve));
  pulumi.runtime.registerStackTransformation((args) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return undefined;
    const props = args.props as { metadata?: { labels?: Record<string, string> } };
    return { props: { ...props, metadata: { ...props.metadata, labels: { ...props.metadata?.labels, [TENANT_NAMESPACE_LABEL]: capsuleTenantName(config) } } }, opts: pulumi.mergeOptions(args.opts, { dependsOn: capsuleTenant }) };
  });
  // The platform's cluster: its kubeconfig output when it has one (a cluster it provisioned or was given by
  // file); otherwise, like the platform itself, the ambient kubeconfig of `pulumi up`.
  const kubeconfig = await ref.getOutputDetails("kubeconfig");
  if (kubeconfig.value !== undefined || kubeconfig.secretValue !== undefined) {
    useKubernetesProvider(ref.requireOutput("kubeconfig") as pulumi.Output<string>);
  }
  const rendered: Record<string, unknown>[] = [];
  let outputs: Record<string, unknown>;
  try {
    ({ outputs } = observeManifests(
      (objs) => rendered.push(...objs),
      () =>
        deployApps(config, {
          storageClass: platform.storageClass,
          gateway: { name: platform.gateway.name, namespace: platform.gateway.namespace, listener: listenerName, pods: platform.gateway.pods, podNamespace: platform.gateway.podNamespace, listenerSets: true },
          clusterIssuer: platform.tls.clusterIssuer,
          backup: tenantObjectStore(config, platform),
          platform,
          ...(platformBackups ? { platformBackups } : {}),
        }),
    ));
  } catch (e) {
    tenantCreated([]); // no namespace waits for a Tenant that will not come
    throw e;
  }
  // The tenant's Capsule Tenant, sized from what its apps just rendered (charts/platform/capsule.ts).
  const tenant = manifestGroup(
    "capsule-tenant",
    [
      renderCapsuleTenant({
        name: capsuleTenantName(config),
        namespaces: config.apps.map((app) => appNamespace(config, app)),
        adminGroup: tenantAdminGroup(config),
        storageClass: platform.storageClass,
        gatewayClass: platform.gateway.className,
        objects: rendered,
      }),
    ],
    {},
  );
  tenantCreated([tenant]);
  return outputs;
}

function deploySuite(config: SocleConfig): Record<string, unknown> | Promise<Record<string, unknown>> {
  const mirror = config.registryMirror;
  // Cloud first: every kind but a tenant provisions (or is given) a cluster.
  const cluster = provisionCloud("cluster", {
    cloud: config.cloud,
    organization: config.organization,
    adminCidrs: config.adminCidrs,
    sizing: config.sizing,
    domain: config.domain,
    buckets: appBuckets(config),
    // RKE2's system-default-registry and containerd's mirrors on the nodes (components/cloud/plan/cloud-init.ts).
    ...(mirror ? { registryMirror: mirror } : {}),
  });
  const kubeconfig = cluster?.kubeconfig ?? clusterKubeconfig(config);
  if (kubeconfig) useKubernetesProvider(kubeconfig);
  const storageClass = cluster ? (cluster.storageClasses.encrypted ?? cluster.storageClasses.default) : config.cloud.target === "existing" ? config.cloud.settings.storageClass : "default";
  const { outputs, services } = deployApps(config, {
    storageClass,
    gateway: {
      name: GATEWAY_NAME,
      namespace: GATEWAY_NAMESPACE,
      listener: listenerName,
      pods: GATEWAY_POD_LABELS,
      podNamespace: ENVOY_NAMESPACE,
      ...(cluster?.gatewayService ? { service: cluster.gatewayService } : {}),
    },
    clusterIssuer: CLUSTER_ISSUER,
    backup: backupStore(config, cluster),
  });
  const suite = {
    ...outputs,
    // What docs/cloud.md tells operators to use: the gateway's public address (DNS), the API endpoint, and the
    // kubeconfig, always a secret output (tenants of a platform stack read it through a StackReference).
    ...(cluster ? { gatewayAddress: cluster.gatewayAddress, apiEndpoint: cluster.apiEndpoint } : {}),
    ...(kubeconfig ? { kubeconfig: pulumi.secret(kubeconfig) } : {}),
    // What every tenant reads from its platform (src/program/tenancy.ts).
    ...(config.kind === "platform" ? { [TENANCY_OUTPUT]: platformContract(config, storageClass) } : {}),
  };
  if (config.kind !== "platform" || (config.tenants ?? []).length === 0 || !services) return suite;
  // A platform that binds tenants: their buckets and key in its Garage, their volumes in its Velero.
  const contract = platformContract(config, storageClass);
  const lock = readLock(programLockPath(process.env));
  const images = resolvePlatformImages((name) => catalogImage(name, mirror, lock), mirror);
  return bindTenants(config, {
    image: images.curl,
    region: contract.objectStorage.region,
    s3Url: contract.objectStorage.endpointURL,
    platformBuckets: [bucketNames(config.organization.id).backups, ...appBuckets(config)],
    ...(services.objectStorage ? { garage: services.objectStorage } : {}),
    velero: services.backups,
  }).then((tenantBackups) => ({ ...suite, [TENANT_BACKUPS_OUTPUT]: tenantBackups }));
}

interface Foundation {
  readonly storageClass: string;
  readonly gateway: SuiteContext["gateway"];
  readonly clusterIssuer: string;
  readonly backup: Omit<SuiteContext["backup"], "retentionDays">;
  /** A tenant's platform, as its `tenancy` output says. */
  readonly platform?: PlatformContract;
  /** A tenant: the platform's Velero Schedules covering it, as the platform's `tenantBackups` output reports them. */
  readonly platformBackups?: PlatformBackupsEvidence;
}

function deployApps(config: SocleConfig, base: Foundation): { outputs: Record<string, unknown>; services?: PlatformServices } {
  const mirror = config.registryMirror;
  // Digests the organisation's registry served (`socle images lock`); images it does not name render by tag.
  const lock = readLock(programLockPath(process.env));
  const ctx: SuiteContext = {
    config,
    image: (name) => catalogImage(name, mirror, lock),
    namespace: (app) => appNamespace(config, app),
    hostname: (app) => appHostname(config, app),
    storageClass: base.storageClass,
    gateway: base.gateway,
    clusterIssuer: base.clusterIssuer,
    backup: { ...base.backup, retentionDays: config.backups.retentionDays },
    apiServer: { peers: PRIVATE_RANGES.map((cidr) => ({ cidr })), ports: [443, 6443] },
    cnpgOperatorNamespace: CNPG_NAMESPACE,
    sso: buildSso(config, (app) => appHostname(config, app)),
  };

  // Every enabled app, the same way: its module deploys it; the gateway serves its hostname.
  const sites: GatewaySite[] = config.apps.map((app) => ({ name: app, hostname: ctx.hostname(app), routeNamespace: ctx.namespace(app) }));
  const apps: Record<string, unknown> = {};
  for (const app of config.apps) apps[app] = APPS[app].deploy(ctx);
  let services: PlatformServices | undefined;

  if (base.platform) {
    // The tenant's listeners on its platform's Gateway: one ListenerSet per app, in the app's namespace.
    const platform = base.platform;
    manifestGroup(
      "listeners",
      sites.flatMap((s) => renderListenerSet({ site: s.name, hostname: s.hostname, namespace: s.routeNamespace, gateway: platform.gateway })),
      {},
    );
  } else {
    services = deployPlatform(ctx, sites, appBuckets(config));
  }

  const outputs = {
    apps,
    ...(base.platform
      ? {
          [OBJECT_STORAGE_OUTPUT]: tenantObjectStorageOutput(config, ctx.backup),
          // What the platform binds (src/program/tenants-binding.ts): plain, the key stays in objectStorage.
          [TENANT_BINDING_OUTPUT]: tenantBindingOutput(config, config.apps.map((app) => appNamespace(config, app)), ctx.backup.bucket, appBuckets(config)),
        }
      : {}),
    socle: {
      kind: config.kind,
      organization: config.organization.id,
      target: config.cloud.target,
      region: config.cloud.region,
      // The admin networks, for `socle check` (rule cloud-admin-surface).
      adminCidrs: [...config.adminCidrs],
      allowedRegions: allowedRegions(config),
      allowedRegistries: mirror ? [mirror] : catalogRegistries(),
      declaredLoadBalancers: [`${ENVOY_NAMESPACE}/*`, ...config.apps.flatMap((app) => APPS[app].loadBalancers.map((lb) => `${appNamespace(config, app)}/${lb}`))],
      minLogRetentionDays: config.logs.retentionDays,
      ...(config.adminCidrMinPrefix !== undefined ? { adminMinPrefix: config.adminCidrMinPrefix } : {}),
      ...(config.provider ? { provider: config.provider } : {}),
      encryptionAtRest: {
        blockStorage: config.provider?.encryptionAtRest?.blockStorage ?? false,
        objectStorage: config.provider?.encryptionAtRest?.objectStorage ?? false,
        volumeTypes: config.cloud.target === "openstack" && config.cloud.settings.encryptedVolumeType ? [config.cloud.settings.encryptedVolumeType] : [],
      },
      ...(base.platformBackups ? { platformBackups: base.platformBackups } : {}),
    },
  };
  return { outputs, ...(services ? { services } : {}) };
}

/**
 * Where the cluster's kubeconfig comes from: a tenant reads it from its platform stack; an existing
 * cluster from the file its stack names (absent: the ambient kubeconfig of `pulumi up`).
 */
function clusterKubeconfig(config: SocleConfig): pulumi.Input<string> | undefined {
  if (config.cloud.target === "existing" && config.cloud.settings.kubeconfigPath) {
    return pulumi.secret(readFileSync(config.cloud.settings.kubeconfigPath, "utf8"));
  }
  return undefined;
}

/**
 * Where backups and app files go, as the cluster contract says: the cloud's S3-compatible service reached
 * over HTTPS, or the in-cluster Garage on `existing` (credentials generated here, in Garage's key format: id
 * `GK` + 24 hex digits, secret 64 hex digits, imported by the platform). The bucket's name and the endpoint
 * are plain strings because charts template them; both come from the same planning function and setting as
 * the contract's outputs, and the credentials handed to every consumer are made to depend on the contract's
 * bucket and endpoint outputs, so nothing that writes backups is created before its bucket.
 */
function backupStore(config: SocleConfig, cluster: ClusterContract | undefined): Omit<SuiteContext["backup"], "retentionDays"> {
  const bucket = bucketNames(config.organization.id).backups;
  const store = cluster?.objectStorage;
  const after = (value: pulumi.Output<string>): pulumi.Output<string> =>
    store ? pulumi.all([store.buckets.backups, store.endpoint, value]).apply(([, , v]) => v) : value;
  if (config.cloud.target !== "existing" && store?.managed && store.credentials) {
    const endpoint = config.cloud.settings.objectStorageEndpoint;
    const credentials = { accessKeyId: after(store.credentials.accessKeyId), secretAccessKey: after(store.credentials.secretAccessKey) };
    return { bucket, endpointURL: endpoint, credentials, peer: { cidr: "0.0.0.0/0" }, port: 443 };
  }
  const backupKey = new random.RandomBytes("backup-access-key", { length: 12 });
  const backupSecret = new random.RandomBytes("backup-secret-key", { length: 32 });
  return {
    bucket,
    endpointURL: `http://garage.${IN_CLUSTER_S3.namespace}.svc:${IN_CLUSTER_S3.port}`,
    credentials: { accessKeyId: after(pulumi.interpolate`GK${backupKey.hex}`), secretAccessKey: after(backupSecret.hex) },
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

/**
 * A tenant's object store: its own backup bucket (`<org>-backups`, from the same planning function as every
 * stack's) and its own generated key, on the platform's in-cluster Garage whose address the platform's
 * `tenancy` output gives. The platform creates the bucket and imports the key (docs/components/platform.md,
 * "Tenants' buckets"): the key is exported, secret, as the tenant's `objectStorage` output for it.
 */
function tenantObjectStore(config: SocleConfig, platform: PlatformContract): Omit<SuiteContext["backup"], "retentionDays"> {
  const key = new random.RandomBytes("backup-access-key", { length: 12 });
  const secret = new random.RandomBytes("backup-secret-key", { length: 32 });
  const store = platform.objectStorage;
  return {
    bucket: bucketNames(config.organization.id).backups,
    endpointURL: store.endpointURL,
    credentials: { accessKeyId: pulumi.interpolate`GK${key.hex}`, secretAccessKey: secret.hex },
    peer: { namespace: store.namespace, pods: store.pods },
    port: store.port,
  };
}

/** What the platform needs to create a tenant's buckets and import its key into Garage: the `objectStorage` output, secret. */
function tenantObjectStorageOutput(config: SocleConfig, backup: SuiteContext["backup"]) {
  return pulumi.secret({
    buckets: [...new Set([backup.bucket, ...appBuckets(config)])],
    accessKeyId: backup.credentials.accessKeyId,
    secretAccessKey: backup.credentials.secretAccessKey,
  });
}
