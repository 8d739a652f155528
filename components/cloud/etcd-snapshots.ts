import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ClusterContract } from "./contract";
import { KeyedSecret } from "../lib/secret";

/** The kube-system Secret RKE2 reads its etcd snapshot S3 settings from (`etcd-s3-config-secret`). */
export const ETCD_S3_SECRET = "etcd-s3-config";
/** Folder of the backups bucket the snapshots go to. */
export const ETCD_S3_FOLDER = "etcd-snapshots";

/**
 * The S3 settings of the servers' etcd snapshots, as a Secret RKE2 reads at snapshot time: keys
 * `etcd-s3-endpoint` (host, no scheme), `etcd-s3-bucket`, `etcd-s3-folder`, `etcd-s3-region`,
 * `etcd-s3-access-key`, `etcd-s3-secret-key` (k3s-io/k3s pkg/etcd/s3/config_secret.go `getConfigFromSecret`,
 * embedded in RKE2; the server flag `etcd-s3-config-secret`, rancher/rke2 pkg/cli/cmds/server.go). The
 * credentials so stay out of the nodes' user data. Snapshots land in the backups bucket, off the
 * control-plane disks; the Secrets inside them are encrypted by RKE2's `secrets-encryption`, and the bucket
 * is encrypted at rest only as far as the provider declares (`socle:provider.encryptionAtRest.objectStorage`).
 */
export function etcdSnapshotStore(name: string, storage: ClusterContract["objectStorage"], provider: k8s.Provider, parent: pulumi.Resource): KeyedSecret {
  if (!storage.credentials) throw new Error("etcdSnapshotStore: the cloud's object storage has no credentials");
  const host = storage.endpoint.apply((e) => new URL(e).host);
  return new KeyedSecret(
    `${name}-etcd-s3`,
    {
      metadata: { name: ETCD_S3_SECRET, namespace: "kube-system" },
      type: "Opaque",
      stringData: {
        "etcd-s3-endpoint": host,
        "etcd-s3-bucket": storage.buckets.backups,
        "etcd-s3-folder": ETCD_S3_FOLDER,
        "etcd-s3-region": storage.region,
        "etcd-s3-access-key": pulumi.secret(storage.credentials.accessKeyId),
        "etcd-s3-secret-key": pulumi.secret(storage.credentials.secretAccessKey),
      },
    },
    { parent, provider },
  );
}
