import type { Peer } from "../lib/network";

/**
 * XWiki's single sign-on: the OpenID Connect Authenticator extension (`org.xwiki.contrib.oidc:oidc-authenticator`,
 * xwiki-contrib/oidc, installed at farm level) configured against the organisation's Keycloak realm.
 *
 * The image has no environment mapping for the extension; it reads `xwiki.cfg` and `xwiki.properties` from
 * WEB-INF. The wiki's init container already copies the webapp into a volume; it appends the settings below
 * to those two files there, and the client secret from the Secret-sourced environment, so the secret never
 * sits in a ConfigMap. The image's entrypoint only rewrites its own keys in place (xwiki/xwiki-docker,
 * 17/postgres-tomcat/xwiki/docker-entrypoint.sh, `xwiki_replace`), so appended lines survive it.
 */
export interface WikiSso {
  /** The realm's issuer: the authenticator reads its discovery document for every endpoint (`oidc.provider`, extension ≥ 2.4.0). */
  readonly issuerUrl: string;
  readonly clientId: string;
  /** Secret and key holding the client secret. */
  readonly clientSecret: { readonly name: string; readonly key: string };
  /** The gateway's proxies, reached when XWiki calls Keycloak's public hostname. */
  readonly publicGateway: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  /** ConfigMap with the CA that signs Keycloak's certificate (private issuer), added to the JVM's truststore. */
  readonly caBundle?: { readonly configMap: string; readonly key: string };
}

export const WIKI_OIDC_CONFIGMAP = "xwiki-oidc";
/** Authentication service of the extension (xwiki.cfg `xwiki.authentication.authclass`). */
export const OIDC_AUTH_CLASS = "org.xwiki.contrib.oidc.auth.OIDCAuthServiceImpl";
const OIDC_DIR = "/etc/socle/oidc";
const CA_DIR = "/etc/socle/ca";

/**
 * A copy of the JRE's default truststore plus the internal CA, in an emptyDir. `changeit` is the JDK's
 * documented default password of `cacerts`: the store holds public certificates only.
 */
export const XWIKI_TRUSTSTORE = {
  dir: "/etc/socle/truststore",
  javaOpts: "-Djavax.net.ssl.trustStore=/etc/socle/truststore/cacerts -Djavax.net.ssl.trustStorePassword=changeit",
} as const;

/**
 * Non-secret settings, by file. Property names from xwiki-contrib/oidc
 * (oidc-authenticator/.../OIDCClientConfiguration.java): `oidc.provider`, `oidc.clientid`,
 * `oidc.endpoint.token.auth_method`, `oidc.scope`, `oidc.user.nameFormater`, `oidc.skipped`.
 */
export function wikiOidcConfig(sso: WikiSso): Record<string, string> {
  const properties = [
    "# socle: single sign-on through the organisation's Keycloak realm",
    `oidc.provider=${sso.issuerUrl}`,
    `oidc.clientid=${sso.clientId}`,
    "oidc.endpoint.token.auth_method=client_secret_basic",
    "oidc.scope=openid,profile,email",
    // Stable wiki user names from the realm's user name, instead of the default `<issuer host>-<name>`.
    "oidc.user.nameFormater=${oidc.user.preferredUsername._clean._lowerCase}",
    "oidc.skipped=false",
  ];
  return {
    "xwiki.properties": `${properties.join("\n")}\n`,
    "xwiki.cfg": `xwiki.authentication.authclass=${OIDC_AUTH_CLASS}\n`,
  };
}

/** The init container's SSO steps: append the OIDC settings and secret, build the truststore. */
export function ssoSteps(webInf: string, sso: WikiSso): string[] {
  const steps = [
    `printf '\\n' >> ${webInf}/xwiki.properties`,
    `cat ${OIDC_DIR}/xwiki.properties >> ${webInf}/xwiki.properties`,
    `printf 'oidc.secret=%s\\n' "$OIDC_CLIENT_SECRET" >> ${webInf}/xwiki.properties`,
    `printf '\\n' >> ${webInf}/xwiki.cfg`,
    `cat ${OIDC_DIR}/xwiki.cfg >> ${webInf}/xwiki.cfg`,
  ];
  if (sso.caBundle) {
    const store = `${XWIKI_TRUSTSTORE.dir}/cacerts`;
    steps.push(
      `cp "$JAVA_HOME/lib/security/cacerts" ${store}`,
      `chmod u+w ${store}`,
      `keytool -importcert -noprompt -alias socle-ca -file ${CA_DIR}/${sso.caBundle.key} -keystore ${store} -storepass changeit`,
    );
  }
  return steps;
}

/** The init container's script: copy the webapp, then the SSO steps. */
export function wikiStartScript(webappDir: string, target: string, sso: WikiSso): string {
  return ["set -eu", `cp -a ${webappDir}/. ${target}/`, ...ssoSteps(`${target}/WEB-INF`, sso)].join("\n");
}
