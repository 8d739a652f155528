import type { GatewaySite } from "../../charts/gateway";
import { resolvePlatformImages } from "../../charts/platform/images";
import { platformScrapeTargets } from "../../charts/platform/monitors";
import { LOG_STORE_NAMESPACE } from "../../charts/platform/log-store";
import { VELERO_NAMESPACE } from "../../charts/platform/velero";
import { Backups } from "../../components/platform/backups";
import { Capsule } from "../../components/platform/capsule";
import { DatabaseOperator } from "../../components/platform/databases";
import { Edge } from "../../components/platform/edge";
import { PlatformNamespaces } from "../../components/platform/namespaces";
import { ObjectStorage } from "../../components/platform/object-storage";
import { Observability } from "../../components/platform/observability";
import { OpenCost } from "../../components/platform/opencost";
import { OPENCOST_SCRAPE_TARGET } from "../../charts/platform/opencost";
import { APPS } from "./apps";
import type { SuiteContext } from "./context";

/**
 * Platform services of `dedicated` and `platform` stacks: what every app relies on. `appBuckets` are
 * object-store buckets apps need besides the backup bucket (created in Garage on `existing` targets).
 */
/** The platform components a platform's tenant bindings are created after (src/program/tenants-binding.ts). */
export interface PlatformServices {
  readonly objectStorage?: ObjectStorage;
  readonly backups: Backups;
}

export function deployPlatform(ctx: SuiteContext, sites: readonly GatewaySite[], appBuckets: readonly string[] = []): PlatformServices {
  const { config } = ctx;
  const images = resolvePlatformImages(ctx.image, config.registryMirror);
  const appNamespaces = config.apps.map((app) => ctx.namespace(app));
  const inCluster = config.cloud.target === "existing";
  // With socle:opencost, Prometheus scrapes OpenCost too (charts/platform/opencost.ts).
  const scrapeTargets = [...platformScrapeTargets({ garage: inCluster }), ...(config.opencost ? [OPENCOST_SCRAPE_TARGET] : [])];

  const namespaces = new PlatformNamespaces("platform-namespaces", {
    routeNamespaces: [...new Set(sites.map((s) => s.routeNamespace))].sort(),
    apiServer: ctx.apiServer,
    backupStore: { peer: ctx.backup.peer, port: ctx.backup.port },
    acme: config.tls.issuer === "acme",
    scrapePorts: scrapeTargets.map((t) => t.port),
    nodeCidrs: config.monitoring.nodeCidrs,
    ...(config.kind === "platform" ? { tenants: true } : {}),
  });
  const after = { dependsOn: [namespaces] };

  const edge = new Edge(
    "edge",
    {
      gateway: {
        gatewayClass: config.gatewayClass,
        sites,
        ...(ctx.gateway.service ? { service: ctx.gateway.service } : {}),
        // A platform's Gateway serves its tenants' hostnames, through their ListenerSets.
        ...(config.kind === "platform" ? { admitTenantListeners: true } : {}),
      },
      issuer: { kind: config.tls.issuer, organization: config.organization.name, acmeServer: config.tls.acmeServer, acmeEmail: config.tls.acmeEmail },
      images,
      sizing: config.sizing,
    },
    after,
  );
  // The Barman Cloud plugin's chart issues its certificates through cert-manager (installed by the edge).
  new DatabaseOperator("databases", { images, sizing: config.sizing, certManager: edge }, after);
  // A hoster's platform: Capsule admits and confines its tenants' namespaces (charts/platform/capsule.ts).
  if (config.kind === "platform") new Capsule("capsule", { images, sizing: config.sizing, apiServer: ctx.apiServer, certManager: edge }, after);

  let objectStorage: ObjectStorage | undefined;
  if (inCluster) {
    objectStorage = new ObjectStorage("object-storage", {
      sizing: config.sizing,
      storageClass: ctx.storageClass,
      images: { garage: images.garage, curl: images.curl },
      region: config.cloud.region,
      buckets: [...new Set([ctx.backup.bucket, ...appBuckets])],
      // Velero, and every app whose module calls the object store (its databases' backups, its files).
      s3Clients: [{ namespace: VELERO_NAMESPACE }, ...config.apps.filter((app) => APPS[app].flows.objectStorage).map((app) => ({ namespace: ctx.namespace(app) }))],
      backupKey: ctx.backup.credentials,
      ...(config.kind === "platform" ? { tenants: true } : {}),
    });
  }

  const backups = new Backups(
    "backups",
    {
      images,
      sizing: config.sizing,
      credentials: ctx.backup.credentials,
      bucket: ctx.backup.bucket,
      prefix: "velero",
      region: config.cloud.region,
      s3Url: ctx.backup.endpointURL,
      // Apps' volumes, and the log store's: logs are evidence and must outlive a lost volume.
      // Garage (socle-storage) is the backup target itself; its copy leaves the cluster by bucket replication.
      namespaces: [...appNamespaces, LOG_STORE_NAMESPACE],
      retentionDays: ctx.backup.retentionDays,
    },
    after,
  );

  if (config.opencost) new OpenCost("opencost", { images, sizing: config.sizing, priceSheet: config.opencost.priceSheet, apiServer: ctx.apiServer }, after);

  new Observability(
    "observability",
    {
      images,
      sizing: config.sizing,
      storageClass: ctx.storageClass,
      logRetentionDays: config.logs.retentionDays,
      apiServer: ctx.apiServer,
      scrapeTargets,
      nodeCidrs: config.monitoring.nodeCidrs,
    },
    after,
  );
  return { ...(objectStorage ? { objectStorage } : {}), backups };
}
