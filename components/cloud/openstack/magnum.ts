import * as pulumi from "@pulumi/pulumi";
import * as openstack from "@pulumi/openstack";
import type { OpenStackSettings } from "../../../src/model/cloud";
import { POD_CIDR, SERVICE_CIDR } from "../plan/cidr-split";
import { resourceName } from "../plan/names";
import { CONTROL_PLANE_NODES } from "../plan/sizing";

/**
 * Magnum builds the cluster: a cluster template (or the operator's own, `magnumTemplate`) and a cluster with
 * three masters behind Magnum's API load balancer, reachable from the admin and node networks only
 * (`master_lb_allowed_cidrs`), on the stack's private network. Labels are Magnum's documented labels.
 */
export function magnumCluster(
  name: string,
  args: {
    readonly organization: string;
    readonly region: string;
    readonly settings: OpenStackSettings;
    readonly adminCidrs: readonly string[];
    readonly networkId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly externalNetworkId: pulumi.Input<string>;
  },
  parent: pulumi.Resource,
): { readonly cluster: openstack.containerinfra.Cluster; readonly kubeconfig: pulumi.Output<string> } {
  const { settings, region } = args;
  const child = { parent };
  const labels: Record<string, string> = {
    master_lb_allowed_cidrs: [settings.networkCidr, ...args.adminCidrs].join(","),
    calico_ipv4pool: POD_CIDR,
    service_cluster_ip_range: SERVICE_CIDR,
    ...(settings.encryptedVolumeType ? { boot_volume_type: settings.encryptedVolumeType, etcd_volume_type: settings.encryptedVolumeType } : {}),
  };
  const templateId = settings.magnumTemplate
    ? openstack.containerinfra.getClusterTemplateOutput({ name: settings.magnumTemplate, region }, child).id
    : new openstack.containerinfra.ClusterTemplate(
        `${name}-template`,
        {
          name: resourceName(args.organization, ["k8s-template"]),
          coe: "kubernetes",
          image: settings.image,
          externalNetworkId: args.externalNetworkId,
          fixedNetwork: args.networkId,
          fixedSubnet: args.subnetId,
          masterFlavor: settings.controlPlaneFlavor,
          flavor: settings.workerPools[0]!.flavor,
          networkDriver: "calico",
          volumeDriver: "cinder",
          masterLbEnabled: true,
          floatingIpEnabled: false,
          tlsDisabled: false,
          public: false,
          labels,
          region,
        },
        child,
      ).id;
  const cluster = new openstack.containerinfra.Cluster(
    `${name}-magnum`,
    {
      name: resourceName(args.organization, ["k8s"]),
      clusterTemplateId: templateId,
      masterCount: CONTROL_PLANE_NODES,
      masterFlavor: settings.controlPlaneFlavor,
      flavor: settings.workerPools[0]!.flavor,
      nodeCount: settings.workerPools.reduce((n, p) => n + p.count, 0),
      fixedNetwork: args.networkId,
      fixedSubnet: args.subnetId,
      floatingIpEnabled: false,
      mergeLabels: true,
      labels,
      region,
    },
    { ...child, additionalSecretOutputs: ["kubeconfig"] },
  );
  return { cluster, kubeconfig: pulumi.secret(cluster.kubeconfig.rawConfig) };
}
