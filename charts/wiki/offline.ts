/**
 * XWiki's first start with no Internet access. The official image carries the WAR but not the wiki's pages:
 * on an empty database the Distribution Wizard installs a flavour, downloading it from XWiki's extension
 * repository, which the namespace's NetworkPolicies (rightly) deny. socle's derived image (images/xwiki)
 * ships the XWiki Standard flavour as an offline extension repository (the flavour's XIP package) and the
 * OpenID Connect Authenticator in WEB-INF/lib. The pod's init container copies that repository into the
 * permanent directory, and these settings make the distribution job install the flavour by itself:
 *
 * - `distribution.defaultUI` / `distribution.defaultWikiUI`: the flavour of the main wiki and of sub-wikis
 *   (xwiki/xwiki-platform@1c43b4c6a53e0ca72f56a7874da568780b0e756a, xwiki-platform-core/xwiki-platform-extension/
 *   xwiki-platform-extension-distribution/src/main/java/org/xwiki/extension/distribution/internal/DefaultDistributionManager.java);
 * - `distribution.job.interactive=false` / `distribution.job.interactive.wiki=false`: run the job without
 *   waiting for an administrator (since 17.4.0RC1: xwiki/xwiki-platform@7d60878bd0184c3051e6bb45aad4a075f692abef,
 *   same module, DistributionConfiguration.java).
 */
export const XWIKI_FLAVOR = {
  mainWiki: "org.xwiki.platform:xwiki-platform-distribution-flavor-mainwiki",
  subWiki: "org.xwiki.platform:xwiki-platform-distribution-flavor-wiki",
} as const;

/** Where the derived image keeps the flavour's extension repository (images/xwiki/Dockerfile). */
export const IMAGE_EXTENSION_REPOSITORY = "/opt/socle/xwiki/extension-repository";
/** XWiki's local extension repository under the permanent directory (`<permanentDirectory>/extension/repository`). */
export const PERMANENT_EXTENSION_REPOSITORY = "/usr/local/xwiki/data/extension/repository";

export const DISTRIBUTION_PROPERTIES: readonly string[] = [
  "# socle: install the flavour at first start, offline, without the interactive wizard",
  `distribution.defaultUI=${XWIKI_FLAVOR.mainWiki}`,
  `distribution.defaultWikiUI=${XWIKI_FLAVOR.subWiki}`,
  "distribution.job.interactive=false",
  "distribution.job.interactive.wiki=false",
];

/**
 * Shell steps of the init container: stage the image's repository into the permanent directory without
 * overwriting any file already there (XWiki records the install state of extensions in that repository's
 * descriptors: a pristine copy must not replace them), then append the distribution settings to the webapp
 * copy's xwiki.properties. The no-clobber copy is written with find and test rather than `cp -n`, whose exit
 * status changed across coreutils releases.
 */
export function offlineSteps(webInf: string): string[] {
  return [
    `test -d ${IMAGE_EXTENSION_REPOSITORY} || { echo "xwiki: ${IMAGE_EXTENSION_REPOSITORY} is missing: this is not socle's derived image (images/xwiki)" >&2; exit 1; }`,
    `ls ${webInf}/lib/oidc-authenticator-*.jar >/dev/null 2>&1 || { echo "xwiki: the OpenID Connect Authenticator is not in WEB-INF/lib: build the image from images/xwiki" >&2; exit 1; }`,
    `mkdir -p ${PERMANENT_EXTENSION_REPOSITORY}`,
    `cd ${IMAGE_EXTENSION_REPOSITORY}`,
    `find . -type d -exec mkdir -p ${PERMANENT_EXTENSION_REPOSITORY}/{} \\;`,
    `find . -type f -exec sh -c 'for f; do [ -e "${PERMANENT_EXTENSION_REPOSITORY}/$f" ] || cp "$f" "${PERMANENT_EXTENSION_REPOSITORY}/$f"; done' sh {} +`,
    "cd /",
    `printf '\\n' >> ${webInf}/xwiki.properties`,
    ...DISTRIBUTION_PROPERTIES.map((line) => `printf '%s\\n' '${line}' >> ${webInf}/xwiki.properties`),
  ];
}
