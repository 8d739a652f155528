import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AppName, SocleConfig } from "../config/schema";

/** Where each app receives the identity provider's answer, relative to its own hostname. */
export const SSO_REDIRECT_PATHS: Partial<Record<AppName, readonly string[]>> = {
  wiki: ["/oidc/authenticator/callback"],
  // Roundcube's OAuth2 login route (its `oauth_redirect_uri` in public deployments, search index file 54576142624).
  mail: ["/index.php/login/oauth"],
  // mozilla-django-oidc callback under the Docs API prefix (Keycloak client guide for Docs: `/api/v1.0/callback/`).
  docs: ["/api/v1.0/callback/"],
  // Synapse OIDC callback (element-hq/synapse docs/openid.md).
  chat: ["/_synapse/client/oidc/callback"],
};

export interface SsoClient {
  readonly app: AppName;
  readonly clientId: string;
  /** Absolute redirect URIs, on the app's own hostname. */
  readonly redirectUris: readonly string[];
  readonly rootUrl: string;
  /** Generated client secret, a Pulumi secret. */
  readonly secret: pulumi.Output<string>;
}

export interface SsoPlan {
  /** OIDC issuer of the organisation's realm. */
  readonly issuerUrl: string;
  readonly realm: string;
  readonly clients: readonly SsoClient[];
  client(app: AppName): SsoClient;
}

/** Pure: the OIDC clients the realm must hold, one per enabled app that signs users in. */
export function planClients(config: SocleConfig, hostname: (app: AppName) => string): Omit<SsoClient, "secret">[] {
  return config.apps
    .filter((app) => app !== "identity" && SSO_REDIRECT_PATHS[app])
    .map((app) => ({
      app,
      clientId: app,
      rootUrl: `https://${hostname(app)}`,
      redirectUris: SSO_REDIRECT_PATHS[app]!.map((p) => `https://${hostname(app)}${p}`),
    }));
}

/** The realm and its clients, with a generated secret per client. */
export function buildSso(config: SocleConfig, hostname: (app: AppName) => string): SsoPlan {
  const realm = config.organization.id;
  const clients = planClients(config, hostname).map((c) => ({
    ...c,
    secret: new random.RandomPassword(`sso-${c.app}-client-secret`, { length: 40, special: false }).result,
  }));
  return {
    issuerUrl: `https://${hostname("identity")}/realms/${realm}`,
    realm,
    clients,
    client(app) {
      const found = clients.find((c) => c.app === app);
      if (!found) throw new Error(`no SSO client planned for app ${app}: add its redirect paths to SSO_REDIRECT_PATHS`);
      return found;
    },
  };
}
