import * as pulumi from "@pulumi/pulumi";
import type { GatewayService } from "../../charts/gateway";

/**
 * What every cloud target (`openstack`, `outscale`, `existing`) hands to the rest of the program.
 * Platform services and apps consume only this contract and a Kubernetes provider built from its kubeconfig.
 */
export interface ClusterContract {
  /** Kubeconfig of the cluster: always a Pulumi secret. Undefined for `existing` with the ambient kubeconfig. */
  readonly kubeconfig?: pulumi.Output<string>;
  /** Kubernetes API endpoint, e.g. https://10.20.0.10:6443 (unknown until deployed). */
  readonly apiEndpoint: pulumi.Output<string>;
  readonly nodePools: readonly { readonly name: string; readonly flavor: string; readonly count: number }[];
  /** Storage classes: `default` for app volumes, `encrypted` when the cloud offers encrypted volumes. */
  readonly storageClasses: { readonly default: string; readonly encrypted?: string };
  /** Public address of the gateway load balancer (unknown until deployed; a sentence saying where to read it when socle does not make it). */
  readonly gatewayAddress: pulumi.Output<string>;
  /**
   * How the gateway's Envoy Service must be exposed for the load balancers of this target: fixed NodePorts
   * when socle created a load balancer that forwards to them (VM modes). Absent: Envoy Gateway's default.
   */
  readonly gatewayService?: GatewayService;
  /** S3-compatible object storage for backups, in the same region. */
  readonly objectStorage: {
    readonly endpoint: pulumi.Output<string>;
    readonly region: string;
    /** Bucket names by purpose: `backups` (CloudNativePG WAL and base backups, Velero), `app` (apps' files). */
    readonly buckets: { readonly backups: pulumi.Output<string>; readonly app?: pulumi.Output<string> };
    /** True when the bucket lives in the cloud's service; false for an in-cluster store (Garage) on `existing`. */
    readonly managed: boolean;
    /** S3 credentials the cloud issued for the buckets (secret); absent when the program generates them (Garage). */
    readonly credentials?: { readonly accessKeyId: pulumi.Output<string>; readonly secretAccessKey: pulumi.Output<string> };
  };
  readonly region: string;
}
