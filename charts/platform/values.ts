import type { SizingProfile } from "../../src/model/names";
import type { SecretContract } from "../../src/model/secrets";
import { plainResources } from "../lib/sizing";
import type { PlatformImages } from "./images";
import { splitImage } from "./releases";
import { controllerSize, prometheusSize } from "./sizing";

/**
 * Helm values of the pinned releases. Every image comes from the catalog, rewritten to the mirror and pinned
 * from the lock, and is set through the chart's own keys, as its upstream values.yaml names them (each
 * chart's `source` in charts/platform/releases.ts cites the file): Envoy Gateway `global.images.*.image`;
 * cert-manager and trust-manager `image`/`<component>.image` {repository, tag, digest}; CloudNativePG
 * `image` {repository, tag}; Velero `image` {repository, tag, digest} and `initContainers`;
 * kube-prometheus-stack `…image` {registry, repository, tag, sha}.
 */

const repoOf = (ref: string) => {
  const i = splitImage(ref);
  return { repository: `${i.registry}/${i.repository}`, tag: i.tag, ...(i.digest ? { digest: i.digest } : {}) };
};

export function envoyGatewayValues(images: PlatformImages, sizing: SizingProfile): Record<string, unknown> {
  return {
    // The Gateway's proxies run in the controller's namespace (the default deployment mode), whose
    // LoadBalancer Service is the stack's one declared load balancer.
    global: { images: { envoyGateway: { image: images["envoy-gateway"] }, envoyProxy: { image: images["envoy-proxy"] } } },
    deployment: { replicas: 2, envoyGateway: { resources: plainResources(controllerSize(sizing).resources) } },
    podDisruptionBudget: { minAvailable: 1 },
  };
}

export function certManagerValues(images: PlatformImages, sizing: SizingProfile): Record<string, unknown> {
  const resources = plainResources(controllerSize(sizing).resources);
  return {
    crds: { enabled: true, keep: true },
    // Gateway API support (HTTP-01 through the Gateway): `config.enableGatewayAPI`, cert-manager >= 1.15
    // (https://github.com/cert-manager/website/issues/1586).
    config: { apiVersion: "controller.config.cert-manager.io/v1alpha1", kind: "ControllerConfiguration", enableGatewayAPI: true },
    replicaCount: 2,
    podDisruptionBudget: { enabled: true, minAvailable: 1 },
    image: repoOf(images["cert-manager-controller"]),
    resources,
    webhook: { replicaCount: 2, image: repoOf(images["cert-manager-webhook"]), resources, podDisruptionBudget: { enabled: true, minAvailable: 1 } },
    cainjector: { image: repoOf(images["cert-manager-cainjector"]), resources },
    acmesolver: { image: repoOf(images["cert-manager-acmesolver"]) },
    startupapicheck: { image: repoOf(images["cert-manager-startupapicheck"]) },
    prometheus: { enabled: true, servicemonitor: { enabled: false } },
  };
}

/** trust-manager reads sources in cert-manager's namespace; no default CA package (its image is not in the catalog). */
export function trustManagerValues(images: PlatformImages, sizing: SizingProfile): Record<string, unknown> {
  return {
    crds: { enabled: true, keep: true },
    image: repoOf(images["trust-manager"]),
    defaultPackage: { enabled: false },
    app: { trust: { namespace: "cert-manager" } },
    resources: plainResources(controllerSize(sizing).resources),
  };
}

export function cnpgValues(images: PlatformImages, sizing: SizingProfile): Record<string, unknown> {
  const { repository, tag } = repoOf(images["cloudnative-pg"]);
  return {
    image: { repository, tag: splitImage(images["cloudnative-pg"]).digest ? `${tag}@${splitImage(images["cloudnative-pg"]).digest}` : tag },
    resources: plainResources(controllerSize(sizing).resources),
    config: { clusterWide: true },
  };
}

export function veleroValues(images: PlatformImages, sizing: SizingProfile, credentialsSecret: SecretContract<string, readonly ["cloud"]>): Record<string, unknown> {
  const velero = splitImage(images.velero);
  return {
    image: { repository: `${velero.registry}/${velero.repository}`, tag: velero.tag, ...(velero.digest ? { digest: velero.digest } : {}) },
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: images["velero-plugin-for-aws"],
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      },
    ],
    resources: plainResources(controllerSize(sizing).resources),
    // The BackupStorageLocation and Schedules are socle's own objects (charts/platform/velero.ts).
    configuration: { backupStorageLocation: [], volumeSnapshotLocation: [], uploaderType: "kopia", defaultVolumesToFsBackup: true },
    credentials: { useSecret: true, existingSecret: credentialsSecret.name },
    snapshotsEnabled: false,
    deployNodeAgent: true,
    // CRDs come with the chart on install; the upgrade Job would pull a kubectl image the catalog does not hold.
    upgradeCRDs: false,
    metrics: { enabled: true, serviceMonitor: { enabled: false } },
  };
}

/** Metrics are kept this long; logs follow `socle:logRetentionDays` separately. */
export const METRICS_RETENTION_DAYS = 30;

export function kubePrometheusStackValues(images: PlatformImages, sizing: SizingProfile, storageClass: string): Record<string, unknown> {
  const size = prometheusSize(sizing);
  const img = (ref: string) => {
    const i = splitImage(ref);
    return { registry: i.registry, repository: i.repository, tag: i.tag, ...(i.digest ? { sha: i.digest.replace(/^sha256:/, "") } : {}) };
  };
  return {
    crds: { enabled: true },
    // Only Prometheus and its operator: dashboards and alert routing are the operator's choice, and node
    // exporters need host access this stack does not grant.
    grafana: { enabled: false },
    alertmanager: { enabled: false },
    nodeExporter: { enabled: false },
    kubeStateMetrics: { enabled: false },
    prometheusOperator: {
      image: img(images["prometheus-operator"]),
      prometheusConfigReloader: { image: img(images["prometheus-config-reloader"]) },
      admissionWebhooks: { enabled: false },
      tls: { enabled: false },
      resources: plainResources(controllerSize(sizing).resources),
    },
    prometheus: {
      prometheusSpec: {
        image: img(images.prometheus),
        retention: `${METRICS_RETENTION_DAYS}d`,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        resources: plainResources(size.resources),
        storageSpec: {
          volumeClaimTemplate: { spec: { storageClassName: storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size.storage } } } },
        },
      },
    },
  };
}
