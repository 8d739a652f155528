import type { k8s } from "../lib/k8s";
import { defineSecret, type SecretContract, type SecretKeys } from "../../src/model/secrets";
import { databaseCredentials } from "../lib/secrets";

/**
 * Environment of the Docs (impress) containers. Names and meanings are upstream's:
 * suitenumerique/docs `docs/env.md` (commit 0fca6db79c81870a267e87c669c41e5ef77ca8b6),
 * `env.d/production.dist/{backend,yprovider}` (commit 01e13f87b3325e95bacbaeea80da50216780fda3),
 * `src/backend/impress/settings.py` (commit 00cc95aa05497c8f8553be1bb994d96e074bbd47) and
 * `src/frontend/servers/y-provider/src/env.ts` (commit 9427b17a15986d58ba801e1a5222ae5819d87485).
 * Secret values only ever come from Secrets (`secretKeyRef`).
 */

export const DOCS_PORTS = { backend: 8000, frontend: 8080, yProvider: 4444 } as const;

export const DOCS_APP_SECRET_KEYS = [
  "DJANGO_SECRET_KEY",
  "OIDC_RP_CLIENT_SECRET",
  "COLLABORATION_SERVER_SECRET",
  "Y_PROVIDER_API_KEY",
  "VALKEY_PASSWORD",
  "REDIS_URL",
  "DJANGO_CELERY_BROKER_URL",
] as const;

/** The Secrets the component creates before the workloads, by contract (src/model/secrets.ts). */
export const DOCS_SECRETS = {
  /** basic-auth: username, password (the database owner). */
  db: databaseCredentials("docs-db-app"),
  /** The app's own secrets, among them the OIDC client's (`OIDC_RP_CLIENT_SECRET`). */
  app: defineSecret("docs-app", DOCS_APP_SECRET_KEYS),
  /** The media bucket's key. */
  media: defineSecret("docs-media-s3", ["AWS_S3_ACCESS_KEY_ID", "AWS_S3_SECRET_ACCESS_KEY"]),
} as const;

export const DOCS_DB_NAME = "docs-db";
export const DOCS_DATABASE = "docs";
export const DOCS_VALKEY = "docs-valkey";

export interface DocsSettingsInput {
  readonly namespace: string;
  readonly hostname: string;
  /** OIDC issuer of the realm (`https://<identity host>/realms/<realm>`) and the client id. */
  readonly oidc: { readonly issuerUrl: string; readonly clientId: string };
  readonly media: { readonly endpointURL: string; readonly bucket: string; readonly region: string };
  readonly gunicornWorkers: number;
  /** Path of a mounted CA bundle the Python and Node clients must trust (private issuer), if any. */
  readonly caBundlePath?: string;
}

type EnvVar = k8s.EnvVar;
const plain = (name: string, value: string): EnvVar => ({ name, value });
/** `name` read from `secret`'s key of the same name, or from `key`: a key the contract lacks does not compile. */
function fromSecret<C extends SecretContract>(name: string & SecretKeys<C>, secret: C): EnvVar;
function fromSecret<C extends SecretContract>(name: string, secret: C, key: SecretKeys<C>): EnvVar;
function fromSecret(name: string, secret: SecretContract, key: string = name): EnvVar {
  return secret.env(name, key);
}

/** Keycloak's OpenID Connect endpoints under a realm issuer. */
export function keycloakEndpoints(issuerUrl: string) {
  const base = `${issuerUrl.replace(/\/+$/, "")}/protocol/openid-connect`;
  return { authorization: `${base}/auth`, token: `${base}/token`, userinfo: `${base}/userinfo`, jwks: `${base}/certs`, logout: `${base}/logout` };
}

/** Backend, Celery worker and migration job share one environment, as upstream's chart does (`backend.envVars`). */
export function backendEnv(s: DocsSettingsInput): EnvVar[] {
  const origin = `https://${s.hostname}`;
  const kc = keycloakEndpoints(s.oidc.issuerUrl);
  const yProvider = `http://docs-y-provider.${s.namespace}.svc:${DOCS_PORTS.yProvider}`;
  return [
    plain("DJANGO_CONFIGURATION", "Production"),
    plain("DJANGO_SETTINGS_MODULE", "impress.settings"),
    // The pod's own address is added by the Production settings (kubelet probes); the service names
    // cover in-cluster callers. Django ListValue: comma-separated.
    plain("DJANGO_ALLOWED_HOSTS", [s.hostname, "docs-backend", `docs-backend.${s.namespace}.svc`].join(",")),
    plain("DJANGO_CSRF_TRUSTED_ORIGINS", origin),
    fromSecret("DJANGO_SECRET_KEY", DOCS_SECRETS.app),
    plain("PYTHONDONTWRITEBYTECODE", "1"),
    plain("HOME", "/tmp"),
    plain("GUNICORN_CMD_ARGS", `--workers ${s.gunicornWorkers}`),
    plain("LOGGING_LEVEL_LOGGERS_ROOT", "INFO"),
    plain("LOGGING_LEVEL_LOGGERS_APP", "INFO"),
    plain("DB_HOST", `${DOCS_DB_NAME}-rw`),
    plain("DB_PORT", "5432"),
    plain("DB_NAME", DOCS_DATABASE),
    fromSecret("DB_USER", DOCS_SECRETS.db, "username"),
    fromSecret("DB_PASSWORD", DOCS_SECRETS.db, "password"),
    fromSecret("REDIS_URL", DOCS_SECRETS.app),
    fromSecret("DJANGO_CELERY_BROKER_URL", DOCS_SECRETS.app),
    plain("AWS_S3_ENDPOINT_URL", s.media.endpointURL),
    plain("AWS_S3_REGION_NAME", s.media.region),
    plain("AWS_STORAGE_BUCKET_NAME", s.media.bucket),
    fromSecret("AWS_S3_ACCESS_KEY_ID", DOCS_SECRETS.media),
    fromSecret("AWS_S3_SECRET_ACCESS_KEY", DOCS_SECRETS.media),
    plain("MEDIA_BASE_URL", origin),
    plain("OIDC_OP_AUTHORIZATION_ENDPOINT", kc.authorization),
    plain("OIDC_OP_TOKEN_ENDPOINT", kc.token),
    plain("OIDC_OP_USER_ENDPOINT", kc.userinfo),
    plain("OIDC_OP_JWKS_ENDPOINT", kc.jwks),
    plain("OIDC_OP_LOGOUT_ENDPOINT", kc.logout),
    plain("OIDC_RP_CLIENT_ID", s.oidc.clientId),
    fromSecret("OIDC_RP_CLIENT_SECRET", DOCS_SECRETS.app),
    plain("OIDC_RP_SIGN_ALGO", "RS256"),
    plain("OIDC_RP_SCOPES", "openid email"),
    // First sign-in of a realm user creates the Docs account (upstream default is false, per docs/env.md).
    plain("OIDC_CREATE_USER", "True"),
    plain("OIDC_USE_PKCE", "True"),
    plain("OIDC_USERINFO_SHORTNAME_FIELD", "given_name"),
    plain("OIDC_USERINFO_FULLNAME_FIELDS", "given_name,family_name"),
    plain("OIDC_REDIRECT_ALLOWED_HOSTS", JSON.stringify([origin])),
    plain("OIDC_REDIRECT_REQUIRE_HTTPS", "True"),
    plain("LOGIN_REDIRECT_URL", origin),
    plain("LOGIN_REDIRECT_URL_FAILURE", origin),
    plain("LOGOUT_REDIRECT_URL", origin),
    // The browser opens the websocket on the public host; the backend calls the y-provider in-cluster.
    plain("COLLABORATION_WS_URL", `wss://${s.hostname}/collaboration/ws/`),
    plain("COLLABORATION_API_URL", `${yProvider}/collaboration/api/`),
    fromSecret("COLLABORATION_SERVER_SECRET", DOCS_SECRETS.app),
    plain("Y_PROVIDER_API_BASE_URL", `${yProvider}/api/`),
    fromSecret("Y_PROVIDER_API_KEY", DOCS_SECRETS.app),
    // No third-party services: AI, analytics and marketing stay off.
    plain("AI_FEATURE_ENABLED", "False"),
    plain("SIGNUP_NEW_USER_TO_MARKETING_EMAIL", "False"),
    ...(s.caBundlePath ? [plain("REQUESTS_CA_BUNDLE", s.caBundlePath), plain("SSL_CERT_FILE", s.caBundlePath)] : []),
  ];
}

/**
 * The collaboration server. It checks each websocket's document rights by calling the backend with the
 * browser's cookies; the backend's Production settings redirect plain HTTP to HTTPS, so the call goes to
 * the public address (as upstream's production example does), through the gateway.
 */
export function yProviderEnv(s: DocsSettingsInput): EnvVar[] {
  const origin = `https://${s.hostname}`;
  return [
    plain("PORT", String(DOCS_PORTS.yProvider)),
    plain("COLLABORATION_SERVER_ORIGIN", origin),
    plain("COLLABORATION_BACKEND_BASE_URL", origin),
    plain("COLLABORATION_LOGGING", "false"),
    fromSecret("COLLABORATION_SERVER_SECRET", DOCS_SECRETS.app),
    fromSecret("Y_PROVIDER_API_KEY", DOCS_SECRETS.app),
    plain("HOME", "/tmp"),
    ...(s.caBundlePath ? [plain("NODE_EXTRA_CA_CERTS", s.caBundlePath)] : []),
  ];
}
