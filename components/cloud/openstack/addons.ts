import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as openstack from "@pulumi/openstack";
import { stringify } from "yaml";
import { resourceName } from "../plan/names";
import { KeyedSecret } from "../../lib/secret";

/**
 * Charts RKE2's helm-controller installs from the servers' own static folder
 * (`/var/lib/rancher/rke2/server/static/charts/`, served at `https://%{KUBERNETES_API}%/static/`): the node
 * image carries the chart archives next to RKE2's airgap artifacts, so nothing is fetched from a chart
 * repository at run time. Chart names are those of kubernetes/cloud-provider-openstack (`charts/`); their
 * versions are pinned by the image build and are not known to this program (unresolved here).
 */
export const OPENSTACK_CHARTS = {
  cloudControllerManager: "openstack-cloud-controller-manager",
  cinderCsi: "openstack-cinder-csi",
} as const;

/**
 * Where the cloud-controller-manager runs. The chart's defaults (openstack-cloud-controller-manager 2.36.0,
 * kubernetes/cloud-provider-openstack charts/openstack-cloud-controller-manager/values.yaml) select
 * `node-role.kubernetes.io/control-plane: ""` and tolerate that taint with an empty value; RKE2 labels its
 * servers `node-role.kubernetes.io/control-plane=true` (k3s-io/k3s pkg/server/server.go, embedded in RKE2) and
 * socle taints them `=true:NoSchedule` (plan/cloud-init.ts): with the defaults the pod never schedules.
 */
export const CCM_PLACEMENT = {
  nodeSelector: { "node-role.kubernetes.io/control-plane": "true" },
  tolerations: [
    { key: "node.cloudprovider.kubernetes.io/uninitialized", value: "true", effect: "NoSchedule" },
    { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
  ],
} as const;

/** Cinder CSI's provisioner name. */
export const CINDER_CSI = "cinder.csi.openstack.org";
export const STORAGE_CLASSES = { default: "csi-cinder-sc-delete", encrypted: "csi-cinder-sc-encrypted" } as const;

const staticChart = (chart: string) => `https://%{KUBERNETES_API}%/static/charts/${chart}.tgz`;

/** The `cloud.conf` of the OpenStack cloud-controller-manager and Cinder CSI: an application credential, no password. */
export function cloudConf(c: { authUrl: string; credentialId: string; credentialSecret: string; region: string; subnetId: string; floatingNetworkId: string }): string {
  return [
    "[Global]",
    `auth-url=${c.authUrl}`,
    `application-credential-id=${c.credentialId}`,
    `application-credential-secret=${c.credentialSecret}`,
    `region=${c.region}`,
    "",
    "[LoadBalancer]",
    `subnet-id=${c.subnetId}`,
    `floating-network-id=${c.floatingNetworkId}`,
    "",
  ].join("\n");
}

/**
 * The cloud integration of an RKE2 cluster on OpenStack: an application credential restricted to this
 * project (no other credential can be minted with it), the `cloud-config` Secret, the cloud-controller-manager
 * and Cinder CSI as RKE2 HelmCharts, and the storage classes (the encrypted one on the cloud's encrypted volume type).
 */
export function openstackAddons(
  name: string,
  args: {
    readonly organization: string;
    readonly region: string;
    readonly subnetId: pulumi.Input<string>;
    readonly externalNetworkId: pulumi.Input<string>;
    readonly encryptedVolumeType?: string;
    readonly provider: k8s.Provider;
  },
  parent: pulumi.Resource,
): void {
  const child = { parent };
  const k8sChild = { parent, provider: args.provider };
  const credential = new openstack.identity.ApplicationCredential(
    `${name}-cloud-credential`,
    { name: resourceName(args.organization, ["k8s-cloud-provider"]), description: "socle: Kubernetes cloud-controller-manager and Cinder CSI", unrestricted: false, region: args.region },
    { ...child, additionalSecretOutputs: ["secret"] },
  );
  const scope = openstack.identity.getAuthScopeOutput({ name: "socle", region: args.region }, child);
  const authUrl = scope.apply(
    (s) => (s.serviceCatalogs ?? []).find((c) => c.type === "identity")?.endpoints.find((e) => e.interface === "public" && (e.region === args.region || e.region === ""))?.url ?? "",
  );
  const conf = pulumi.secret(
    pulumi
      .all([authUrl, credential.id, credential.secret, args.subnetId, args.externalNetworkId])
      .apply(([url, id, secret, subnetId, floatingNetworkId]) => cloudConf({ authUrl: url, credentialId: id, credentialSecret: secret, region: args.region, subnetId, floatingNetworkId })),
  );
  // Both charts read the file under their own key (`cloud.conf`, `cloud-config`).
  const secret = new KeyedSecret(`${name}-cloud-config`, { metadata: { name: "cloud-config", namespace: "kube-system" }, type: "Opaque", stringData: { "cloud.conf": conf, "cloud-config": conf } }, k8sChild);
  const fromSecret = { secret: { enabled: true, create: false, name: "cloud-config" } };
  const chart = (id: string, chartName: string, values: Record<string, unknown>, bootstrap: boolean) =>
    new k8s.apiextensions.CustomResource(
      `${name}-${id}`,
      {
        apiVersion: "helm.cattle.io/v1",
        kind: "HelmChart",
        metadata: { name: chartName, namespace: "kube-system" },
        spec: { chart: staticChart(chartName), targetNamespace: "kube-system", bootstrap, valuesContent: stringify(values) },
      },
      { ...k8sChild, dependsOn: [secret] },
    );
  // The cloud-controller-manager initialises nodes (they start tainted as uninitialised): it runs before the CNI.
  chart("cloud-controller-manager", OPENSTACK_CHARTS.cloudControllerManager, { ...fromSecret, ...CCM_PLACEMENT }, true);
  chart("cinder-csi", OPENSTACK_CHARTS.cinderCsi, { ...fromSecret, storageClass: { enabled: false } }, false);

  const storageClass = (id: string, className: string, isDefault: boolean, parameters: Record<string, string>) =>
    new k8s.storage.v1.StorageClass(
      `${name}-${id}`,
      {
        metadata: { name: className, annotations: { "storageclass.kubernetes.io/is-default-class": String(isDefault) } },
        provisioner: CINDER_CSI,
        reclaimPolicy: "Delete",
        allowVolumeExpansion: true,
        volumeBindingMode: "WaitForFirstConsumer",
        parameters,
      },
      k8sChild,
    );
  storageClass("storage-default", STORAGE_CLASSES.default, args.encryptedVolumeType === undefined, {});
  if (args.encryptedVolumeType) storageClass("storage-encrypted", STORAGE_CLASSES.encrypted, true, { type: args.encryptedVolumeType });
}
