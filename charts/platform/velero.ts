import { ApiObject, App, Chart } from "cdk8s";
import { defineSecret } from "../../src/model/secrets";
import { VELERO_CHART } from "./releases";

export const VELERO_NAMESPACE = VELERO_CHART.namespace;
export const BACKUP_LOCATION = "default";
/**
 * Secret (made by the component) holding the AWS-style `cloud` credentials file the S3 plugin reads: named
 * by the BackupStorageLocation's `credential` and by the release's `credentials.existingSecret` (the Velero
 * chart mounts that Secret and reads its `cloud` key).
 */
export const VELERO_CREDENTIALS_SECRET = defineSecret("velero-s3-credentials", ["cloud"]);

export interface VeleroChartProps {
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  /** S3 endpoint; path-style addressing is used, which in-cluster stores (Garage) need. */
  readonly s3Url: string;
  /** Namespaces each backed up by its own nightly Schedule. */
  readonly namespaces: readonly string[];
  readonly retentionDays: number;
}

/** Velero's `ttl` as a Go duration, which is what the Schedule's template takes. */
export function retentionTtl(days: number): string {
  if (!Number.isInteger(days) || days < 1) throw new Error(`retentionTtl: ${days} is not a whole number of days >= 1`);
  return `${days * 24}h0m0s`;
}

/**
 * Where Velero writes (one BackupStorageLocation on the backup bucket) and what it backs up: one Schedule
 * per app namespace, every PersistentVolumeClaim included by file-system backup (kopia), since volume
 * snapshots need a CSI driver with snapshot support that the cluster may not have.
 */
export class VeleroChart extends Chart {
  constructor(scope: App, id: string, props: VeleroChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new ApiObject(this, "location", {
      apiVersion: "velero.io/v1",
      kind: "BackupStorageLocation",
      metadata: { name: BACKUP_LOCATION, namespace: VELERO_NAMESPACE },
      spec: {
        provider: "aws",
        default: true,
        accessMode: "ReadWrite",
        objectStorage: { bucket: props.bucket, prefix: props.prefix },
        credential: VELERO_CREDENTIALS_SECRET.ref("cloud"),
        // velero-plugin-for-aws BackupStorageLocation config keys: region, s3Url, s3ForcePathStyle.
        config: { region: props.region, s3Url: props.s3Url, s3ForcePathStyle: "true" },
      },
    });
    const ttl = retentionTtl(props.retentionDays);
    for (const ns of [...props.namespaces].sort()) {
      new ApiObject(this, `schedule-${ns}`, {
        apiVersion: "velero.io/v1",
        kind: "Schedule",
        metadata: { name: `nightly-${ns}`, namespace: VELERO_NAMESPACE, labels: { "socle.io/backup-of": ns } },
        spec: {
          schedule: "30 1 * * *",
          useOwnerReferencesInBackup: false,
          template: {
            includedNamespaces: [ns],
            storageLocation: BACKUP_LOCATION,
            ttl,
            snapshotVolumes: false,
            defaultVolumesToFsBackup: true,
          },
        },
      });
    }
  }
}

export function renderVeleroChart(props: VeleroChartProps): Record<string, unknown>[] {
  const app = new App();
  return new VeleroChart(app, "velero", props).toJson() as Record<string, unknown>[];
}

/** A bound tenant's storage location (its own bucket, its own key) and its Secret in Velero's namespace. */
export function tenantBackupLocation(organization: string): string {
  return `tenant-${organization}`;
}
export function tenantCredentialsSecret(organization: string) {
  return defineSecret(`velero-tenant-${organization}-credentials`, ["cloud"]);
}
export function tenantScheduleName(organization: string): string {
  return `tenant-${organization}-nightly`;
}

export interface TenantBackupProps {
  readonly organization: string;
  /** The tenant's backup bucket and the prefix Velero writes under. */
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  readonly s3Url: string;
  /** Exactly the tenant's namespaces, as its stack output says. */
  readonly namespaces: readonly string[];
  /** The tenant's retention (its socle:backupRetentionDays). */
  readonly retentionDays: number;
}

/**
 * A bound tenant's backups on the platform's Velero: a BackupStorageLocation on the tenant's bucket whose
 * `credential` (a SecretKeySelector, read from Velero's own namespace: vmware-tanzu/velero v1.18.1
 * pkg/apis/velero/v1/backupstoragelocation_types.go `Credential`, internal/credentials/file_store.go
 * `namespacedFileStore.Path`) is the tenant's key, and one nightly Schedule including exactly the tenant's
 * namespaces, stored there (`spec.template.storageLocation`), kept the tenant's retention. Not the default
 * location: a platform's own backups never land in a tenant's bucket.
 */
export function renderTenantBackup(props: TenantBackupProps): Record<string, unknown>[] {
  const location = tenantBackupLocation(props.organization);
  const labels = { "socle.io/tenant": props.organization };
  return [
    {
      apiVersion: "velero.io/v1",
      kind: "BackupStorageLocation",
      metadata: { name: location, namespace: VELERO_NAMESPACE, labels },
      spec: {
        provider: "aws",
        default: false,
        accessMode: "ReadWrite",
        objectStorage: { bucket: props.bucket, prefix: props.prefix },
        credential: tenantCredentialsSecret(props.organization).ref("cloud"),
        config: { region: props.region, s3Url: props.s3Url, s3ForcePathStyle: "true" },
      },
    },
    {
      apiVersion: "velero.io/v1",
      kind: "Schedule",
      metadata: { name: tenantScheduleName(props.organization), namespace: VELERO_NAMESPACE, labels },
      spec: {
        schedule: "30 1 * * *",
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [...props.namespaces].sort(),
          storageLocation: location,
          ttl: retentionTtl(props.retentionDays),
          snapshotVolumes: false,
          defaultVolumesToFsBackup: true,
        },
      },
    },
  ];
}
