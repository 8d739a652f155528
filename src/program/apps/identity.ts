import { Identity } from "../../../components/apps/identity";
import type { RealmClient } from "../../../charts/identity/realm";
import { TRUST_BUNDLE } from "../../../charts/trust";
import type { AppName } from "../../config/schema";
import * as pulumi from "@pulumi/pulumi";
import { issuerOf, type Federation } from "../../../charts/identity/realm";
import { databaseBackup, gatewayFor, type AppDeployment, type SuiteContext } from "../context";
import { publicGatewayPeers } from "./docs";

/**
 * Apps whose OpenID Connect client is configured to send a PKCE challenge, so the realm can require S256:
 * La Suite Docs (`OIDC_USE_PKCE=True` in charts/docs/settings.ts). The others are not required to (Synapse
 * and XWiki's authenticator decide on their own; Roundcube's support is not established here).
 */
const PKCE_APPS: ReadonlySet<AppName> = new Set(["docs"]);
/** Back-channel logout endpoints, relative to the app's hostname (Synapse's OIDC provider). */
const BACKCHANNEL_LOGOUT: Partial<Record<AppName, string>> = { chat: "/_synapse/client/oidc/backchannel_logout" };

export function deployIdentity(ctx: SuiteContext): AppDeployment {
  const clients: RealmClient[] = ctx.sso.clients.map((c) => ({
    clientId: c.clientId,
    name: c.app,
    rootUrl: c.rootUrl,
    redirectUris: c.redirectUris,
    pkce: PKCE_APPS.has(c.app),
    ...(BACKCHANNEL_LOGOUT[c.app] ? { backchannelLogoutUrl: `${c.rootUrl}${BACKCHANNEL_LOGOUT[c.app]}` } : {}),
  }));
  // Upstream providers from socle:identityFederation; their client secrets are Pulumi secrets of the stack.
  const providers = ctx.config.identityFederation?.providers ?? [];
  const federation: Federation[] = providers.map((p) => ({
    alias: p.alias,
    displayName: p.displayName,
    issuer: issuerOf(p.discoveryUrl),
    endpoints: p.endpoints,
    clientId: p.clientId,
    scopes: p.scopes,
    acrValues: p.acrValues,
    claims: p.claims,
  }));
  const identity = new Identity("identity", {
    namespace: ctx.namespace("identity"),
    hostname: ctx.hostname("identity"),
    sizing: ctx.config.sizing,
    storageClass: ctx.storageClass,
    images: { keycloak: ctx.image("keycloak"), postgresql: ctx.image("postgresql"), keycloakConfigCli: ctx.image("keycloak-config-cli") },
    gateway: gatewayFor(ctx, "identity"),
    publicGateway: publicGatewayPeers(ctx),
    // The internal CA's root: Keycloak's back-channel logout calls reach the apps over HTTPS.
    ...(ctx.config.tls.issuer === "internal-ca" ? { caBundle: TRUST_BUNDLE } : {}),
    clusterIssuer: ctx.clusterIssuer,
    realm: {
      name: ctx.sso.realm,
      displayName: ctx.config.organization.name,
      clients,
      ...(federation.length > 0 ? { federation, localPasswords: ctx.config.identityFederation?.localPasswords ?? false } : {}),
    },
    federationClientSecrets: Object.fromEntries(providers.map((p) => [p.alias, pulumi.secret(p.clientSecret)])),
    clientSecrets: Object.fromEntries(ctx.sso.clients.map((c) => [c.clientId, c.secret])),
    backup: databaseBackup(ctx, "identity"),
    backupCredentials: ctx.backup.credentials,
    apiServer: ctx.apiServer,
    cnpgOperatorNamespace: ctx.cnpgOperatorNamespace,
    // The admin console is published only to the admin networks (charts/identity.ts, KEYCLOAK_ADMIN_PATH).
    adminCidrs: ctx.config.adminCidrs,
  });
  return {
    sites: [{ name: "identity", hostname: ctx.hostname("identity"), routeNamespace: ctx.namespace("identity") }],
    outputs: { url: `https://${ctx.hostname("identity")}/`, issuerUrl: identity.issuerUrl },
  };
}
