import { createHash } from "node:crypto";
import { ApiObject, App, Chart } from "cdk8s";
import { tenantsFlowPolicy } from "./capsule";
import { k8s } from "../lib/k8s";
import type { SizingProfile } from "../../src/model/names";
import { defineSecret } from "../../src/model/secrets";
import type { Peer } from "../lib/network";
import { exceptionsAnnotation, restrictedContainerSecurityContext, restrictedPodSecurityContext, type SecurityException } from "../lib/security";
import { toK8sResources } from "../lib/sizing";
import { namespacePolicies, namespaceSecurityLabels, scrapeFlow } from "./flows";
import { garageSize } from "./sizing";

export const GARAGE_NAMESPACE = "socle-storage";
export const GARAGE_LABELS = { "app.kubernetes.io/name": "garage", "app.kubernetes.io/part-of": "socle-storage" } as const;
export const GARAGE_BOOTSTRAP_LABELS = { "app.kubernetes.io/name": "garage-bootstrap", "app.kubernetes.io/part-of": "socle-storage" } as const;
/** Ports from Garage's configuration reference (https://garagehq.deuxfleurs.fr/documentation/reference-manual/configuration/). */
export const GARAGE_PORTS = { s3: 3900, rpc: 3901, admin: 3903 } as const;
export const GARAGE_UID = 10001;
/** Secret (made by the component) with `rpc-secret` (32 bytes hex) and `admin-token`. */
export const GARAGE_SECRET = defineSecret("garage-secrets", ["rpc-secret", "admin-token"]);
/** Secret (made by the component) with the backup access key to import into Garage. */
export const GARAGE_KEY_SECRET = defineSecret("garage-backup-key", ["access-key-id", "secret-access-key"]);
export const GARAGE_KEY_NAME = "socle-backups";
/**
 * Headless Service the bootstrap Job reaches the admin API through. Garage's `/health` answers 503 while
 * no partition has quorum, which is the case until a cluster layout is applied
 * (deuxfleurs-org/garage v2.0.0, src/api/admin/special.rs `impl RequestHandler for HealthRequest`:
 * `ClusterHealthStatus::Unavailable => StatusCode::SERVICE_UNAVAILABLE`), so the pod stays unready until
 * the Job has run; a plain ClusterIP Service has no endpoint for an unready pod and the Job would wait
 * forever. This Service publishes not-ready addresses (`publishNotReadyAddresses: true`, `clusterIP: None`),
 * while S3 clients keep the `garage` Service, which only sends them to a ready, laid-out node.
 */
export const GARAGE_ADMIN_SERVICE = "garage-admin";

export interface GarageChartProps {
  readonly sizing: SizingProfile;
  readonly storageClass: string;
  readonly images: { readonly garage: string; readonly curl: string };
  /** S3 region name clients sign requests for. */
  readonly region: string;
  /** Buckets to create; the imported key may read, write and own each. */
  readonly buckets: readonly string[];
  /** Pods allowed to use the S3 API (Velero, database clusters). */
  readonly s3Clients: readonly Peer[];
  /** A platform: its tenants' namespaces (Capsule-labelled) use the S3 API too, with their own keys. */
  readonly tenants?: boolean;
}

export const GARAGE_SECURITY_EXCEPTIONS: readonly SecurityException[] = [];

const BYTES: Record<string, number> = { Gi: 2 ** 30, Ti: 2 ** 40 };

/** Capacity Garage's layout gives the node: the volume's size in bytes. */
export function capacityBytes(quantity: string): number {
  const m = /^(\d+)(Gi|Ti)$/.exec(quantity);
  if (!m) throw new Error(`capacityBytes: ${quantity} is not a quantity in Gi or Ti`);
  return Number(m[1]) * BYTES[m[2]];
}

/**
 * Garage's configuration. Secrets are not in it: Garage reads `GARAGE_RPC_SECRET` and `GARAGE_ADMIN_TOKEN`
 * from the environment (configuration reference, `rpc_secret` / `admin_token`). One node, replication
 * factor 1: durability is the volume's (see docs/components/garage.md).
 */
export function garageConfig(region: string): string {
  return [
    'metadata_dir = "/var/lib/garage/meta"',
    'data_dir = "/var/lib/garage/data"',
    'db_engine = "lmdb"',
    "replication_factor = 1",
    `rpc_bind_addr = "[::]:${GARAGE_PORTS.rpc}"`,
    `rpc_public_addr = "127.0.0.1:${GARAGE_PORTS.rpc}"`,
    "",
    "[s3_api]",
    `s3_region = "${region}"`,
    `api_bind_addr = "[::]:${GARAGE_PORTS.s3}"`,
    "",
    "[admin]",
    `api_bind_addr = "[::]:${GARAGE_PORTS.admin}"`,
    "",
  ].join("\n");
}

/**
 * Lays out the one-node cluster, imports the backup key and creates the buckets through the admin API v2
 * (operations GetClusterStatus, UpdateClusterLayout, ApplyClusterLayout, ImportKey, CreateBucket,
 * GetBucketInfo, AllowBucketKey: deuxfleurs-org/garage doc/api/garage-admin-v2.json). Every step is
 * idempotent, so the Job can run again after a restore or a bucket added to the list.
 */
export function bootstrapScript(capacity: number): string {
  return `set -eu
api="http://${GARAGE_ADMIN_SERVICE}.${GARAGE_NAMESPACE}.svc:${GARAGE_PORTS.admin}/v2"
first_id() { grep -o '"id": *"[0-9a-f]\\{64\\}"' | head -n 1 | sed 's/.*"\\([0-9a-f]*\\)"$/\\1/'; }
call() { curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" "$@"; }
for i in $(seq 1 60); do status=$(call "$api/GetClusterStatus") && break; sleep 5; done
node=$(printf '%s' "$status" | first_id)
[ -n "$node" ] || { echo "garage-bootstrap: no node id in GetClusterStatus" >&2; exit 1; }
if printf '%s' "$status" | grep -Eq '"layoutVersion": *0([^0-9]|$)'; then
  call -X POST "$api/UpdateClusterLayout" -d "{\\"roles\\":[{\\"id\\":\\"$node\\",\\"zone\\":\\"dc1\\",\\"capacity\\":${capacity},\\"tags\\":[]}]}"
  call -X POST "$api/ApplyClusterLayout" -d '{"version":1}'
fi
call -X POST "$api/ImportKey" -d "{\\"accessKeyId\\":\\"$KEY_ID\\",\\"secretAccessKey\\":\\"$KEY_SECRET\\",\\"name\\":\\"${GARAGE_KEY_NAME}\\"}" >/dev/null || echo "key already imported"
for bucket in $BUCKETS; do
  call -X POST "$api/CreateBucket" -d "{\\"globalAlias\\":\\"$bucket\\"}" || echo "bucket $bucket already exists"
  id=$(call "$api/GetBucketInfo?globalAlias=$bucket" | first_id)
  [ -n "$id" ] || { echo "garage-bootstrap: bucket $bucket not found" >&2; exit 1; }
  call -X POST "$api/AllowBucketKey" -d "{\\"bucketId\\":\\"$id\\",\\"accessKeyId\\":\\"$KEY_ID\\",\\"permissions\\":{\\"read\\":true,\\"write\\":true,\\"owner\\":true}}"
done
`;
}

/** Garage, the in-cluster S3 store of `existing` targets: one StatefulSet, its config, and the bootstrap Job. */
export class GarageChart extends Chart {
  constructor(scope: App, id: string, props: GarageChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const ns = GARAGE_NAMESPACE;
    const size = garageSize(props.sizing);
    const storage = size.storage!;
    const { labels } = namespaceSecurityLabels("restricted");
    new k8s.KubeNamespace(this, "namespace", { metadata: { name: ns, labels: { ...labels, "socle.io/platform": "true" } } });
    new k8s.KubeServiceAccount(this, "service-account", { metadata: { name: "garage", namespace: ns }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, "config", {
      metadata: { name: "garage-config", namespace: ns, labels: { ...GARAGE_LABELS } },
      data: { "garage.toml": garageConfig(props.region) },
    });

    const port = (n: number) => k8s.IntOrString.fromNumber(n);
    const secretEnv = (name: string, key: (typeof GARAGE_SECRET.keys)[number]) => GARAGE_SECRET.env(name, key);
    new k8s.KubeStatefulSet(this, "statefulset", {
      metadata: { name: "garage", namespace: ns, labels: { ...GARAGE_LABELS, "socle.io/stateful": "true" }, annotations: exceptionsAnnotation(GARAGE_SECURITY_EXCEPTIONS) },
      spec: {
        serviceName: "garage",
        replicas: 1,
        selector: { matchLabels: { ...GARAGE_LABELS } },
        template: {
          metadata: { labels: { ...GARAGE_LABELS } },
          spec: {
            serviceAccountName: "garage",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(GARAGE_UID),
            containers: [
              {
                name: "garage",
                image: props.images.garage,
                command: ["/garage", "-c", "/etc/garage/garage.toml", "server"],
                env: [secretEnv("GARAGE_RPC_SECRET", "rpc-secret"), secretEnv("GARAGE_ADMIN_TOKEN", "admin-token")],
                ports: [
                  { name: "s3", containerPort: GARAGE_PORTS.s3 },
                  { name: "rpc", containerPort: GARAGE_PORTS.rpc },
                  { name: "admin", containerPort: GARAGE_PORTS.admin },
                ],
                securityContext: restrictedContainerSecurityContext(),
                resources: toK8sResources(size.resources),
                // `/health` on the admin API answers without a token (admin API v2: Special endpoints).
                readinessProbe: { httpGet: { path: "/health", port: port(GARAGE_PORTS.admin) }, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: port(GARAGE_PORTS.s3) }, periodSeconds: 20, failureThreshold: 6 },
                volumeMounts: [
                  { name: "config", mountPath: "/etc/garage", readOnly: true },
                  { name: "meta", mountPath: "/var/lib/garage/meta" },
                  { name: "data", mountPath: "/var/lib/garage/data" },
                ],
              },
            ],
            volumes: [{ name: "config", configMap: { name: "garage-config" } }],
          },
        },
        volumeClaimTemplates: [
          { metadata: { name: "meta", labels: { ...GARAGE_LABELS } }, spec: claim(props.storageClass, "10Gi") },
          { metadata: { name: "data", labels: { ...GARAGE_LABELS } }, spec: claim(props.storageClass, storage) },
        ],
      },
    });
    new k8s.KubeService(this, "service", {
      metadata: { name: "garage", namespace: ns, labels: { ...GARAGE_LABELS } },
      spec: {
        type: "ClusterIP",
        selector: { ...GARAGE_LABELS },
        ports: [
          { name: "s3", port: GARAGE_PORTS.s3, targetPort: port(GARAGE_PORTS.s3) },
          { name: "admin", port: GARAGE_PORTS.admin, targetPort: port(GARAGE_PORTS.admin) },
        ],
      },
    });

    new k8s.KubeService(this, "admin-service", {
      metadata: { name: GARAGE_ADMIN_SERVICE, namespace: ns, labels: { ...GARAGE_LABELS } },
      spec: {
        clusterIp: "None",
        publishNotReadyAddresses: true,
        selector: { ...GARAGE_LABELS },
        ports: [{ name: "admin", port: GARAGE_PORTS.admin, targetPort: port(GARAGE_PORTS.admin) }],
      },
    });

    new k8s.KubeJob(this, "bootstrap", {
      metadata: { name: "garage-bootstrap", namespace: ns, labels: { ...GARAGE_BOOTSTRAP_LABELS } },
      spec: adminApiJobSpec({ ...GARAGE_BOOTSTRAP_LABELS }, "bootstrap", props.images.curl, bootstrapScript(capacityBytes(storage)), [
        secretEnv("ADMIN_TOKEN", "admin-token"),
        GARAGE_KEY_SECRET.env("KEY_ID", "access-key-id"),
        GARAGE_KEY_SECRET.env("KEY_SECRET", "secret-access-key"),
        { name: "BUCKETS", value: [...props.buckets].sort().join(" ") },
      ]),
    });

    namespacePolicies(this, ns, [
      { name: "s3-clients", pods: GARAGE_LABELS, ingressFrom: props.s3Clients, ports: [{ port: GARAGE_PORTS.s3 }] },
      { name: "admin-from-bootstrap", pods: GARAGE_LABELS, ingressFrom: [{ pods: GARAGE_BOOTSTRAP_LABELS }], ports: [{ port: GARAGE_PORTS.admin }] },
      { name: "bootstrap-to-admin", pods: GARAGE_BOOTSTRAP_LABELS, egressTo: [{ pods: GARAGE_LABELS }], ports: [{ port: GARAGE_PORTS.admin }] },
      scrapeFlow("scrape", GARAGE_LABELS, GARAGE_PORTS.admin),
    ]);
    if (props.tenants) new ApiObject(this, "s3-from-tenants", tenantsFlowPolicy({ name: "s3-from-tenants", namespace: ns, pods: GARAGE_LABELS, direction: "ingress", port: GARAGE_PORTS.s3 }) as { apiVersion: string; kind: string });
  }
}

/** A bound tenant's key in Garage: its name there, and the Secret (in Garage's namespace) the tenant's Job reads it from. */
export function tenantKeyName(organization: string): string {
  return `tenant-${organization}`;
}
export function tenantKeySecret(organization: string) {
  return defineSecret(`garage-tenant-${organization}-key`, ["access-key-id", "secret-access-key"]);
}

/**
 * What a platform's Job does for one bound tenant, through the admin API v2 at the pinned Garage (operations
 * GetClusterHealth, ImportKey, GetKeyInfo, CreateBucket, GetBucketInfo, AllowBucketKey: deuxfleurs-org/garage
 * doc/api/garage-admin-v2.json, tag v2.0.0; request bodies ImportKeyRequest {accessKeyId, secretAccessKey, name},
 * CreateBucketRequest {globalAlias}, BucketKeyPermChangeRequest {bucketId, accessKeyId, permissions}): waits
 * until the cluster is available (GetClusterHealth `status` healthy or degraded: the platform's bootstrap Job
 * lays the node out), imports the tenant's key, then creates each of the tenant's buckets and allows that key,
 * and only that key, on them. AllowBucketKey only adds permissions (its documented semantic), so the Job never
 * touches another key's rights, and it names no bucket but the tenant's. Every step is idempotent. Nothing it
 * prints holds the secret (responses that could, ImportKey's and GetKeyInfo's, go to /dev/null).
 */
export function tenantBucketsScript(): string {
  return `set -eu
api="http://${GARAGE_ADMIN_SERVICE}.${GARAGE_NAMESPACE}.svc:${GARAGE_PORTS.admin}/v2"
first_id() { grep -o '"id": *"[0-9a-f]\\{64\\}"' | head -n 1 | sed 's/.*"\\([0-9a-f]*\\)"$/\\1/'; }
call() { curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" "$@"; }
available() { call "$api/GetClusterHealth" | grep -Eq '"status": *"(healthy|degraded)"'; }
for i in $(seq 1 60); do available && break; sleep 5; done
available || { echo "garage-tenant: Garage is unavailable (GetClusterHealth)" >&2; exit 1; }
call -X POST "$api/ImportKey" -d "{\\"accessKeyId\\":\\"$KEY_ID\\",\\"secretAccessKey\\":\\"$KEY_SECRET\\",\\"name\\":\\"$KEY_NAME\\"}" >/dev/null || echo "key $KEY_NAME already imported"
call "$api/GetKeyInfo?id=$KEY_ID" >/dev/null || { echo "garage-tenant: key $KEY_NAME is not in Garage after ImportKey" >&2; exit 1; }
for bucket in $BUCKETS; do
  call -X POST "$api/CreateBucket" -d "{\\"globalAlias\\":\\"$bucket\\"}" >/dev/null || echo "bucket $bucket already exists"
  id=$(call "$api/GetBucketInfo?globalAlias=$bucket" | first_id)
  [ -n "$id" ] || { echo "garage-tenant: bucket $bucket not found" >&2; exit 1; }
  call -X POST "$api/AllowBucketKey" -d "{\\"bucketId\\":\\"$id\\",\\"accessKeyId\\":\\"$KEY_ID\\",\\"permissions\\":{\\"read\\":true,\\"write\\":true,\\"owner\\":true}}" >/dev/null
  echo "bucket $bucket: key $KEY_NAME allowed"
done
`;
}

export interface TenantBucketsProps {
  readonly organization: string;
  /** The tenant's buckets, as its stack output says (each `<organization>-…`). */
  readonly buckets: readonly string[];
  /** The curl image (the catalog's, through the mirror). */
  readonly image: string;
}

/**
 * Name of a tenant's bucket Job: it changes with what the Job does (its buckets, key name, script, image), so a
 * change makes Pulumi replace the Job, which runs it again; unchanged inputs keep the finished Job (the same
 * scheme as the realm Job, charts/identity/reconcile.ts). The key's value is not hashed (it is secret): a tenant
 * whose key changes needs its Job run again (docs/components/platform.md).
 */
export function tenantBucketsJobName(props: TenantBucketsProps): string {
  const digest = createHash("sha256")
    .update([props.organization, tenantKeyName(props.organization), [...props.buckets].sort().join(" "), props.image, tenantBucketsScript()].join("\0"))
    .digest("hex");
  return `garage-tenant-${props.organization}-${digest.slice(0, 10)}`;
}

/** The bound tenant's Job, in Garage's namespace: labelled as the bootstrap Job, whose admin-API flows it uses. */
export function renderTenantBucketsJob(props: TenantBucketsProps): Record<string, unknown>[] {
  const key = tenantKeySecret(props.organization);
  const labels = { ...GARAGE_BOOTSTRAP_LABELS, "socle.io/tenant": props.organization };
  const chart = new Chart(new App(), "garage-tenant", { disableResourceNameHashes: true });
  new k8s.KubeJob(chart, "job", {
    metadata: { name: tenantBucketsJobName(props), namespace: GARAGE_NAMESPACE, labels },
    spec: adminApiJobSpec(labels, "tenant-buckets", props.image, tenantBucketsScript(), [
      GARAGE_SECRET.env("ADMIN_TOKEN", "admin-token"),
      key.env("KEY_ID", "access-key-id"),
      key.env("KEY_SECRET", "secret-access-key"),
      { name: "KEY_NAME", value: tenantKeyName(props.organization) },
      { name: "BUCKETS", value: [...props.buckets].sort().join(" ") },
    ]),
  });
  return chart.toJson() as Record<string, unknown>[];
}

/**
 * A Job that calls Garage's admin API with curl (the bootstrap, a bound tenant's buckets): restricted, no
 * service account token, retried on failure, the admin token and key from `env`.
 */
function adminApiJobSpec(labels: Record<string, string>, container: string, image: string, script: string, env: k8s.EnvVar[]): k8s.JobSpec {
  return {
    backoffLimit: 10,
    template: {
      metadata: { labels },
      spec: {
        restartPolicy: "OnFailure",
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPodSecurityContext(GARAGE_UID),
        containers: [
          {
            name: container,
            image,
            command: ["sh", "-c", script],
            env,
            securityContext: restrictedContainerSecurityContext(),
            resources: toK8sResources({ cpuRequest: "10m", memoryRequest: "16Mi", memoryLimit: "64Mi" }),
          },
        ],
      },
    },
  };
}

function claim(storageClass: string, size: string): k8s.PersistentVolumeClaimSpec {
  return { accessModes: ["ReadWriteOnce"], storageClassName: storageClass, resources: { requests: { storage: k8s.Quantity.fromString(size) } } };
}

export function renderGarageChart(props: GarageChartProps): Record<string, unknown>[] {
  const app = new App();
  return new GarageChart(app, "garage", props).toJson() as Record<string, unknown>[];
}
