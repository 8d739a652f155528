import * as pulumi from "@pulumi/pulumi";
import * as openstack from "@pulumi/openstack";
import type { ClusterContract } from "../contract";
import { bucketNames } from "../plan/buckets";

/**
 * Versioned Swift containers (backups, and the apps' files) in the cluster's region, protected from
 * deletion, and EC2-style credentials for their S3 API. Containers keep their data if the stack is destroyed.
 */
export function openstackObjectStorage(
  name: string,
  args: { readonly organization: string; readonly region: string; readonly endpoint: string; readonly appBuckets: readonly string[] },
  parent: pulumi.Resource,
): ClusterContract["objectStorage"] {
  const buckets = bucketNames(args.organization, args.appBuckets);
  const container = (id: string, bucket: string) =>
    new openstack.objectstorage.Container(`${name}-bucket-${id}`, { name: bucket, region: args.region, versioning: true }, { parent, protect: true, retainOnDelete: true });
  const backups = container("backups", buckets.backups);
  const apps = buckets.apps.map((b, i) => container(`app-${i}`, b));
  const s3 = new openstack.identity.Ec2CredentialV3(`${name}-s3-credentials`, { region: args.region }, { parent, additionalSecretOutputs: ["secret"] });
  return {
    endpoint: pulumi.output(args.endpoint),
    region: args.region,
    buckets: { backups: backups.name, ...(apps[0] ? { app: apps[0].name } : {}) },
    managed: true,
    credentials: { accessKeyId: pulumi.secret(s3.access), secretAccessKey: pulumi.secret(s3.secret) },
  };
}
