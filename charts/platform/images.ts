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
  "opencost",
  "capsule",
  "capsule-kubectl",
] as const;

export type PlatformImageKey = (typeof PLATFORM_IMAGE_KEYS)[number];

/**
 * Image references of the platform, and the mirror they come from (`socle:registryMirror`): the Helm
 * releases take their charts from the same mirror (charts/platform/releases.ts `chartFrom`).
 */
export type PlatformImages = Readonly<Record<PlatformImageKey, string>> & { readonly registryMirror?: string };

export function resolvePlatformImages(image: (key: string) => string, registryMirror?: string): PlatformImages {
  const refs = Object.fromEntries(PLATFORM_IMAGE_KEYS.map((k) => [k, image(k)])) as Record<PlatformImageKey, string>;
  return registryMirror ? { ...refs, registryMirror } : refs;
}
