/**
 * The one image catalog. Every container image socle deploys is listed here, pinned by digest
 * where a public source for the digest could be named; otherwise `digest` is absent and
 * `unresolved` says why, so the image-pinning control reports it instead of trusting a guess.
 */
export interface ImageEntry {
  /** Registry and repository, e.g. `docker.io/xwiki`. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:` digest of the multi-arch index, when a public source confirms it. */
  readonly digest?: string;
  /** Where the tag (and digest) were read. */
  readonly source: string;
  /** Why no public digest is recorded; `socle images lock` records the one the organisation's registry serves (images.lock.yaml). */
  readonly unresolved?: string;
}

// Sources are quoted as `owner/repo@commit:path` (a stored GitHub file), a URL (a stored page), or
// `search index file <id>` when the stored file's repository is not exposed by the index: such a
// tag is real public data but cannot be cited further, so no digest is ever taken from one.
// docs/images.md lists the candidate digests those files show, for the operator to verify.
const UNATTRIBUTED_DIGEST =
  "public files pin a digest for this tag, but none whose repository can be named (docs/research/images.md lists the candidate); `socle images lock` records the digest the organisation's registry serves";
const NO_DIGEST = "no stored public source states a digest for this tag; `socle images lock` records the digest the organisation's registry serves";

export const IMAGES = {
  // ---------------------------------------------------------------- applications

  /** XWiki LTS on Tomcat with the PostgreSQL JDBC driver. Official image, so docker-library/repo-info records its index digest. */
  xwiki: {
    repository: "docker.io/library/xwiki",
    tag: "17.10.13-postgres-tomcat",
    digest: "sha256:9b8142bce157ff7f1e1164816306b635959737285f0a88c6258c207af88b6293",
    source:
      "docker-library/repo-info@46bfcc329eeb7f7eaba482b5cfe2a3115bad6bb9:repos/xwiki/remote/17.10.13-postgres-tomcat.md (newest 17.10.x in repos/xwiki/remote; the 17.10 line is labelled LTS in caniselfhostit/caniselfhostit@ff722bb14da49983a3468102b33b5d3903713b80:data/projects/xwiki/compose.yml)",
  },

  /**
   * socle's derived XWiki image, built from images/xwiki (the official image above plus the XWiki Standard
   * flavour as an offline extension repository and the OpenID Connect Authenticator in WEB-INF/lib), so the
   * wiki starts usable where the Internet is denied. `socle.invalid` is a reserved name (RFC 2606) that never
   * resolves: the operator builds the recipe and pushes it under their mirror (`<mirror>/socle.invalid/xwiki`).
   */
  "xwiki-offline": {
    repository: "socle.invalid/xwiki",
    tag: "17.10.13-oidc-2.25.4",
    source:
      "images/xwiki/Dockerfile in this repository: base docker.io/library/xwiki:17.10.13-postgres-tomcat (digest above), flavour XIP " +
      "org.xwiki.platform:xwiki-platform-distribution-flavor-xip:17.10.13, authenticator org.xwiki.contrib.oidc:oidc-authenticator:2.25.4 " +
      "(xwiki-contrib/oidc tag oidc-2.25.4, d18da1fd5517e7ee94765224c5b01759e7f01bac)",
    unresolved: "built by the operator from images/xwiki: no digest exists until it is built; record the pushed image's digest here",
  },

  /** CloudNativePG operand, `standard` flavour (minimal plus pgaudit, pgvector and all locales) on Debian trixie. */
  postgresql: {
    repository: "ghcr.io/cloudnative-pg/postgresql",
    tag: "17.11-202608310816-standard-trixie",
    digest: "sha256:0eea5ac8c5e3043db94f4d512ffcfb9c06d6270a97f6d56e9f08e1571ef0484e",
    source:
      "cloudnative-pg/artifacts@0b1123db2d9b75e55d9c464210054414be5a9e67:image-catalogs/catalog-standard-trixie.yaml (ClusterImageCatalog dated 20260831, major 17)",
  },

  keycloak: {
    repository: "quay.io/keycloak/keycloak",
    tag: "26.8.0",
    source: "search index files 71366822681, 70264803281, 71186990802 (newest Keycloak tag the stored material shows)",
    unresolved: UNATTRIBUTED_DIGEST,
  },

  /**
   * keycloak-config-cli: applies the realm through Keycloak's admin API on every change (charts/identity/reconcile.ts).
   * Tag `a.b.c` is "version a.b.c built against the latest supported Keycloak release" (README.md, "Docker").
   */
  "keycloak-config-cli": {
    repository: "docker.io/adorsys/keycloak-config-cli",
    tag: "6.5.0",
    source: "adorsys/keycloak-config-cli@6219941b400f872068e08ded2a00d22a65719851 (tag v6.5.0, 2026-03-12): README.md \"Docker\" (tag scheme), Dockerfile, pom.xml (keycloak.version 26.5.4)",
    unresolved: NO_DIGEST,
  },

  /** Stalwart mail server, all-in-one image (SMTP, IMAP, JMAP, HTTP admin). */
  stalwart: {
    repository: "docker.io/stalwartlabs/stalwart",
    tag: "v1.1.0",
    digest: "sha256:f772aa6ef8cd8018969fa491640f1436b0270eb14e2c219b5f37f1a77020837e",
    source:
      "https://raw.githubusercontent.com/getumbrel/umbrel-apps/master/stalwart/docker-compose.yml (stored copy; Renovate-style pin `stalwartlabs/stalwart:v1.1.0@sha256:…`)",
  },

  /** Roundcube webmail, non-root Apache variant; SSO through its core OAuth2 support against Keycloak (see docs/research/apps.md). */
  roundcube: {
    repository: "docker.io/roundcube/roundcubemail",
    tag: "1.7.4-apache-nonroot",
    source:
      "search index file 70148374899 (`roundcube/roundcubemail:1.7.4-apache-nonroot`); 1.7.4-apache also in files 69490737210, 71475645763, 70652932093",
    unresolved: `${NO_DIGEST}; also confirm the -nonroot variant tag exists for 1.7.4`,
  },

  /** La Suite Docs (impress) Django backend; also runs the Celery worker and the migrate job. */
  "docs-backend": {
    repository: "docker.io/lasuite/impress-backend",
    tag: "v5.7.0",
    source: "suitenumerique/docs@0043216040643beeba40876e9fb07415378775b0:CHANGELOG.md ([v5.7.0] - 2026-09-15, newest release)",
    unresolved: NO_DIGEST,
  },

  "docs-frontend": {
    repository: "docker.io/lasuite/impress-frontend",
    tag: "v5.7.0",
    source: "suitenumerique/docs@0043216040643beeba40876e9fb07415378775b0:CHANGELOG.md ([v5.7.0] - 2026-09-15, newest release)",
    unresolved: NO_DIGEST,
  },

  /** Collaboration (Hocuspocus) and conversion server of Docs v5.7; after v5.7 upstream moves collaboration to yhub. */
  "docs-y-provider": {
    repository: "docker.io/lasuite/impress-y-provider",
    tag: "v5.7.0",
    source: "suitenumerique/docs@0043216040643beeba40876e9fb07415378775b0:CHANGELOG.md ([v5.7.0] - 2026-09-15, newest release)",
    unresolved: `${NO_DIGEST} (openDesk pins only the older v4.4.0 of this image by digest)`,
  },

  synapse: {
    repository: "ghcr.io/element-hq/synapse",
    tag: "v1.162.0",
    source: "search index files 70551417725, 70108742713, 70135962633 (newest Synapse tag the stored material shows, 2026-10)",
    unresolved: UNATTRIBUTED_DIGEST,
  },

  "element-web": {
    repository: "ghcr.io/element-hq/element-web",
    tag: "v1.12.30",
    source: "search index files 70551417725, 70108742713, 70440180767 (newest Element Web tag the stored material shows)",
    unresolved: UNATTRIBUTED_DIGEST,
  },

  valkey: {
    repository: "docker.io/valkey/valkey",
    tag: "9.1.2",
    source: "search index files 70896770668, 71289483753, 68616465479 (newest Valkey tag the stored material shows)",
    unresolved: `${UNATTRIBUTED_DIGEST}; the stored files disagree (two different digests for 9.1.2, so the tag was rebuilt)`,
  },

  /** Garage S3 object store; a FROM-scratch image holding only /garage. */
  garage: {
    repository: "docker.io/dxflrs/garage",
    tag: "v2.4.1",
    source: "search index files 71609867913, 70916838348 (newest Garage tag the stored material shows)",
    unresolved: UNATTRIBUTED_DIGEST,
  },

  // ---------------------------------------------------------------- platform (mostly Helm releases)

  "envoy-gateway": {
    repository: "docker.io/envoyproxy/gateway",
    tag: "v1.9.1",
    source: "search index file 68467679556 (pins envoyproxy/gateway:v1.9.1 together with envoy distroless-v1.39.1); chart oci://docker.io/envoyproxy/gateway-helm",
    unresolved: UNATTRIBUTED_DIGEST,
  },

  /** Data-plane proxy Envoy Gateway deploys per Gateway; the version pairs with envoy-gateway above. */
  "envoy-proxy": {
    repository: "docker.io/envoyproxy/envoy",
    tag: "distroless-v1.39.1",
    source: "search index file 68467679556 (same pin set as envoy-gateway v1.9.1)",
    unresolved: UNATTRIBUTED_DIGEST,
  },

  /** trust-manager distributes the internal CA's certificate to every namespace (internal-ca issuer). */
  "trust-manager": {
    repository: "quay.io/jetstack/trust-manager",
    tag: "v0.19.0",
    source:
      "Tag: module version v0.19.0 of github.com/cert-manager/trust-manager (pkg.go.dev, published 2025-08-11). " +
      "Repository: the chart's values (image.registry quay.io, image.repository jetstack/trust-manager), public copy in ArthurVardevanyan/HomeLab kubernetes/cert-manager/trust-values.yaml.",
    unresolved: NO_DIGEST,
  },
  "cert-manager-controller": {
    repository: "quay.io/jetstack/cert-manager-controller",
    tag: "v1.21.1",
    source:
      "/work/shared/crds/SOURCES.md (cert-manager CRDs at v1.21.1); https://github.com/Aviator-Coding/home-ops/pull/1268 (chart quay.io/jetstack/charts/cert-manager v1.21.0 → v1.21.1, 2026-08); image naming as rendered in https://github.com/linode/apl-core/pull/3135",
    unresolved: NO_DIGEST,
  },

  "cert-manager-webhook": {
    repository: "quay.io/jetstack/cert-manager-webhook",
    tag: "v1.21.1",
    source: "same release as cert-manager-controller (the chart deploys every component at the chart's appVersion)",
    unresolved: NO_DIGEST,
  },

  "cert-manager-cainjector": {
    repository: "quay.io/jetstack/cert-manager-cainjector",
    tag: "v1.21.1",
    source: "same release as cert-manager-controller; name as rendered in https://github.com/linode/apl-core/pull/3135",
    unresolved: NO_DIGEST,
  },

  "cert-manager-acmesolver": {
    repository: "quay.io/jetstack/cert-manager-acmesolver",
    tag: "v1.21.1",
    source: "same release as cert-manager-controller; name as rendered in https://github.com/linode/apl-core/pull/3135",
    unresolved: NO_DIGEST,
  },

  "cert-manager-startupapicheck": {
    repository: "quay.io/jetstack/cert-manager-startupapicheck",
    tag: "v1.21.1",
    source: "same release as cert-manager-controller (the chart deploys every component at the chart's appVersion)",
    unresolved: NO_DIGEST,
  },

  /** CloudNativePG operator. */
  /**
   * Capsule's controller and webhook (charts/platform/capsule.ts), at the chart's appVersion: the chart pinned in
   * charts/platform/releases.ts (0.14.0) runs `manager.image.tag | default (printf "v%s" .Chart.AppVersion)`.
   */
  capsule: {
    repository: "ghcr.io/projectcapsule/capsule",
    tag: "v0.14.0",
    source:
      "projectcapsule/capsule@65a4e19e028fbbb2703b888d81f02035cf36cefa (tag v0.14.0): charts/capsule/templates/_helpers.tpl " +
      "(capsule.managerFullyQualifiedDockerImage: tag defaults to v<appVersion>), .github/workflows/helm-publish.yml (app_version = the tag without its v, 0.14.0), " +
      "charts/capsule/values.yaml (manager.image.registry ghcr.io, repository projectcapsule/capsule)",
    unresolved: NO_DIGEST,
  },

  /**
   * kubectl for Capsule's Helm hook Jobs (CRD lifecycle, pre-delete). The chart's default tag is the cluster's
   * `v<major>.<minor>` (capsule.jobsTagKubeVersion), unknown before install: socle pins one instead.
   */
  "capsule-kubectl": {
    repository: "docker.io/clastix/kubectl",
    tag: "v1.35",
    source:
      "projectcapsule/capsule@65a4e19e028fbbb2703b888d81f02035cf36cefa charts/capsule/values.yaml (global.jobs.kubectl.image: docker.io, clastix/kubectl); " +
      "tag: search index file 56565845499 (a mirror catalog listing docker.io/clastix/kubectl:v1.35 beside Capsule's image)",
    unresolved: UNATTRIBUTED_DIGEST,
  },

  "cloudnative-pg": {
    repository: "ghcr.io/cloudnative-pg/cloudnative-pg",
    tag: "1.30.0",
    source:
      "https://cloudnative-pg.io/charts/index.yaml (chart cloudnative-pg 0.29.0, appVersion 1.30.0, 2026-06-29); /work/shared/crds/SOURCES.md (CRDs at v1.30.0)",
    unresolved: NO_DIGEST,
  },

  /**
   * CloudNativePG's Barman Cloud plugin (CNPG-I): database backups since the in-tree `barmanObjectStore` is
   * deprecated and cannot run on the `standard` postgres images, which ship no barman-cloud tools.
   */
  "plugin-barman-cloud": {
    repository: "ghcr.io/cloudnative-pg/plugin-barman-cloud",
    tag: "v0.13.0",
    source:
      "cloudnative-pg/charts@83bd9c59514cb7ff3692049d85ba604dcb458700:charts/plugin-barman-cloud/Chart.yaml (tag plugin-barman-cloud-v0.7.0, appVersion v0.13.0; values.yaml image ghcr.io/cloudnative-pg/plugin-barman-cloud)",
    unresolved: NO_DIGEST,
  },

  /** The plugin's sidecar in every PostgreSQL pod: it carries barman-cloud (plugin docs web/docs/images.md). */
  "plugin-barman-cloud-sidecar": {
    repository: "ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar",
    tag: "v0.13.0",
    source:
      "cloudnative-pg/charts@83bd9c59514cb7ff3692049d85ba604dcb458700:charts/plugin-barman-cloud/values.yaml (sidecarImage, tag defaults to the chart's appVersion v0.13.0)",
    unresolved: NO_DIGEST,
  },

  velero: {
    repository: "docker.io/velero/velero",
    tag: "v1.18.1",
    source:
      "/work/shared/crds/SOURCES.md (Velero CRDs at v1.18.1); image name and v-prefixed tag as in vmware-tanzu/helm-charts charts/velero/values.yaml (https://github.com/vmware-tanzu/helm-charts/commit/cd7a2117e934f627631ba3a58ff0d6581d502af2)",
    unresolved: NO_DIGEST,
  },

  "velero-plugin-for-aws": {
    repository: "docker.io/velero/velero-plugin-for-aws",
    tag: "v1.14.0",
    source: "search index file 57679714524 (velero install --plugins velero/velero-plugin-for-aws:v1.14.0); file 65812812900 pairs plugin 1.14.x with Velero 1.18.x",
    unresolved: NO_DIGEST,
  },

  prometheus: {
    repository: "quay.io/prometheus/prometheus",
    tag: "v3.13.2",
    source: "search index file 57952872195 (Prometheus 3.13.2 described as the LTS release of 2026-07-29; 3.14.0 and 3.15.0 are newer non-LTS)",
    unresolved: NO_DIGEST,
  },

  "prometheus-operator": {
    repository: "quay.io/prometheus-operator/prometheus-operator",
    // One version with the chart that installs it and its CRDs (charts/platform/releases.ts, kube-prometheus-stack
    // 91.5.0): 91.0.0 bumped the operator to v0.94.0, 91.5.1 is the first to move it to v0.94.1.
    tag: "v0.94.0",
    source:
      "https://github.com/prometheus-community/helm-charts/releases/tag/kube-prometheus-stack-91.0.0 (\"Bump prometheus-operator to v0.94.0\", #7269); " +
      "https://newreleases.io/project/github/prometheus-community/helm-charts/release/kube-prometheus-stack-91.5.1 (\"Update dependency prometheus-operator/prometheus-operator to v0.94.1\", #7312): chart 91.5.0 runs v0.94.0. " +
      "(/work/shared/crds holds the v0.93.0 CRDs used for offline schema checks.)",
    unresolved: NO_DIGEST,
  },

  "prometheus-config-reloader": {
    repository: "quay.io/prometheus-operator/prometheus-config-reloader",
    tag: "v0.94.0",
    source: "released with prometheus-operator v0.94.0, the operator of chart kube-prometheus-stack 91.5.0 (see prometheus-operator)",
    unresolved: NO_DIGEST,
  },

  /**
   * OpenCost's cost model, installed on a platform with `socle:opencost` (chart opencost 2.5.17, charts/platform/releases.ts).
   * Tag and digest are the chart's own default at that tag (`opencost.exporter.image.tag: "1.120.1@sha256:…"`).
   */
  opencost: {
    repository: "ghcr.io/opencost/opencost",
    tag: "1.120.1",
    digest: "sha256:b0701f9b54e43c9abee98f5784792a5b469ca8951e87da32b161c1fa539ab0e1",
    source: "opencost/opencost-helm-chart@725bb939d6a631a7b679cef38fe42a3d872efe64 (tag opencost-2.5.17):charts/opencost/values.yaml (opencost.exporter.image: registry ghcr.io, repository opencost/opencost, tag 1.120.1@sha256:b0701f9b…)",
  },

  /** Small HTTP client used by socle's own jobs (e.g. Garage bootstrap). */
  curl: {
    repository: "docker.io/curlimages/curl",
    tag: "8.16.0",
    source: "search index file 68578793341 (docker.io/curlimages/curl:8.16.0, newest curl tag the stored material shows)",
    unresolved: NO_DIGEST,
  },

  "victoria-logs": {
    repository: "docker.io/victoriametrics/victoria-logs",
    tag: "v1.45.0",
    source: "https://docs.victoriametrics.com/helm (chart victoria-logs-single 0.11.26, appVersion v1.45.0)",
    unresolved: `${NO_DIGEST}; also confirm the image tag carries no suffix for 1.x`,
  },

  "fluent-bit": {
    repository: "cr.fluentbit.io/fluent/fluent-bit",
    tag: "5.0.9",
    source: "search index files 70880832920 (cr.fluentbit.io/fluent/fluent-bit:5.0.9), 57987048167, 67370615397",
    unresolved: NO_DIGEST,
  },
} satisfies Record<string, ImageEntry>;
