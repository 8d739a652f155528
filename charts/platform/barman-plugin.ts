import { plainResources } from "../lib/sizing";
import type { PlatformImages } from "./images";
import { splitImage } from "./releases";
import { controllerSize } from "./sizing";

/**
 * CloudNativePG's Barman Cloud plugin, which archives WAL and takes base backups of every app database. Its
 * chart pin (`BARMAN_PLUGIN_CHART`) lives with the other pins in releases.ts, which says why the plugin.
 */
export { BARMAN_PLUGIN_CHART } from "./releases";

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
