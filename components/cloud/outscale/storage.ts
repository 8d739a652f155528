import * as pulumi from "@pulumi/pulumi";
import type { ClusterContract } from "../contract";
import { bucketNames } from "../plan/buckets";
import * as osc from "./provider";

/**
 * Versioned OOS buckets (backups and the apps' files), protected and kept if the stack is destroyed, and an
 * access key for their S3 API. The key belongs to the account that runs `pulumi up`: give the stack its own
 * Outscale account so that this key reaches nothing else (docs/cloud.md).
 */
export function outscaleObjectStorage(
  name: string,
  args: { readonly organization: string; readonly region: string; readonly endpoint: string; readonly appBuckets: readonly string[] },
  parent: pulumi.Resource,
): ClusterContract["objectStorage"] {
  const names = bucketNames(args.organization, args.appBuckets);
  const bucket = (id: string, bucketName: string) => {
    const b = new osc.OosBucket(`${name}-bucket-${id}`, { name: bucketName }, { parent, protect: true, retainOnDelete: true });
    new osc.OosBucketVersioning(`${name}-bucket-${id}-versioning`, { bucket: bucketName, status: "Enabled" }, { parent, dependsOn: [b] });
    return pulumi.output(b.id).apply(() => bucketName);
  };
  const backups = bucket("backups", names.backups);
  const apps = names.apps.map((b, i) => bucket(`app-${i}`, b));
  const key = new osc.AccessKey(`${name}-s3-credentials`, { state: "ACTIVE" }, { parent, additionalSecretOutputs: ["secretKey"] });
  return {
    endpoint: pulumi.output(args.endpoint),
    region: args.region,
    buckets: { backups, ...(apps[0] ? { app: apps[0] } : {}) },
    managed: true,
    credentials: { accessKeyId: pulumi.secret(key.accessKeyId), secretAccessKey: pulumi.secret(key.secretKey) },
  };
}
