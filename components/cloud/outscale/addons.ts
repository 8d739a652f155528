import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { stringify } from "yaml";
import { CCM_PLACEMENT } from "../openstack/addons";
import * as osc from "./provider";
import { KeyedSecret } from "../../lib/secret";

/**
 * Charts RKE2's helm-controller installs from the servers' static folder (as on OpenStack, openstack/addons.ts):
 * the node image carries the archives. Names are the charts' own: outscale/cloud-provider-osc
 * `deploy/k8s-osc-ccm/Chart.yaml` (osc-cloud-controller-manager 0.7.0, commit 64174f3) and
 * outscale/osc-bsu-csi-driver `helm/osc-bsu-csi-driver/Chart.yaml` (2.1.0, driver v1.11.0, commit a0f0188).
 */
export const OUTSCALE_CHARTS = { cloudControllerManager: "osc-cloud-controller-manager", bsuCsi: "osc-bsu-csi-driver" } as const;
/** The BSU CSI driver's name (osc-bsu-csi-driver pkg/driver/driver.go `DefaultDriverName`). */
export const BSU_CSI = "bsu.csi.outscale.com";
export const OUTSCALE_STORAGE_CLASSES = { default: "bsu-gp2", encrypted: "bsu-encrypted" } as const;
/** One Secret both charts read: keys `access_key` and `secret_key` (k8s-osc-ccm templates/osc-ccm.yaml with `oscSecretFormat: v1`; osc-bsu-csi-driver templates/controller.yaml). */
const CREDENTIALS_SECRET = "osc-credentials";
/** The LUKS passphrase of encrypted volumes (node-stage and node-expand secret, osc-bsu-csi-driver examples/kubernetes/encryption: key `key`). */
const LUKS_SECRET = "bsu-luks-key";

const staticChart = (chart: string) => `https://%{KUBERNETES_API}%/static/charts/${chart}.tgz`;

/**
 * The cloud integration of an RKE2 cluster on Outscale VMs: an access key for the cloud-controller-manager
 * (node addresses, zones, LoadBalancer Services) and the BSU CSI driver (volumes), their Secret, both charts,
 * and two storage classes: `bsu-gp2`, and `bsu-encrypted` whose volumes the driver formats with LUKS
 * (StorageClass parameters `encrypted`, `luks-cipher`, docs/README.md of osc-bsu-csi-driver).
 */
export function outscaleAddons(name: string, args: { readonly region: string; readonly provider: k8s.Provider }, parent: pulumi.Resource): void {
  const child = { parent };
  const k8sChild = { parent, provider: args.provider };
  const key = new osc.AccessKey(`${name}-cloud-provider-key`, { state: "ACTIVE" }, { ...child, additionalSecretOutputs: ["secretKey"] });
  const credentials = new KeyedSecret(
    `${name}-osc-credentials`,
    { metadata: { name: CREDENTIALS_SECRET, namespace: "kube-system" }, type: "Opaque", stringData: { access_key: pulumi.secret(key.accessKeyId), secret_key: pulumi.secret(key.secretKey) } },
    k8sChild,
  );
  const passphrase = new random.RandomPassword(`${name}-luks-passphrase`, { length: 48, special: false }, child);
  const luks = new KeyedSecret(`${name}-luks-key`, { metadata: { name: LUKS_SECRET, namespace: "kube-system" }, type: "Opaque", stringData: { key: passphrase.result } }, k8sChild);
  const chart = (id: string, chartName: string, values: Record<string, unknown>, bootstrap: boolean) =>
    new k8s.apiextensions.CustomResource(
      `${name}-${id}`,
      {
        apiVersion: "helm.cattle.io/v1",
        kind: "HelmChart",
        metadata: { name: chartName, namespace: "kube-system" },
        spec: { chart: staticChart(chartName), targetNamespace: "kube-system", bootstrap, valuesContent: stringify(values) },
      },
      { ...k8sChild, dependsOn: [credentials] },
    );
  // values.yaml of each chart: the CCM runs on the servers (same label and taint values as on OpenStack).
  chart("osc-cloud-controller-manager", OUTSCALE_CHARTS.cloudControllerManager, { oscSecretName: CREDENTIALS_SECRET, oscSecretFormat: "v1", ...CCM_PLACEMENT }, true);
  chart("osc-bsu-csi", OUTSCALE_CHARTS.bsuCsi, { cloud: { region: args.region, credentials: { secretName: CREDENTIALS_SECRET, create: false } }, controller: { nodeSelector: CCM_PLACEMENT.nodeSelector } }, false);

  const storageClass = (id: string, className: string, isDefault: boolean, parameters: Record<string, string>, dependsOn: pulumi.Resource[] = []) =>
    new k8s.storage.v1.StorageClass(
      `${name}-${id}`,
      {
        metadata: { name: className, annotations: { "storageclass.kubernetes.io/is-default-class": String(isDefault) } },
        provisioner: BSU_CSI,
        reclaimPolicy: "Delete",
        allowVolumeExpansion: true,
        volumeBindingMode: "WaitForFirstConsumer",
        parameters,
      },
      { ...k8sChild, dependsOn },
    );
  storageClass("storage-default", OUTSCALE_STORAGE_CLASSES.default, false, { type: "gp2" });
  storageClass(
    "storage-encrypted",
    OUTSCALE_STORAGE_CLASSES.encrypted,
    true,
    {
      type: "gp2",
      encrypted: "true",
      "luks-cipher": "aes-xts-plain64",
      "csi.storage.k8s.io/node-stage-secret-name": LUKS_SECRET,
      "csi.storage.k8s.io/node-stage-secret-namespace": "kube-system",
      "csi.storage.k8s.io/node-expand-secret-name": LUKS_SECRET,
      "csi.storage.k8s.io/node-expand-secret-namespace": "kube-system",
    },
    [luks],
  );
}
