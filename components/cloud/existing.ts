import * as pulumi from "@pulumi/pulumi";
import type { ExistingSettings } from "../../src/model/cloud";
import type { ClusterContract } from "./contract";
import { bucketNames } from "./plan/buckets";
import { serverOf } from "./plan/kubeconfig";

/** The in-cluster S3 store (Garage) that stands for object storage on a cluster the operator brings; the platform deploys it. */
export const IN_CLUSTER_S3 = { namespace: "socle-storage", service: "garage", port: 3900 } as const;
/** What cannot be known about a cluster socle did not create. */
export const NOT_KNOWN = "[unknown: the operator's cluster]";

export interface ExistingClusterArgs {
  readonly organization: string;
  readonly region: string;
  readonly settings: ExistingSettings;
  /** The kubeconfig the caller read (from `settings.kubeconfigPath`); absent: the ambient kubeconfig of `pulumi up`. */
  readonly kubeconfig?: pulumi.Input<string>;
  readonly appBuckets: readonly string[];
}

/**
 * A cluster the operator brings (target `existing`): no cloud resource. Its API endpoint is read from the
 * kubeconfig when one is given; its gateway address is the operator's; object storage is the in-cluster Garage.
 */
export class ExistingCluster extends pulumi.ComponentResource {
  readonly contract: ClusterContract;

  constructor(name: string, args: ExistingClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:cloud:ExistingCluster", name, {}, opts);
    const kubeconfig = args.kubeconfig === undefined ? undefined : pulumi.secret(pulumi.output(args.kubeconfig));
    const names = bucketNames(args.organization, args.appBuckets);
    // The server URL is not secret, but it comes out of a secret: unwrap it explicitly.
    const apiEndpoint = kubeconfig ? pulumi.unsecret(kubeconfig.apply((k) => serverOf(k) || NOT_KNOWN)) : pulumi.output(NOT_KNOWN);
    this.contract = {
      ...(kubeconfig ? { kubeconfig } : {}),
      apiEndpoint,
      nodePools: [],
      storageClasses: { default: args.settings.storageClass },
      gatewayAddress: pulumi.output(NOT_KNOWN),
      objectStorage: {
        endpoint: pulumi.output(`http://${IN_CLUSTER_S3.service}.${IN_CLUSTER_S3.namespace}.svc:${IN_CLUSTER_S3.port}`),
        region: args.region,
        buckets: { backups: pulumi.output(names.backups), ...(names.apps[0] ? { app: pulumi.output(names.apps[0]) } : {}) },
        managed: false,
      },
      region: args.region,
    };
    this.registerOutputs({ apiEndpoint });
  }
}
