/**
 * Stalwart (v0.16 and later, so v1.1.0 of the catalog): a small `config.json` names the database; every
 * other setting is an object in that database, loaded through the JMAP management API
 * (https://stalw.art/docs/configuration/, stalwartlabs/website docs/configuration/declarative-deployments.md).
 * Object and field names below come from the reference pages of stalwartlabs/website docs/ref/object/*.md
 * (bootstrap.md for DataStore PostgreSql and OidcDirectory, network-listener.md, authentication.md).
 */

/** Image user (caniselfhostit/caniselfhostit@87929a6fa46696b7ba32c85ef21228c9a6e7bb87:data/projects/stalwart/compose.yml). */
export const STALWART_UID = 2000;

/**
 * Container ports: unprivileged, so the server binds them without NET_BIND_SERVICE; the LoadBalancer
 * Service maps the standard ports (25, 465, 587, 993) onto them.
 */
export const STALWART_PORTS = {
  smtp: 2525,
  submissions: 4650,
  submission: 5870,
  imaps: 9930,
  /** JMAP, autoconfig, OAuth discovery; plain HTTP, TLS ends at the gateway. */
  http: 8080,
} as const;

/** Standard port published for each listener on the mail LoadBalancer. */
export const PUBLIC_MAIL_PORTS = { smtp: 25, submissions: 465, submission: 587, imaps: 993 } as const;

export const STALWART_PATHS = {
  config: "/etc/stalwart",
  tls: "/etc/stalwart/tls",
  logs: "/var/log/stalwart",
  data: "/var/lib/stalwart",
} as const;

/** Environment variable Stalwart reads the database password from (SecretKeyEnvironmentVariable). */
export const DB_PASSWORD_ENV = "STALWART_DB_PASSWORD";

/** `config.json`: the PostgreSQL data store; the password is named, never written. */
export function dataStoreConfig(db: { readonly host: string; readonly database: string; readonly user: string; readonly poolMaxConnections: number }): string {
  const store = {
    "@type": "PostgreSql",
    host: db.host,
    port: 5432,
    database: db.database,
    authUsername: db.user,
    authSecret: { "@type": "EnvironmentVariable", variableName: DB_PASSWORD_ENV },
    // CloudNativePG serves TLS with its own CA; the connection stays inside the namespace's NetworkPolicies.
    useTls: false,
    poolMaxConnections: db.poolMaxConnections,
  };
  return JSON.stringify(store, null, 2) + "\n";
}

export interface ProvisioningInput {
  /** Public mail hostname (SMTP greeting, certificate name). */
  readonly hostname: string;
  /** Mail domain of the organisation's addresses. */
  readonly domain: string;
  readonly issuerUrl: string;
  /** OIDC client whose access tokens Stalwart accepts (their `aud` must contain it). */
  readonly audience: string;
}

type MethodCall = [string, Record<string, unknown>, string];

/**
 * A NetworkListener. `name` is required: Stalwart's registry rejects an empty one
 * (stalwartlabs/stalwart branch v1.0.0 @ f4514059ef1df27d07c1968cf55433389d010670,
 * crates/registry/src/schema/structs_impl.rs `impl ObjectImpl for NetworkListener`:
 * `if value.is_empty() { errors.push(ValidationError::required(Property::Name)) }`; `bind` needs one item).
 * Protocol names from crates/registry/src/schema/enums_impl.rs (`smtp`, `lmtp`, `http`, `imap`, `pop3`, `manageSieve`).
 */
const listener = (name: string, port: number, protocol: "smtp" | "imap" | "http", tls: { useTls: boolean; tlsImplicit: boolean }) => ({
  name,
  bind: [`0.0.0.0:${port}`],
  protocol,
  useTls: tls.useTls,
  tlsImplicit: tls.tlsImplicit,
  // TLS 1.2 is the lowest version Stalwart implements (TlsVersion: tls12, tls13); nothing to disable.
  tlsDisableProtocols: [],
});

/** One JMAP request: creation ids (`#tls`, `#domain`, `#keycloak`) link objects created in the same request (RFC 8620 §5.3). */
function request(methodCalls: MethodCall[]): string {
  return JSON.stringify({ using: ["urn:ietf:params:jmap:core", "urn:stalwart:jmap"], methodCalls }, null, 2) + "\n";
}

/** Asks whether the domain exists already: the provisioning is applied once, on an empty database. */
export function domainQuery(domain: string): string {
  return request([["x:Domain/query", { filter: { name: domain } }, "q"]]);
}

/**
 * The first configuration of an empty database: listeners on the unprivileged ports (replacing any
 * default listener, which would bind privileged ports and fail as non-root), the cert-manager certificate
 * read from files, the domain with DKIM keys generated and kept by Stalwart, and Keycloak as the
 * directory (OAUTHBEARER/XOAUTH2 with the realm's access tokens).
 */
export function initialConfiguration(i: ProvisioningInput): string {
  const P = STALWART_PORTS;
  return request([
    ["x:NetworkListener/query", { filter: {} }, "existing"],
    ["x:NetworkListener/set", { "#destroy": { resultOf: "existing", name: "x:NetworkListener/query", path: "/ids" } }, "clear"],
    [
      "x:NetworkListener/set",
      {
        create: {
          smtp: listener("smtp", P.smtp, "smtp", { useTls: true, tlsImplicit: false }),
          submissions: listener("submissions", P.submissions, "smtp", { useTls: true, tlsImplicit: true }),
          submission: listener("submission", P.submission, "smtp", { useTls: true, tlsImplicit: false }),
          imaps: listener("imaps", P.imaps, "imap", { useTls: true, tlsImplicit: true }),
          http: listener("http", P.http, "http", { useTls: false, tlsImplicit: false }),
        },
      },
      "listeners",
    ],
    [
      "x:Certificate/set",
      {
        create: {
          tls: {
            certificate: { "@type": "File", filePath: `${STALWART_PATHS.tls}/tls.crt` },
            privateKey: { "@type": "File", filePath: `${STALWART_PATHS.tls}/tls.key` },
          },
        },
      },
      "certificate",
    ],
    [
      "x:Domain/set",
      {
        create: {
          domain: {
            name: i.domain,
            certificateManagement: { "@type": "Manual" },
            // Stalwart generates the DKIM keys and keeps the private halves in its database.
            dkimManagement: { "@type": "Automatic" },
            dnsManagement: { "@type": "Manual" },
          },
        },
      },
      "domain",
    ],
    [
      "x:Directory/set",
      {
        create: {
          keycloak: {
            "@type": "Oidc",
            description: "Keycloak realm",
            issuerUrl: i.issuerUrl,
            requireAudience: i.audience,
            requireScopes: ["openid", "email"],
            claimUsername: "preferred_username",
            usernameDomain: i.domain,
            claimName: "name",
          },
        },
      },
      "directory",
    ],
    ["x:Authentication/set", { update: { singleton: { directoryId: "#keycloak" } } }, "authentication"],
    ["x:SystemSettings/set", { update: { singleton: { defaultHostname: i.hostname, defaultDomainId: "#domain", defaultCertificateId: "#tls" } } }, "settings"],
  ]);
}

/**
 * Where Stalwart answers JMAP: `POST /jmap` (stalwartlabs/stalwart branch v1.0.0 @ f4514059,
 * crates/http/src/request.rs, `"jmap" => match (path.next(), method) { ("", POST) => handle_jmap_request }`).
 * `/api/*` is only its management REST routes (`auth`, `discover`, `account`, `schema`, `token`, `live`:
 * crates/http/src/api/mod.rs), where a JMAP request body gets 404.
 */
export const STALWART_JMAP_PATH = "/jmap";

/**
 * Runs beside a Stalwart started in recovery mode (same pod, `127.0.0.1`): waits for its management
 * listener, applies the initial configuration when the domain is absent, and fails on any JMAP
 * `notCreated`/`notUpdated`/`notDestroyed` or method error so the Job reports it.
 */
export function provisionScript(domain: string): string {
  return `set -eu
api="http://127.0.0.1:${STALWART_PORTS.http}${STALWART_JMAP_PATH}"
call() { curl -fsS --max-time 30 -u "$STALWART_ADMIN" -H 'Content-Type: application/json' --data-binary "@$1" "$api"; }
i=0
until curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:${STALWART_PORTS.http}/"; do
  i=$((i + 1)); [ "$i" -lt 120 ] || { echo "stalwart-provision: Stalwart did not start" >&2; exit 1; }
  sleep 5
done
found=$(call /plan/domain-query.json)
if printf '%s' "$found" | grep -Eq '"ids" *: *\\[ *"'; then
  echo "stalwart-provision: domain ${domain} already configured; nothing to do"; exit 0
fi
printf '%s' "$found" | grep -Eq '"ids" *: *\\[ *\\]' || { echo "stalwart-provision: unexpected answer to the domain query" >&2; exit 1; }
out=$(call /plan/initial.json)
if printf '%s' "$out" | grep -Eq 'notCreated|notUpdated|notDestroyed|"error"'; then
  echo "stalwart-provision: the server refused part of the configuration:" >&2; printf '%s\\n' "$out" >&2; exit 1
fi
echo "stalwart-provision: initial configuration applied for ${domain}"
`;
}
