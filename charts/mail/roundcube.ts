/**
 * Roundcube (official image, `-nonroot` Apache variant). Facts from roundcube/roundcubemail-docker:
 * apache/nonroot-add.txt (Apache listens on 8000), templates/docker-entrypoint.sh (env variables, the
 * `/var/roundcube/config/*.php` includes, the config files it writes under the docroot), and
 * templates/Dockerfile-debian.templ (sources in /usr/src/roundcubemail, copied to the docroot at start).
 */

export const ROUNDCUBE_PORT = 8000;
/** `www-data` of the Debian-based php image (Debian base-passwd: uid 33), the user of the -nonroot variant. */
export const ROUNDCUBE_UID = 33;
/** Extra configuration files the entrypoint includes after its own. */
export const ROUNDCUBE_CONFIG_DIR = "/var/roundcube/config";
/** Where Roundcube sends the browser back after Keycloak (Roundcube's OAuth2 login route). */
export const ROUNDCUBE_OAUTH_CALLBACK = "/index.php/login/oauth";

export interface RoundcubeInput {
  readonly providerName: string;
  readonly issuerUrl: string;
  readonly clientId: string;
  /** Mail domain appended to the Keycloak username: Stalwart maps the same claim the same way. */
  readonly domain: string;
  /** Name on Stalwart's certificate: Roundcube connects in-cluster but checks the certificate against it. */
  readonly mailHostname: string;
  /** CA file to trust for Stalwart's certificate (private issuer); absent: the image's system store. */
  readonly caFile?: string;
}

const php = (v: unknown): string => {
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return `[${v.map(php).join(", ")}]`;
  if (v && typeof v === "object") return `[${Object.entries(v).map(([k, x]) => `${php(k)} => ${php(x)}`).join(", ")}]`;
  throw new Error(`roundcube config: cannot write ${String(v)} as PHP`);
};

/**
 * `socle.inc.php`: OAuth2 login against the realm (no password form), and IMAP/SMTP with the user's
 * access token. Roundcube's OAuth sends the token with XOAUTH2 (forced for SMTP: roundcube/roundcubemail
 * issue 9183); Stalwart accepts XOAUTH2 and OAUTHBEARER on IMAP and SMTP
 * (stalwartlabs/stalwart crates/imap/src/op/authenticate.rs, crates/smtp/src/inbound/auth.rs).
 * No secret here: the client secret and the des_key reach the entrypoint as environment variables.
 */
export function roundcubeConfig(i: RoundcubeInput): string {
  const endpoint = (p: string) => `${i.issuerUrl}/protocol/openid-connect/${p}`;
  const tls = { ssl: { verify_peer: true, verify_peer_name: true, peer_name: i.mailHostname, ...(i.caFile ? { cafile: i.caFile } : {}) } };
  const settings: [string, unknown][] = [
    ["oauth_provider", "generic"],
    ["oauth_provider_name", i.providerName],
    ["oauth_client_id", i.clientId],
    ["oauth_auth_uri", endpoint("auth")],
    ["oauth_token_uri", endpoint("token")],
    ["oauth_identity_uri", endpoint("userinfo")],
    ["oauth_scope", "openid email profile"],
    ["oauth_identity_fields", ["preferred_username"]],
    ["oauth_login_redirect", true],
    // Passed to Guzzle as its `verify` option (roundcube/roundcubemail release-1.7 @ 28f075e5d2c8e44c0f404111d962a356a9fc9db0,
    // program/include/rcmail_oauth.php: `'verify' => $this->options['verify_peer']`, read from `oauth_verify_peer`;
    // config/defaults.inc.php points at https://docs.guzzlephp.org/en/stable/request-options.html#verify):
    // `true` is the system store, a path is the CA bundle to trust. With a private issuer the token and
    // userinfo calls to https://auth.<domain> must trust its root, so the path of the mounted bundle.
    ["oauth_verify_peer", i.caFile ?? true],
    ["username_domain", i.domain],
    ["use_https", true],
    ["imap_conn_options", tls],
    ["smtp_conn_options", tls],
    ["smtp_user", "%u"],
    ["smtp_pass", "%p"],
    ["log_driver", "stdout"],
  ];
  return ["<?php", ...settings.map(([k, v]) => `$config[${php(k)}] = ${php(v)};`), ""].join("\n");
}
