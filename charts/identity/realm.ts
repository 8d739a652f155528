/**
 * The organisation's Keycloak realm, as a realm representation (the JSON `--import-realm` reads).
 * Pure: the same clients and settings give the same realm. Secrets never appear in it: each client's
 * secret is a `${ENV}` placeholder that Keycloak resolves from its environment at import (Keycloak server
 * guide, "Using environment variables within the realm configuration files").
 */

export interface RealmClient {
  readonly clientId: string;
  readonly name: string;
  readonly rootUrl: string;
  readonly redirectUris: readonly string[];
  /** Apps that send a PKCE challenge (S256); enforcing it on others would break their sign-in. */
  readonly pkce: boolean;
  /** Back-channel logout endpoint of the app, when it has one. */
  readonly backchannelLogoutUrl?: string;
}

export interface RealmProps {
  readonly name: string;
  readonly displayName: string;
  readonly clients: readonly RealmClient[];
  /** Upstream OpenID Connect providers agents sign in with (e.g. ProConnect); none by default. */
  readonly federation?: readonly Federation[];
  /**
   * With a federation: whether agents may still sign in with a local password. False: only members of
   * ADMIN_GROUP (break-glass administrators, with their one-time code) pass the password form.
   */
  readonly localPasswords?: boolean;
}

export interface Federation {
  /** Alias of the identity provider in the realm, also its broker endpoint path segment. */
  readonly alias: string;
  readonly displayName: string;
  /** Issuer of the upstream provider; its discovery document (`<issuer>/.well-known/openid-configuration`) gives the endpoints. */
  readonly issuer: string;
  readonly clientId: string;
  /** Endpoints from the provider's discovery document. */
  readonly endpoints: { readonly authorization: string; readonly token: string; readonly jwks: string; readonly userinfo?: string; readonly endSession?: string };
  /** Scopes requested at the provider (`openid` first). */
  readonly scopes?: readonly string[];
  /** `acr` values accepted from the provider; empty: no assurance level enforced, a local one-time code is asked instead. */
  readonly acrValues?: readonly string[];
  /** Claims copied to the local account. */
  readonly claims?: { readonly username: string; readonly email: string; readonly firstName: string; readonly lastName: string };
}

/** Realm role granted to break-glass administrators (through ADMIN_GROUP): the only accounts that may use a local password once federated. */
export const LOCAL_LOGIN_ROLE = "socle-local-login";
/** Realm role a federated sign-in carries only when the provider's `acr` is one of the accepted values. */
export function assuranceRole(alias: string): string {
  return `socle-assured-${alias}`;
}
/** Post-broker flow of a provider: the assurance check, or a local one-time code when no level is set. */
export function postBrokerFlow(alias: string): string {
  return `socle-post-broker-${alias}`;
}
/** First sign-in through a provider: create the account, or link the existing one with the same (verified) email. */
export const FIRST_BROKER_FLOW = "socle-first-broker-login";
const LOCAL_ONLY_FLOW = "socle-local-password-admins-only";

const DEFAULT_CLAIMS = { username: "email", email: "email", firstName: "given_name", lastName: "family_name" } as const;

/** The issuer a discovery URL belongs to (OpenID Connect Discovery 1.0, section 4: `<issuer>/.well-known/openid-configuration`). */
export function issuerOf(discoveryUrl: string): string {
  const suffix = "/.well-known/openid-configuration";
  if (!discoveryUrl.endsWith(suffix)) throw new Error(`realm: discovery URL ${discoveryUrl} does not end with ${suffix}`);
  return discoveryUrl.slice(0, -suffix.length);
}

/** Regular expression matching exactly one of the accepted values (escaped). */
export function acrPattern(values: readonly string[]): string {
  return `^(${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`;
}

/**
 * Length 12 is the policy control's floor (policies/controls/identity/password-policy.ts). Argon2 is
 * Keycloak's default outside FIPS mode since 24 (Red Hat build of Keycloak 26.0 upgrading guide, "Argon2
 * password hashing"); it is written out so the realm states it rather than inherits it.
 */
export const PASSWORD_POLICY = "length(12) and notUsername(undefined) and notEmail(undefined) and passwordHistory(5) and hashAlgorithm(argon2)";

/** Group whose members administer the realm (`realm-management/realm-admin`); they sign in with the same second factor. */
export const ADMIN_GROUP = "socle-admins";

/** Key, in the clients Secret, of the upstream provider's client secret. */
export function federationSecretKey(alias: string): string {
  return `federation-${alias}`;
}

/** Browser flow: cookie, or username and password followed by a one-time code; no way around the second factor. */
export const BROWSER_FLOW = "socle-browser";
export const FORMS_FLOW = "socle-browser-forms";

function execution(authenticator: string, requirement: "REQUIRED" | "ALTERNATIVE", priority: number, authenticatorConfig?: string) {
  return { authenticator, authenticatorFlow: false, autheticatorFlow: false, requirement, priority, userSetupAllowed: false, ...(authenticatorConfig ? { authenticatorConfig } : {}) };
}

function subflow(flowAlias: string, requirement: "REQUIRED" | "ALTERNATIVE" | "CONDITIONAL", priority: number) {
  return { authenticatorFlow: true, autheticatorFlow: true, flowAlias, requirement, priority, userSetupAllowed: false };
}

function flow(alias: string, description: string, topLevel: boolean, executions: readonly unknown[]) {
  return { alias, description, providerId: "basic-flow", topLevel, builtIn: false, authenticationExecutions: executions };
}

/**
 * "Deny unless the user holds `role`": a CONDITIONAL sub-flow whose condition is `conditional-user-role`
 * negated, followed by `deny-access-authenticator` (Keycloak services, ConditionalRoleAuthenticatorFactory:
 * PROVIDER_ID `conditional-user-role`, config keys `condUserRole` and `negate`; DenyAccessAuthenticatorFactory:
 * `deny-access-authenticator`).
 */
function denyUnlessRole(alias: string, role: string, description: string) {
  return {
    flow: flow(alias, description, false, [execution("conditional-user-role", "REQUIRED", 10, `${alias}-condition`), execution("deny-access-authenticator", "REQUIRED", 20)]),
    config: { alias: `${alias}-condition`, config: { condUserRole: role, negate: "true" } },
  };
}

/**
 * The realm. `secretEnv` names the environment variable holding a client's secret; `placeholder` writes a
 * reference to it in the syntax of whoever reads the file: Keycloak's own import resolves `${ENV}`,
 * keycloak-config-cli resolves `$(env:ENV)` (charts/identity/reconcile.ts).
 */
export function realmRepresentation(
  props: RealmProps,
  secretEnv: (clientId: string) => string,
  placeholder: (env: string) => string = (env) => `\${${env}}`,
): Record<string, unknown> {
  const providers = props.federation ?? [];
  const federated = providers.length > 0;
  const restrictLocal = federated && props.localPasswords !== true;
  const localOnly = restrictLocal ? denyUnlessRole(LOCAL_ONLY_FLOW, LOCAL_LOGIN_ROLE, "After the password: deny everyone but break-glass administrators (agents sign in through the upstream provider)") : undefined;
  const assurance = providers
    .filter((p) => (p.acrValues ?? []).length > 0)
    .map((p) => denyUnlessRole(`${postBrokerFlow(p.alias)}-assurance`, assuranceRole(p.alias), `Deny a sign-in through ${p.alias} whose acr is not an accepted level`));
  return {
    realm: props.name,
    displayName: props.displayName,
    enabled: true,
    sslRequired: "external",
    registrationAllowed: false,
    resetPasswordAllowed: false,
    rememberMe: false,
    loginWithEmailAllowed: true,
    duplicateEmailsAllowed: false,
    internationalizationEnabled: true,
    supportedLocales: ["fr", "en"],
    defaultLocale: "fr",
    passwordPolicy: PASSWORD_POLICY,
    bruteForceProtected: true,
    permanentLockout: false,
    failureFactor: 5,
    waitIncrementSeconds: 60,
    maxFailureWaitSeconds: 900,
    accessTokenLifespan: 300,
    ssoSessionIdleTimeout: 1800,
    ssoSessionMaxLifespan: 36000,
    eventsEnabled: true,
    adminEventsEnabled: true,
    adminEventsDetailsEnabled: true,
    otpPolicyType: "totp",
    otpPolicyAlgorithm: "HmacSHA256",
    otpPolicyDigits: 6,
    otpPolicyPeriod: 30,
    browserFlow: BROWSER_FLOW,
    authenticationFlows: [
      flow(BROWSER_FLOW, "Cookie, or password then a one-time code (socle)", true, [
        execution("auth-cookie", "ALTERNATIVE", 10),
        ...(federated ? [execution("identity-provider-redirector", "ALTERNATIVE", 20)] : []),
        subflow(FORMS_FLOW, "ALTERNATIVE", 30),
      ]),
      flow(FORMS_FLOW, "Password, then a one-time code", false, [
        execution("auth-username-password-form", "REQUIRED", 10),
        ...(localOnly ? [subflow(LOCAL_ONLY_FLOW, "CONDITIONAL", 15)] : []),
        execution("auth-otp-form", "REQUIRED", 20),
      ]),
      ...(localOnly ? [localOnly.flow] : []),
      ...(federated
        ? [
            // Keycloak server admin guide, "Automatically link existing first login flow": Create User If
            // Unique, else Automatically Set Existing User (`idp-create-user-if-unique`, `idp-auto-link`),
            // safe only because the provider's emails are trusted (`trustEmail`) and duplicates are refused.
            flow(FIRST_BROKER_FLOW, "First sign-in through an upstream provider: create the account, or link the one with the same verified email", true, [
              execution("idp-create-user-if-unique", "ALTERNATIVE", 10),
              execution("idp-auto-link", "ALTERNATIVE", 20),
            ]),
          ]
        : []),
      ...providers.map((p) =>
        (p.acrValues ?? []).length > 0
          ? flow(postBrokerFlow(p.alias), `After a sign-in through ${p.alias}: the provider's assurance level must be accepted`, true, [subflow(`${postBrokerFlow(p.alias)}-assurance`, "CONDITIONAL", 10)])
          : flow(postBrokerFlow(p.alias), `After a sign-in through ${p.alias}: a one-time code of this realm (no assurance level is enforced upstream)`, true, [execution("auth-otp-form", "REQUIRED", 10)]),
      ),
      ...assurance.map((a) => a.flow),
    ],
    ...(localOnly || assurance.length > 0 ? { authenticatorConfig: [...(localOnly ? [localOnly.config] : []), ...assurance.map((a) => a.config)] } : {}),
    ...(federated
      ? {
          roles: {
            realm: [
              ...(restrictLocal ? [{ name: LOCAL_LOGIN_ROLE, description: "May sign in with a local password (break-glass administrators)" }] : []),
              ...providers.filter((p) => (p.acrValues ?? []).length > 0).map((p) => ({ name: assuranceRole(p.alias), description: `Last sign-in through ${p.alias} met an accepted assurance level` })),
            ],
          },
        }
      : {}),
    groups: [
      {
        name: ADMIN_GROUP,
        path: `/${ADMIN_GROUP}`,
        clientRoles: { "realm-management": ["realm-admin"] },
        ...(restrictLocal ? { realmRoles: [LOCAL_LOGIN_ROLE] } : {}),
        subGroups: [],
      },
    ],
    requiredActions: [
      { alias: "CONFIGURE_TOTP", name: "Configure OTP", providerId: "CONFIGURE_TOTP", enabled: true, defaultAction: true, priority: 10, config: {} },
      { alias: "UPDATE_PASSWORD", name: "Update Password", providerId: "UPDATE_PASSWORD", enabled: true, defaultAction: false, priority: 30, config: {} },
    ],
    clients: props.clients.map((c) => ({
      clientId: c.clientId,
      name: c.name,
      enabled: true,
      protocol: "openid-connect",
      publicClient: false,
      clientAuthenticatorType: "client-secret",
      secret: placeholder(secretEnv(c.clientId)),
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      serviceAccountsEnabled: false,
      rootUrl: c.rootUrl,
      baseUrl: "/",
      redirectUris: [...c.redirectUris],
      webOrigins: [c.rootUrl],
      attributes: {
        "post.logout.redirect.uris": `${c.rootUrl}/*`,
        ...(c.pkce ? { "pkce.code.challenge.method": "S256" } : {}),
        ...(c.backchannelLogoutUrl ? { "backchannel.logout.url": c.backchannelLogoutUrl, "backchannel.logout.session.required": "true" } : {}),
      },
      protocolMappers: [
        {
          // Access tokens name the app as audience: resource servers (the mail server) check it.
          name: `${c.clientId}-audience`,
          protocol: "openid-connect",
          protocolMapper: "oidc-audience-mapper",
          config: { "included.client.audience": c.clientId, "access.token.claim": "true", "id.token.claim": "false" },
        },
      ],
    })),
    identityProviders: providers.map((p) => ({
      alias: p.alias,
      displayName: p.displayName,
      providerId: "oidc",
      enabled: true,
      // The provider's email is taken as verified: first sign-in links by it (FIRST_BROKER_FLOW).
      trustEmail: true,
      storeToken: false,
      linkOnly: false,
      firstBrokerLoginFlowAlias: FIRST_BROKER_FLOW,
      postBrokerLoginFlowAlias: postBrokerFlow(p.alias),
      config: {
        // Keycloak's OIDC broker keeps the endpoints in its configuration (the console fills them from the
        // discovery document; an import states them): OIDCIdentityProviderConfig / OAuth2IdentityProviderConfig keys.
        issuer: p.issuer,
        authorizationUrl: p.endpoints.authorization,
        tokenUrl: p.endpoints.token,
        jwksUrl: p.endpoints.jwks,
        ...(p.endpoints.userinfo ? { userInfoUrl: p.endpoints.userinfo } : {}),
        ...(p.endpoints.endSession ? { logoutUrl: p.endpoints.endSession } : {}),
        clientId: p.clientId,
        clientSecret: placeholder(secretEnv(federationSecretKey(p.alias))),
        clientAuthMethod: "client_secret_post",
        defaultScope: (p.scopes ?? ["openid", "email", "profile"]).join(" "),
        validateSignature: "true",
        useJwksUrl: "true",
        pkceEnabled: "true",
        pkceMethod: "S256",
        // Mappers run at every sign-in, so a lower assurance level on a later sign-in removes the role.
        syncMode: "FORCE",
      },
    })),
    identityProviderMappers: providers.flatMap((p) => {
      const claims = p.claims ?? DEFAULT_CLAIMS;
      const attribute = (name: string, claim: string, attr: string) => ({
        name: `${p.alias}-${name}`,
        identityProviderAlias: p.alias,
        identityProviderMapper: "oidc-user-attribute-idp-mapper",
        config: { syncMode: "FORCE", claim, "user.attribute": attr },
      });
      return [
        { name: `${p.alias}-username`, identityProviderAlias: p.alias, identityProviderMapper: "oidc-username-idp-mapper", config: { syncMode: "FORCE", template: `\${CLAIM.${claims.username}}` } },
        attribute("email", claims.email, "email"),
        attribute("first-name", claims.firstName, "firstName"),
        attribute("last-name", claims.lastName, "lastName"),
        ...((p.acrValues ?? []).length > 0
          ? [
              {
                name: `${p.alias}-assurance`,
                identityProviderAlias: p.alias,
                identityProviderMapper: "oidc-advanced-role-idp-mapper",
                config: { syncMode: "FORCE", claims: JSON.stringify([{ key: "acr", value: acrPattern(p.acrValues ?? []) }]), "are.claim.values.regex": "true", role: assuranceRole(p.alias) },
              },
            ]
          : []),
      ];
    }),
  };
}
