/**
 * The upstream Helm charts the platform installs, each pinned to a version read from a public source
 * named beside it. A chart whose version no source confirms carries `unresolved` and its reason instead,
 * and the component refuses nothing: the reason is shown in the docs and the render, for the operator to
 * settle before `pulumi up`.
 */
export interface PinnedChart {
  /** Chart name in the repository, or a full `oci://` reference. */
  readonly chart: string;
  /** HTTP chart repository; absent for OCI references. */
  readonly repo?: string;
  readonly version: string;
  /** Namespace the release is installed in. */
  readonly namespace: string;
  /** Where the repository and version were read. */
  readonly source: string;
  readonly unresolved?: string;
}

export const ENVOY_GATEWAY_CHART: PinnedChart = {
  chart: "oci://docker.io/envoyproxy/gateway-helm",
  version: "v1.8.4",
  namespace: "envoy-gateway-system",
  source:
    "Chart location: https://gateway.envoyproxy.io/_print/v1.9/install/ (\"published at oci://docker.io/envoyproxy/gateway-helm\"). " +
    "Version v1.8.4: release train on Docker Hub (https://hub.docker.com/layers/envoyproxy/gateway-addons-helm/v1.8.4/...) and a public " +
    "`helm template ... gateway-helm --version v1.8.4` install guide (code corpus).",
};

export const CERT_MANAGER_CHART: PinnedChart = {
  chart: "cert-manager",
  repo: "https://charts.jetstack.io",
  version: "v1.21.1",
  namespace: "cert-manager",
  source:
    "Repository: https://cert-manager.io/docs/installation/helm/ (\"the only supported source of cert-manager charts\"). Version: cert-manager " +
    "v1.21.1 release notes (https://gitlab.com/sylva-projects/sylva-core/-/merge_requests/8842); same tag as ../shared/crds/cert-manager.",
};

export const TRUST_MANAGER_CHART: PinnedChart = {
  chart: "trust-manager",
  repo: "https://charts.jetstack.io",
  version: "v0.19.0",
  namespace: "cert-manager",
  source:
    "Repository: cert-manager's trust-manager installation docs (https://cert-manager.io/docs/trust/trust-manager/, Helm chart in the jetstack repository). " +
    "Version: trust-manager module v0.19.0 (pkg.go.dev, published 2025-08-11); jetstack charts carry the application's version.",
};

export const CNPG_CHART: PinnedChart = {
  chart: "cloudnative-pg",
  repo: "https://cloudnative-pg.github.io/charts",
  version: "0.29.0",
  namespace: "cnpg-system",
  source:
    "Repository: https://github.com/cloudnative-pg/charts README. Version: tag cloudnative-pg-v0.29.0 (charts/cloudnative-pg/Chart.yaml), which " +
    "installs operator 1.30.0, the tag of ../shared/crds/cnpg.",
};

export const VELERO_CHART: PinnedChart = {
  chart: "velero",
  repo: "https://vmware-tanzu.github.io/helm-charts",
  version: "12.2.0",
  namespace: "velero",
  source:
    "Repository: https://vmware-tanzu.github.io/helm-charts. Version: vmware-tanzu/helm-charts release velero-12.2.0 " +
    "(https://gitlab.com/sylva-projects/sylva-core/-/merge_requests/8509). The Velero version it ships is not confirmed here.",
};

export const KUBE_PROMETHEUS_STACK_CHART: PinnedChart = {
  chart: "kube-prometheus-stack",
  repo: "https://prometheus-community.github.io/helm-charts",
  version: "91.5.0",
  namespace: "socle-monitoring",
  source:
    "Repository: prometheus-community/helm-charts README. Version: release kube-prometheus-stack-91.5.0 " +
    "(https://newreleases.io/project/github/prometheus-community/helm-charts/release/kube-prometheus-stack-91.5.0).",
};

export const PINNED_CHARTS = {
  envoyGateway: ENVOY_GATEWAY_CHART,
  certManager: CERT_MANAGER_CHART,
  cnpg: CNPG_CHART,
  velero: VELERO_CHART,
  kubePrometheusStack: KUBE_PROMETHEUS_STACK_CHART,
} as const;

/** Splits `registry/repo:tag@digest` into the parts Helm charts ask for separately. */
export function splitImage(ref: string): { registry: string; repository: string; tag: string; digest?: string; withoutDigest: string } {
  const [nameTag, digest] = ref.split("@") as [string, string | undefined];
  const colon = nameTag.lastIndexOf(":");
  const slash = nameTag.lastIndexOf("/");
  if (colon <= slash) throw new Error(`image reference ${ref} has no tag; catalog entries are repository:tag[@digest]`);
  const name = nameTag.slice(0, colon);
  const firstSlash = name.indexOf("/");
  return {
    registry: name.slice(0, firstSlash),
    repository: name.slice(firstSlash + 1),
    tag: nameTag.slice(colon + 1),
    ...(digest ? { digest } : {}),
    withoutDigest: nameTag,
  };
}
