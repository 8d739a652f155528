import * as pulumi from "@pulumi/pulumi";
import * as openstack from "@pulumi/openstack";
import type { OpenStackSettings } from "../../../src/model/cloud";
import { resourceName } from "../plan/names";
import { CONTROL_PLANE_NODES } from "../plan/sizing";

/** magnum-capi-helm's storage class name for a Cinder volume type (magnum_capi_helm/driver_utils.py `sanitized_name`). Pure. */
export function magnumStorageClass(volumeType: string): string {
  return volumeType.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * The labels socle sets on a Magnum cluster, as magnum-capi-helm reads them (openstack/magnum-capi-helm,
 * magnum_capi_helm/driver.py at commit a8b82c2, release 1.4.0; the Heat driver, whose labels such as
 * `master_lb_allowed_cidrs` these replace, is removed upstream): `api_master_lb_allowed_cidrs` (comma-separated,
 * `_get_allowed_cidrs` → chart value `apiServer.allowedCidrs`), `boot_volume_type` and `boot_volume_size`
 * (`machineRootVolume` of the control plane and node groups), `etcd_blockdevice_size` and
 * `etcd_blockdevice_volume_type` (`_get_etcd_config`: a separate etcd volume). A volume type without a size
 * is dropped by the driver, so sizes are always set. Pure.
 */
export function magnumLabels(args: { readonly networkCidr: string; readonly adminCidrs: readonly string[]; readonly encryptedVolumeType?: string; readonly bootVolumeGb: number; readonly etcdVolumeGb: number }): Record<string, string> {
  return {
    api_master_lb_allowed_cidrs: [args.networkCidr, ...args.adminCidrs].join(","),
    boot_volume_size: String(args.bootVolumeGb),
    etcd_blockdevice_size: String(args.etcdVolumeGb),
    ...(args.encryptedVolumeType ? { boot_volume_type: args.encryptedVolumeType, etcd_blockdevice_volume_type: args.encryptedVolumeType } : {}),
  };
}

/**
 * Magnum builds the cluster (with the magnum-capi-helm driver): a cluster template (or the operator's own,
 * `magnumTemplate`) and a cluster with three masters behind the API load balancer, reachable from the admin
 * and node networks only, on the stack's private network. magnum-capi-helm has no `container_infra_prefix`:
 * its images come from the chart's registries, not from `socle:registryMirror` (docs/cloud.md).
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
    readonly bootVolumeGb: number;
    readonly etcdVolumeGb: number;
  },
  parent: pulumi.Resource,
): { readonly cluster: openstack.containerinfra.Cluster; readonly kubeconfig: pulumi.Output<string> } {
  const { settings, region } = args;
  const child = { parent };
  const labels = magnumLabels({
    networkCidr: settings.networkCidr,
    adminCidrs: args.adminCidrs,
    ...(settings.encryptedVolumeType ? { encryptedVolumeType: settings.encryptedVolumeType } : {}),
    bootVolumeGb: args.bootVolumeGb,
    etcdVolumeGb: args.etcdVolumeGb,
  });
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
