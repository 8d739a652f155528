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
    new ApiObject(this, "location", storageLocation({ name: BACKUP_LOCATION, namespace: VELERO_NAMESPACE }, props, true, VELERO_CREDENTIALS_SECRET.ref("cloud")));
    const ttl = retentionTtl(props.retentionDays);
    for (const ns of [...props.namespaces].sort()) {
      new ApiObject(this, `schedule-${ns}`, nightlySchedule({ name: `nightly-${ns}`, namespace: VELERO_NAMESPACE, labels: { "socle.io/backup-of": ns } }, [ns], BACKUP_LOCATION, ttl));
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

/** The tenant's backup bucket, prefix and store; exactly its namespaces (its stack output's); its retention. */
export interface TenantBackupProps extends VeleroChartProps {
  readonly organization: string;
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
    storageLocation({ name: location, namespace: VELERO_NAMESPACE, labels }, props, false, tenantCredentialsSecret(props.organization).ref("cloud")),
    nightlySchedule({ name: tenantScheduleName(props.organization), namespace: VELERO_NAMESPACE, labels }, [...props.namespaces].sort(), location, retentionTtl(props.retentionDays)),
  ];
}

type Metadata = { name: string; namespace: string; labels?: Record<string, string> };

/** A BackupStorageLocation on an S3 bucket, path-style (the platform's own, or a bound tenant's). */
function storageLocation(metadata: Metadata, store: Pick<VeleroChartProps, "bucket" | "prefix" | "region" | "s3Url">, isDefault: boolean, credential: unknown) {
  return {
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata,
    spec: {
      provider: "aws",
      default: isDefault,
      accessMode: "ReadWrite",
      objectStorage: { bucket: store.bucket, prefix: store.prefix },
      credential,
      // velero-plugin-for-aws BackupStorageLocation config keys: region, s3Url, s3ForcePathStyle.
      config: { region: store.region, s3Url: store.s3Url, s3ForcePathStyle: "true" },
    },
  };
}

/** A nightly Schedule of `namespaces`, every volume by file-system backup (kopia), kept `ttl`. */
function nightlySchedule(metadata: Metadata, namespaces: string[], location: string, ttl: string) {
  return {
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata,
    spec: {
      schedule: "30 1 * * *",
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: namespaces,
        storageLocation: location,
        ttl,
        snapshotVolumes: false,
        defaultVolumesToFsBackup: true,
      },
    },
  };
}
