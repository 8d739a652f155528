/**
 * Catalog keys (src/images/catalog.ts) of every image the platform runs, rendered by socle or set in a
 * Helm release's values, so nothing is pulled from a registry the catalog (and its mirror) does not name.
 */
export const PLATFORM_IMAGE_KEYS = [
  "envoy-gateway",
  "envoy-proxy",
  "cert-manager-controller",
  "cert-manager-webhook",
  "cert-manager-cainjector",
  "cert-manager-acmesolver",
  "cert-manager-startupapicheck",
  "trust-manager",
  "cloudnative-pg",
  "plugin-barman-cloud",
  "plugin-barman-cloud-sidecar",
  "velero",
  "velero-plugin-for-aws",
  "prometheus",
  "prometheus-operator",
  "prometheus-config-reloader",
  "garage",
  "curl",
  "victoria-logs",
  "fluent-bit",
] as const;

export type PlatformImageKey = (typeof PLATFORM_IMAGE_KEYS)[number];

export type PlatformImages = Readonly<Record<PlatformImageKey, string>>;

export function resolvePlatformImages(image: (key: string) => string): PlatformImages {
  return Object.fromEntries(PLATFORM_IMAGE_KEYS.map((k) => [k, image(k)])) as PlatformImages;
}
