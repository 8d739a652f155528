import { plainResources } from "../lib/sizing";
import type { PlatformImages } from "./images";
import { CNPG_CHART, splitImage, type PinnedChart } from "./releases";
import { controllerSize } from "./sizing";

/**
 * CloudNativePG's Barman Cloud plugin, which archives WAL and takes base backups of every app database.
 *
 * Why the plugin: the in-tree `spec.backup.barmanObjectStore` is deprecated from CloudNativePG 1.26
 * (cloudnative-pg/plugin-barman-cloud@1e13020fe5f09fd8fc29ea03828f7b61375b3721 web/docs/migration.md, tag
 * v0.14.0) and runs `barman-cloud-*` inside the postgres container, which the `standard` images of the
 * catalog do not contain; the plugin runs them in its own sidecar, "designed to work with the minimal
 * PostgreSQL images" (same commit, web/docs/images.md).
 *
 * Kept outside releases.ts on purpose (that file's versions belong to the supply-chain work); to be folded
 * into PINNED_CHARTS there. The chart needs cert-manager (its Issuer and Certificates for mTLS between the
 * operator and the plugin) and CloudNativePG >= 1.26 (web/docs/installation.mdx).
 */
export const BARMAN_PLUGIN_CHART: PinnedChart = {
  chart: "plugin-barman-cloud",
  repo: "https://cloudnative-pg.github.io/charts",
  version: "0.7.0",
  namespace: CNPG_CHART.namespace,
  source:
    "cloudnative-pg/charts tag plugin-barman-cloud-v0.7.0 (83bd9c59514cb7ff3692049d85ba604dcb458700, 2026-06-10): charts/plugin-barman-cloud/Chart.yaml " +
    "version 0.7.0, appVersion v0.13.0, newest release of the chart in the stored snapshot. Its ObjectStore CRD is the same file as plugin " +
    "v0.14.0's, the copy in ../shared/crds/cnpg (`git diff v0.13.0 v0.14.0 -- config/crd/bases` is empty).",
};

/** Name the Cluster's `spec.plugins[]` and the ScheduledBackup's `pluginConfiguration` use (chart templates/service.yaml label `cnpg.io/pluginName`). */
export const BARMAN_PLUGIN_NAME = "barman-cloud.cloudnative-pg.io";

/**
 * Pod labels of the plugin's Deployment: the chart's selector labels
 * (templates/_helpers.tpl `plugin-barman-cloud.selectorLabels`: `app.kubernetes.io/name` = chart name, and
 * `app.kubernetes.io/instance` = release name).
 */
export const BARMAN_PLUGIN_RELEASE = "plugin-barman-cloud";
export const BARMAN_PLUGIN_LABELS = { "app.kubernetes.io/name": "plugin-barman-cloud", "app.kubernetes.io/instance": BARMAN_PLUGIN_RELEASE } as const;
/** gRPC (mTLS) port the operator calls (templates/deployment.yaml `--server-address=:9090`, service.yaml). */
export const BARMAN_PLUGIN_PORT = 9090;

/** Chart values: the two images from the catalog (the chart joins `registry/repository:tag`), sized like the other controllers. */
export function barmanPluginValues(images: PlatformImages, sizing: Parameters<typeof controllerSize>[0]): Record<string, unknown> {
  const image = (ref: string) => {
    const p = splitImage(ref);
    return { registry: p.registry, repository: p.repository, tag: p.digest ? `${p.tag}@${p.digest}` : p.tag };
  };
  return {
    image: image(images["plugin-barman-cloud"]),
    sidecarImage: image(images["plugin-barman-cloud-sidecar"]),
    // The CRD ships with the chart (templates/crds/crds.yaml); the ObjectStores are socle's.
    crds: { create: true },
    resources: plainResources(controllerSize(sizing).resources),
  };
}
