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
  // One version for the chart and the controller image (catalog `envoy-gateway`, v1.9.1): Envoy Gateway
  // publishes gateway-helm at each release tag with that release's image in `global.images.envoyGateway.image`
  // (envoyproxy/gateway charts/gateway-helm/values.tmpl.yaml, `image: ${GatewayImage}`). The chart was v1.8.4
  // while the image was v1.9.1: a v1.8 chart (RBAC, CRDs, config) driving a v1.9 controller.
  version: "v1.9.1",
  namespace: "envoy-gateway-system",
  source:
    "Chart location: https://gateway.envoyproxy.io/_print/v1.9/install/ (\"published at oci://docker.io/envoyproxy/gateway-helm\"). " +
    "Version v1.9.1: https://gitlab.com/gitlab-org/charts/gitlab/-/merge_requests/5431 (Renovate: gateway-helm 1.9.1 → 1.9.2) and public " +
    "`helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.9.1` guides (search index files 69135703652, 70183308366: v1.9.1 dated 2026-08-28). " +
    "Image keys: global.images.envoyGateway.image (the controller) and global.images.envoyProxy.image (\"Full image for the managed Envoy Proxy data plane\"), " +
    "envoyproxy/gateway@39763b1c07ec30a5526fe70434a2cfe4181de642 (tag v1.9.0, head of release/v1.9 in the stored snapshot) charts/gateway-helm/values.tmpl.yaml; " +
    "global.images.ratelimit.image is left at its default: socle enables no rate limiting, so no ratelimit Deployment is created.",
};

export const CERT_MANAGER_CHART: PinnedChart = {
  chart: "cert-manager",
  repo: "https://charts.jetstack.io",
  version: "v1.21.1",
  namespace: "cert-manager",
  source:
    "Repository: https://cert-manager.io/docs/installation/helm/ (\"the only supported source of cert-manager charts\"). Version: cert-manager " +
    "v1.21.1 release notes (https://gitlab.com/sylva-projects/sylva-core/-/merge_requests/8842); same tag as ../shared/crds/cert-manager. " +
    "Image keys: image, webhook.image, cainjector.image, acmesolver.image, startupapicheck.image, each {repository, tag, digest} (\"Setting a digest " +
    "will override any tag\": cert-manager/cert-manager deploy/charts/cert-manager/values.yaml, stored version 001eb00d7f276ebcb4f84ffa8ba9255d9292b8c8).",
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
  // The newest chart whose Velero version is confirmed equal to the catalog's image (v1.18.1): 12.1.0 carries
  // appVersion 1.18.1 and `image.tag: v1.18.1`. 12.2.0 (pinned before) exists, but no stored source states
  // the Velero version it ships, so chart and image could not be shown to agree.
  version: "12.1.0",
  namespace: "velero",
  source:
    "Repository: https://vmware-tanzu.github.io/helm-charts. Version: vmware-tanzu/helm-charts@84dd2c080519168bae69541f3c4c3fa6b2596da9 " +
    "charts/velero/Chart.yaml (version 12.1.0, appVersion 1.18.1). Image keys: image.repository, image.tag, image.digest (\"If used, it will take " +
    "precedence over the image.tag\"), initContainers (plugins), same commit charts/velero/values.yaml.",
};

export const KUBE_PROMETHEUS_STACK_CHART: PinnedChart = {
  chart: "kube-prometheus-stack",
  repo: "https://prometheus-community.github.io/helm-charts",
  version: "91.5.0",
  namespace: "socle-monitoring",
  source:
    "Repository: prometheus-community/helm-charts README. Version: release kube-prometheus-stack-91.5.0 " +
    "(https://newreleases.io/project/github/prometheus-community/helm-charts/release/kube-prometheus-stack-91.5.0). " +
    "Operator v0.94.0 (catalog prometheus-operator, prometheus-config-reloader): 91.0.0 bumped it to v0.94.0, 91.5.1 to v0.94.1. " +
    "Image keys: prometheusOperator.image, prometheusOperator.prometheusConfigReloader.image, prometheus.prometheusSpec.image, each " +
    "{registry, repository, tag, sha} (prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml, stored version 88.5.3 at cf408a290).",
};

/**
 * CloudNativePG's Barman Cloud plugin, which archives WAL and takes base backups of every app database.
 *
 * Why the plugin: the in-tree `spec.backup.barmanObjectStore` is deprecated from CloudNativePG 1.26
 * (cloudnative-pg/plugin-barman-cloud@1e13020fe5f09fd8fc29ea03828f7b61375b3721 web/docs/migration.md, tag
 * v0.14.0) and runs `barman-cloud-*` inside the postgres container, which the `standard` images of the
 * catalog do not contain; the plugin runs them in its own sidecar, "designed to work with the minimal
 * PostgreSQL images" (same commit, web/docs/images.md).
 *
 * The chart needs cert-manager (its Issuer and Certificates for mTLS between the
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

/**
 * Capsule, the multi-tenancy engine of a hoster's platform (one `Tenant` per socle tenant,
 * charts/platform/capsule.ts), installed by `platform` stacks only (components/platform/capsule.ts;
 * docs/components/platform.md, "Capsule: installed by the platform"): not in PINNED_CHARTS, which every
 * dedicated and platform stack installs.
 */
export const CAPSULE_CHART: PinnedChart = {
  chart: "oci://ghcr.io/projectcapsule/charts/capsule",
  version: "0.14.0",
  namespace: "capsule-system",
  source:
    "projectcapsule/capsule@65a4e19e028fbbb2703b888d81f02035cf36cefa (tag v0.14.0, the CRDs' tag in ../shared/crds/capsule): " +
    ".github/workflows/helm-publish.yml publishes charts/ at each tag to ghcr.io/<owner>/charts (job publish-helm-oci) with version " +
    "VERSION=${GIT_TAG##*v}, i.e. 0.14.0; charts/capsule/Chart.yaml names the OCI repository oci://ghcr.io/projectcapsule/charts. " +
    "Image keys: manager.image.{registry,repository,tag} (ghcr.io/projectcapsule/capsule, tag defaults to appVersion) and " +
    "global.jobs.kubectl.image.{registry,repository} (docker.io/clastix/kubectl) in charts/capsule/values.yaml at that tag.",
};

/**
 * OpenCost, the measured-cost engine of a hoster's platform, installed only with `socle:opencost`
 * (charts/platform/opencost.ts, components/platform/opencost.ts).
 */
export const OPENCOST_CHART: PinnedChart = {
  chart: "opencost",
  repo: "https://opencost.github.io/opencost-helm-chart",
  version: "2.5.17",
  namespace: "socle-opencost",
  source:
    "Repository: opencost/opencost-helm-chart README.md (`helm repo add opencost https://opencost.github.io/opencost-helm-chart`; " +
    ".github/workflows/publish.yml releases charts/ with chart-releaser). Version: tag opencost-2.5.17 (725bb939d6a631a7b679cef38fe42a3d872efe64, " +
    "2026-04-28, newest release in the stored snapshot): charts/opencost/Chart.yaml version 2.5.17, appVersion 1.120.1. " +
    "Image keys: opencost.exporter.image.{registry,repository,tag} (opencost.ui.image unused: the UI is off), same tag charts/opencost/values.yaml.",
};

export const PINNED_CHARTS = {
  envoyGateway: ENVOY_GATEWAY_CHART,
  certManager: CERT_MANAGER_CHART,
  cnpg: CNPG_CHART,
  velero: VELERO_CHART,
  kubePrometheusStack: KUBE_PROMETHEUS_STACK_CHART,
  barmanCloudPlugin: BARMAN_PLUGIN_CHART,
} as const;

/** Every chart the platform can install (trust-manager only with the internal CA issuer, Capsule only on a `platform` stack, OpenCost only with `socle:opencost`), by lock name. */
export const ALL_CHARTS = { ...PINNED_CHARTS, trustManager: TRUST_MANAGER_CHART, capsule: CAPSULE_CHART, opencost: OPENCOST_CHART } as const;
export type ChartName = keyof typeof ALL_CHARTS;

/**
 * Where a chart lives in the organisation's OCI registry, below the mirror's address, in the mirror's one
 * layout `<mirror>/<original location>/<chart>`: `oci://docker.io/envoyproxy/gateway-helm` →
 * `docker.io/envoyproxy/gateway-helm`; chart `cert-manager` of `https://charts.jetstack.io` →
 * `charts.jetstack.io/cert-manager` (what `helm push <chart>.tgz oci://<mirror>/charts.jetstack.io` creates).
 */
export function chartMirrorPath(chart: PinnedChart): string {
  if (chart.chart.startsWith("oci://")) return chart.chart.slice("oci://".length).replace(/\/+$/, "");
  if (!chart.repo) throw new Error(`chart ${chart.chart} has neither an oci:// reference nor a repository`);
  const repo = chart.repo.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
  return `${repo}/${chart.chart}`;
}

/** The chart as a release installs it: from `oci://<mirror>/…` when a mirror is set, from upstream otherwise. */
export function chartFrom(chart: PinnedChart, mirror?: string): PinnedChart {
  if (!mirror) return chart;
  const { repo: _upstream, ...rest } = chart;
  return { ...rest, chart: `oci://${mirror.replace(/\/+$/, "")}/${chartMirrorPath(chart)}` };
}

/** Upstream source of a chart as the lock records it: the oci:// reference, or `<repository URL>#<chart>`. */
export function chartSource(chart: PinnedChart): string {
  return chart.chart.startsWith("oci://") ? chart.chart : `${chart.repo}#${chart.chart}`;
}

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
