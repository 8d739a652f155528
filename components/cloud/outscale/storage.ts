import * as pulumi from "@pulumi/pulumi";
import type { ClusterContract } from "../contract";
import { bucketNames } from "../plan/buckets";
import * as osc from "./provider";

/**
 * OOS buckets the operator creates before `pulumi up` (backups and the apps' files, versioning on), and an
 * access key for their S3 API.
 *
 * No released Outscale provider manages OOS buckets: terraform-provider-outscale v1.8.0 (tag v1.8.0,
 * `docs/resources/`) has no `outscale_oos_bucket` nor `outscale_oos_bucket_versioning`, and its own guide
 * `docs/guides/oos-s3-backend-tfstate.md` says the bucket "must exist" and is created with `octl storage
 * bucket create` or s3cmd. So socle creates no bucket here: it names them (`bucketNames`), and docs/cloud.md
 * gives the commands. The key belongs to the account that runs `pulumi up`: give the stack its own account.
 */
export function outscaleObjectStorage(
  name: string,
  args: { readonly organization: string; readonly region: string; readonly endpoint: string; readonly appBuckets: readonly string[] },
  parent: pulumi.Resource,
): ClusterContract["objectStorage"] {
  const names = bucketNames(args.organization, args.appBuckets);
  const key = new osc.AccessKey(`${name}-s3-credentials`, { state: "ACTIVE" }, { parent, additionalSecretOutputs: ["secretKey"] });
  return {
    endpoint: pulumi.output(args.endpoint),
    region: args.region,
    buckets: { backups: pulumi.output(names.backups), ...(names.apps[0] ? { app: pulumi.output(names.apps[0]) } : {}) },
    managed: true,
    credentials: { accessKeyId: pulumi.secret(key.accessKeyId), secretAccessKey: pulumi.secret(key.secretKey) },
  };
}

/** The buckets the operator must create (versioning enabled) before `pulumi up` on Outscale. Pure. */
export function operatorBuckets(organization: string, appBuckets: readonly string[]): string[] {
  const names = bucketNames(organization, appBuckets);
  return [names.backups, ...names.apps];
}
