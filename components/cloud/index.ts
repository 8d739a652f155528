import * as pulumi from "@pulumi/pulumi";
import type { ConfigIssue } from "../../src/config/issues";
import { OUTSCALE_SECNUMCLOUD_REGION, type CloudConfig, type SizingProfile, type SocleConfig } from "../../src/config/schema";
import type { ClusterContract } from "./contract";
import { OpenStackCluster } from "./openstack";
import { OutscaleCluster } from "./outscale";
import { overlaps, POD_CIDR, SERVICE_CIDR, splitCidr } from "./plan/network";

export type { ClusterContract } from "./contract";

export interface CloudArgs {
  readonly cloud: CloudConfig;
  readonly organization: { readonly id: string; readonly name: string };
  readonly adminCidrs: readonly string[];
  readonly sizing: SizingProfile;
  readonly domain: string;
  /** App buckets to create besides the backups one. */
  readonly buckets: readonly string[];
}

/** The in-cluster S3 store (Garage) that stands for object storage on a cluster the operator brings. */
export const IN_CLUSTER_S3 = { namespace: "socle-storage", service: "garage", port: 3900 } as const;

/**
 * Provisions the cluster for the stack's target and returns the one contract the rest of the program uses.
 * `existing` provisions nothing: the operator's cluster, and an in-cluster object store the platform deploys.
 */
export function provisionCloud(name: string, args: CloudArgs, opts: pulumi.ComponentResourceOptions = {}): ClusterContract {
  const { cloud } = args;
  switch (cloud.target) {
    case "openstack":
      return new OpenStackCluster(name, { organization: args.organization.id, region: cloud.region, settings: cloud.settings, adminCidrs: args.adminCidrs, sizing: args.sizing, domain: args.domain, buckets: args.buckets }, opts).contract;
    case "outscale":
      return new OutscaleCluster(name, { organization: args.organization.id, region: cloud.region, settings: cloud.settings, adminCidrs: args.adminCidrs, sizing: args.sizing, domain: args.domain, buckets: args.buckets }, opts).contract;
    case "existing": {
      const unknown = pulumi.output("[unknown: the operator's cluster]");
      return {
        apiEndpoint: unknown,
        nodePools: [],
        storageClasses: { default: cloud.settings.storageClass },
        gatewayAddress: unknown,
        objectStorage: {
          endpoint: pulumi.output(`http://${IN_CLUSTER_S3.service}.${IN_CLUSTER_S3.namespace}.svc:${IN_CLUSTER_S3.port}`),
          region: cloud.region,
          buckets: { backups: pulumi.output(`${args.organization.id}-backups`) },
          managed: false,
        },
        region: cloud.region,
      };
    }
  }
}

/**
 * Cross-field checks of the cloud settings, run with the configuration's validation (pure): region in the
 * qualified list unless explicitly overridden, non-overlapping networks, room for one subnet per zone, a
 * Kubernetes version for OKS.
 */
export function validateCloud(config: SocleConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { cloud } = config;
  if (cloud.target === "existing") return issues;
  const key = `socle:${cloud.target}`;
  if (cloud.target === "openstack" && !cloud.settings.qualifiedRegions.includes(cloud.region) && !cloud.settings.allowUnqualifiedRegion) {
    issues.push({
      path: "socle:region",
      value: cloud.region,
      problem: "is not among the SecNumCloud-qualified regions this stack declares",
      allowed: cloud.settings.qualifiedRegions.join(", "),
      fix: `use one of socle:openstack.qualifiedRegions, or set ${key}.allowUnqualifiedRegion: true (the policy pack will flag it)`,
    });
  }
  if (cloud.target === "outscale" && cloud.region !== OUTSCALE_SECNUMCLOUD_REGION && !cloud.settings.allowNonQualifiedRegion) {
    issues.push({
      path: "socle:region",
      value: cloud.region,
      problem: "is not Outscale's SecNumCloud-qualified region",
      allowed: OUTSCALE_SECNUMCLOUD_REGION,
      fix: `set socle:region to ${OUTSCALE_SECNUMCLOUD_REGION}, or set ${key}.allowNonQualifiedRegion: true (the policy pack will flag it)`,
    });
  }
  const networkCidr = cloud.settings.networkCidr;
  for (const [a, b] of overlaps({ [`${key}.networkCidr`]: networkCidr, "pod network (RKE2 cluster-cidr)": POD_CIDR, "service network (RKE2 service-cidr)": SERVICE_CIDR })) {
    issues.push({ path: a, value: networkCidr, problem: `overlaps the ${b}`, allowed: `a range outside ${POD_CIDR} and ${SERVICE_CIDR}`, fix: `choose another ${key}.networkCidr, e.g. 10.20.0.0/16` });
  }
  const zones = cloud.target === "openstack" ? cloud.settings.availabilityZones : (cloud.settings.subregions ?? [`${cloud.region}a`]);
  try {
    splitCidr(networkCidr, zones.length + 1);
  } catch {
    issues.push({ path: `${key}.networkCidr`, value: networkCidr, problem: `is too small for one subnet per zone (${zones.length})`, fix: "use a larger range, e.g. a /16" });
  }
  if (cloud.target === "outscale" && cloud.settings.mode === "oks" && !cloud.settings.kubernetesVersion) {
    issues.push({ path: `${key}.kubernetesVersion`, value: undefined, problem: "is required in mode oks", fix: "set the Kubernetes minor version OKS offers, e.g. listed by `oks-cli cluster versions`" });
  }
  if (cloud.target === "outscale" && cloud.settings.mode === "vms" && !cloud.settings.imageId) {
    issues.push({ path: `${key}.imageId`, value: undefined, problem: "is required in mode vms", fix: "set the id (ami-…) of the node image carrying RKE2's airgap artifacts" });
  }
  return issues;
}
