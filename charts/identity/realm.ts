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
  /** Upstream OpenID Connect provider users may sign in with (e.g. ProConnect); none by default. */
  readonly federation?: Federation;
}

export interface Federation {
  /** Alias of the identity provider in the realm, also its broker endpoint path segment. */
  readonly alias: string;
  readonly displayName: string;
  /** Issuer of the upstream provider; its discovery document gives the endpoints. */
  readonly issuer: string;
  readonly clientId: string;
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
/** After a federated sign-in: a one-time code of this realm as well, so an upstream account alone never suffices. */
export const POST_BROKER_FLOW = "socle-post-broker-otp";

function execution(authenticator: string, requirement: "REQUIRED" | "ALTERNATIVE", priority: number) {
  return { authenticator, authenticatorFlow: false, autheticatorFlow: false, requirement, priority, userSetupAllowed: false };
}

function subflow(flowAlias: string, requirement: "REQUIRED" | "ALTERNATIVE", priority: number) {
  return { authenticatorFlow: true, autheticatorFlow: true, flowAlias, requirement, priority, userSetupAllowed: false };
}

export function realmRepresentation(props: RealmProps, secretEnv: (clientId: string) => string): Record<string, unknown> {
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
      {
        alias: BROWSER_FLOW,
        description: "Cookie, or password then a one-time code (socle)",
        providerId: "basic-flow",
        topLevel: true,
        builtIn: false,
        authenticationExecutions: [
          execution("auth-cookie", "ALTERNATIVE", 10),
          ...(props.federation ? [execution("identity-provider-redirector", "ALTERNATIVE", 20)] : []),
          subflow(FORMS_FLOW, "ALTERNATIVE", 30),
        ],
      },
      {
        alias: FORMS_FLOW,
        description: "Password, then a one-time code",
        providerId: "basic-flow",
        topLevel: false,
        builtIn: false,
        authenticationExecutions: [execution("auth-username-password-form", "REQUIRED", 10), execution("auth-otp-form", "REQUIRED", 20)],
      },
      ...(props.federation
        ? [
            {
              alias: POST_BROKER_FLOW,
              description: "One-time code after a sign-in through the upstream provider",
              providerId: "basic-flow",
              topLevel: true,
              builtIn: false,
              authenticationExecutions: [execution("auth-otp-form", "REQUIRED", 10)],
            },
          ]
        : []),
    ],
    groups: [{ name: ADMIN_GROUP, path: `/${ADMIN_GROUP}`, clientRoles: { "realm-management": ["realm-admin"] }, subGroups: [] }],
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
      secret: `\${${secretEnv(c.clientId)}}`,
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
    identityProviders: props.federation
      ? [
          {
            alias: props.federation.alias,
            displayName: props.federation.displayName,
            providerId: "oidc",
            enabled: true,
            trustEmail: true,
            firstBrokerLoginFlowAlias: "first broker login",
            postBrokerLoginFlowAlias: POST_BROKER_FLOW,
            config: {
              issuer: props.federation.issuer,
              clientId: props.federation.clientId,
              clientSecret: `\${${secretEnv(federationSecretKey(props.federation.alias))}}`,
              clientAuthMethod: "client_secret_post",
              useDiscoveryEndpoint: "true",
              pkceEnabled: "true",
              pkceMethod: "S256",
              syncMode: "IMPORT",
            },
          },
        ]
      : [],
  };
}
