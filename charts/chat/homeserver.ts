import { stringify } from "yaml";

/**
 * Synapse configuration, split in two files that Synapse merges (`--config-path` given twice; top-level
 * keys of the later file win): `homeserver.yaml` in a ConfigMap holds no secret; `secrets.yaml` in a
 * Secret holds every key that carries one, whole (the merge is by top-level key, so `database` and
 * `oidc_providers` move there entirely). Option names: element-hq/synapse
 * docs/usage/configuration/config_documentation.md and docs/openid.md (Keycloak section).
 */

export const SYNAPSE_PORT = 8008;
/** Image default user and group (matrix-org/synapse issue 14961; `UID`/`GID` defaults of docker/start.py). */
export const SYNAPSE_UID = 991;
export const SYNAPSE_PATHS = {
  config: "/config",
  secrets: "/secrets",
  media: "/data/media_store",
} as const;

export interface HomeserverInput {
  /** The Matrix domain of user ids (`@alice:<serverName>`); cannot change after the first start. */
  readonly serverName: string;
  /** Public hostname where clients reach Synapse (and Element). */
  readonly publicHostname: string;
  /** Servers this one may federate with; empty: no federation at all. */
  readonly federationAllowlist: readonly string[];
  readonly maxUploadSize: string;
}

/** `homeserver.yaml`: everything but secrets. */
export function homeserverConfig(i: HomeserverInput): string {
  const base = `https://${i.publicHostname}/`;
  const federation = i.federationAllowlist.length > 0;
  const config = {
    server_name: i.serverName,
    public_baseurl: base,
    web_client_location: base,
    // `/.well-known/matrix/server` is served (by Element's nginx) only when federation is allowed.
    serve_server_wellknown: false,
    listeners: [
      {
        port: SYNAPSE_PORT,
        type: "http",
        tls: false,
        bind_addresses: ["0.0.0.0"],
        x_forwarded: true,
        // No federation resource unless federation is allowed: the server-to-server API is not even served.
        resources: [{ names: federation ? ["client", "federation"] : ["client"], compress: false }],
      },
    ],
    log_config: `${SYNAPSE_PATHS.config}/log.config`,
    media_store_path: SYNAPSE_PATHS.media,
    max_upload_size: i.maxUploadSize,
    signing_key_path: `${SYNAPSE_PATHS.secrets}/signing.key`,
    report_stats: false,
    enable_metrics: false,
    // Accounts come from the identity provider only.
    enable_registration: false,
    password_config: { enabled: false },
    sso: { client_whitelist: [base] },
    // An empty list (not an absent key) denies every remote server: synapse/config/federation.py keeps
    // `None` only when the key is absent, and federation checks refuse any destination not in the dict.
    federation_domain_whitelist: [...i.federationAllowlist].sort(),
    allow_public_rooms_over_federation: false,
    allow_public_rooms_without_auth: false,
    url_preview_enabled: false,
    require_auth_for_profile_requests: true,
    limit_profile_requests_to_users_who_share_rooms: true,
    user_directory: { enabled: true, search_all_users: false },
    suppress_key_server_warning: true,
  };
  return stringify(config, { lineWidth: 0 });
}

/** Python logging configuration: everything to the console, where the log collector reads it. */
export function logConfig(): string {
  return stringify(
    {
      version: 1,
      formatters: { precise: { format: "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(message)s" } },
      handlers: { console: { class: "logging.StreamHandler", formatter: "precise" } },
      loggers: { "synapse.storage.SQL": { level: "INFO" } },
      root: { level: "INFO", handlers: ["console"] },
      disable_existing_loggers: false,
    },
    { lineWidth: 0 },
  );
}

export interface SynapseSecretValues {
  readonly database: { readonly host: string; readonly name: string; readonly user: string; readonly password: string; readonly poolMax: number };
  readonly registrationSharedSecret: string;
  readonly macaroonSecretKey: string;
  readonly formSecret: string;
  readonly oidc: { readonly issuer: string; readonly clientId: string; readonly clientSecret: string; readonly displayName: string };
}

/** `secrets.yaml`: built by the component from generated values and delivered only as a Secret. */
export function secretConfig(s: SynapseSecretValues): string {
  return stringify(
    {
      registration_shared_secret: s.registrationSharedSecret,
      macaroon_secret_key: s.macaroonSecretKey,
      form_secret: s.formSecret,
      database: {
        name: "psycopg2",
        args: { user: s.database.user, password: s.database.password, database: s.database.name, host: s.database.host, port: 5432, cp_min: 5, cp_max: s.database.poolMax },
      },
      oidc_providers: [
        {
          idp_id: "keycloak",
          idp_name: s.oidc.displayName,
          issuer: s.oidc.issuer,
          client_id: s.oidc.clientId,
          client_secret: s.oidc.clientSecret,
          scopes: ["openid", "profile", "email"],
          user_mapping_provider: {
            config: {
              localpart_template: "{{ user.preferred_username }}",
              display_name_template: "{{ user.name }}",
              email_template: "{{ user.email }}",
            },
          },
          backchannel_logout_enabled: true,
        },
      ],
      // Not secret, but a literal list under a key-named option trips the ConfigMap secret heuristic;
      // the empty list keeps Synapse from asking matrix.org for server keys.
      trusted_key_servers: [],
    },
    { lineWidth: 0 },
  );
}

/**
 * A Synapse signing key file from a 32-byte ed25519 seed in base64 (what `random.RandomBytes({length: 32}).base64`
 * gives): one line `ed25519 <key id> <unpadded base64 seed>`, signedjson's `read_signing_keys` format as
 * written by Synapse's `generate_signing_key`. The seed is passed through, not decoded, so that it stays the
 * exact generated value (and a render's leak check still recognises it).
 */
export function signingKeyFile(seedBase64: string, keyId = "a_socle"): string {
  if (!/^a_[A-Za-z0-9_]+$/.test(keyId)) throw new Error(`signingKeyFile: key id ${keyId} must look like a_<letters, digits, _>`);
  if (seedBase64.trim() === "") throw new Error("signingKeyFile: the ed25519 seed is empty");
  return `ed25519 ${keyId} ${seedBase64.trim().replace(/=+$/, "")}\n`;
}
