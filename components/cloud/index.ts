import * as pulumi from "@pulumi/pulumi";
import type { CloudConfig } from "../../src/model/cloud";
import type { SizingProfile } from "../../src/model/names";
import type { ClusterContract } from "./contract";
import { ExistingCluster } from "./existing";
import { OpenStackCluster } from "./openstack/cluster";
import { OutscaleCluster } from "./outscale/cluster";

export type { ClusterContract } from "./contract";
export { IN_CLUSTER_S3 } from "./existing";
export { GATEWAY_NODE_PORTS } from "./plan/flows";
export { validateCloud } from "./validate";

export interface CloudArgs {
  readonly cloud: CloudConfig;
  readonly organization: { readonly id: string; readonly name: string };
  readonly adminCidrs: readonly string[];
  readonly sizing: SizingProfile;
  readonly domain: string;
  /** App buckets to create besides the backups one (e.g. the docs media bucket). */
  readonly buckets?: readonly string[];
  /** Registry RKE2 pulls its system images from (`socle:registryMirror`). */
  readonly registryMirror?: string;
  /** `existing` only: the kubeconfig the caller read from `socle:existing.kubeconfigPath` (components read no files). */
  readonly kubeconfig?: pulumi.Input<string>;
}

/**
 * Provisions the cluster for the stack's target and returns the one contract the rest of the program uses.
 * `existing` provisions nothing: the operator's cluster, and an in-cluster object store the platform deploys.
 */
export function provisionCloud(name: string, args: CloudArgs, opts: pulumi.ComponentResourceOptions = {}): ClusterContract {
  const { cloud } = args;
  const common = {
    organization: args.organization.id,
    region: cloud.region,
    adminCidrs: args.adminCidrs,
    sizing: args.sizing,
    domain: args.domain,
    appBuckets: args.buckets ?? [],
    ...(args.registryMirror ? { registryMirror: args.registryMirror } : {}),
  };
  switch (cloud.target) {
    case "openstack":
      return new OpenStackCluster(name, { ...common, settings: cloud.settings }, opts).contract;
    case "outscale":
      return new OutscaleCluster(name, { ...common, settings: cloud.settings }, opts).contract;
    case "existing":
      return new ExistingCluster(name, { organization: common.organization, region: cloud.region, settings: cloud.settings, appBuckets: common.appBuckets, ...(args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig } : {}) }, opts).contract;
  }
}
