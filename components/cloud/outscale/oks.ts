import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { NodePool } from "../../../src/model/cloud";
import { POD_CIDR, SERVICE_CIDR } from "../plan/cidr-split";
import { NAME_LIMITS, resourceName } from "../plan/names";
import * as osc from "./provider";

/** A NodePool of OKS (`oks.dev/v1beta2`, schema: outscale/goutils oks/apis/oks.dev/v1beta2/openapi.json). Pure. */
export function nodePoolSpec(pool: NodePool, subregions: readonly string[]): Record<string, unknown> {
  return {
    nodeType: pool.flavor,
    desiredNodes: pool.count,
    zones: [...subregions],
    autoHealing: true,
    upgradeStrategy: { maxSurge: 1, maxUnavailable: 0 },
  };
}

/**
 * Outscale's managed Kubernetes: a project (its own Net on the stack's range), a cluster whose API admits
 * only the admin networks, control plane spread over the subregions, protected from deletion, and the worker
 * pools as NodePool resources applied to the cluster itself.
 */
export function oksCluster(
  name: string,
  args: { readonly organization: string; readonly region: string; readonly networkCidr: string; readonly kubernetesVersion: string; readonly subregions: readonly string[]; readonly adminCidrs: readonly string[]; readonly pools: readonly NodePool[] },
  parent: pulumi.Resource,
): { readonly cluster: InstanceType<typeof osc.OksCluster>; readonly kubeconfig: pulumi.Output<string>; readonly pools: k8s.apiextensions.CustomResource[] } {
  const org = args.organization;
  const project = new osc.OksProject(
    `${name}-project`,
    { name: resourceName(org, ["oks"], NAME_LIMITS.oks), cidr: args.networkCidr, region: args.region, description: `socle: ${org}`, disableApiTermination: true },
    { parent, protect: true },
  );
  const cluster = new osc.OksCluster(
    `${name}-oks`,
    {
      projectId: project.id,
      name: resourceName(org, ["k8s"], NAME_LIMITS.oks),
      version: args.kubernetesVersion,
      adminWhitelists: [...args.adminCidrs],
      cidrPods: POD_CIDR,
      cidrService: SERVICE_CIDR,
      cpMultiAz: args.subregions.length > 1,
      cpSubregions: [...args.subregions],
      disableApiTermination: true,
    },
    { parent, protect: true, additionalSecretOutputs: ["kubeconfig"] },
  );
  const kubeconfig = pulumi.secret(cluster.kubeconfig);
  const provider = new k8s.Provider(`${name}-oks`, { kubeconfig }, { parent });
  const pools = args.pools.map(
    (p) =>
      new k8s.apiextensions.CustomResource(
        `${name}-pool-${p.name}`,
        { apiVersion: "oks.dev/v1beta2", kind: "NodePool", metadata: { name: resourceName(org, [p.name]) }, spec: nodePoolSpec(p, args.subregions) },
        { parent, provider },
      ),
  );
  return { cluster, kubeconfig, pools };
}
