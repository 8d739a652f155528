import { KEYCLOAK_SECRETS } from "../../../charts/identity";
import { BACKUP_CREDENTIALS } from "../../../charts/lib/secrets";
import { Identity } from "../../../components/apps/identity";
import type { RealmClient } from "../../../charts/identity/realm";
import * as pulumi from "@pulumi/pulumi";
import { issuerOf, type Federation } from "../../../charts/identity/realm";
import { databaseBackup, gatewayFor, internalCaBundle, publicGatewayPeers, type AppModule } from "../context";

/** Identity: Keycloak and the organisation's realm, holding one OIDC client per app that signs users in. */
export const identity: AppModule = {
  hostPrefix: "auth",
  // The identity provider itself: it holds the other apps' clients and needs none.
  sso: null,
  buckets: () => [],
  loadBalancers: [],
  flows: { objectStorage: true },
  secrets: [BACKUP_CREDENTIALS, KEYCLOAK_SECRETS.db, KEYCLOAK_SECRETS.admin, KEYCLOAK_SECRETS.clients],
  deploy(ctx) {
    const clients: RealmClient[] = ctx.sso.clients.map((c) => ({
      clientId: c.clientId,
      name: c.app,
      rootUrl: c.rootUrl,
      redirectUris: c.redirectUris,
      pkce: c.pkce,
      ...(c.backchannelLogoutUrl ? { backchannelLogoutUrl: c.backchannelLogoutUrl } : {}),
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
      ...internalCaBundle(ctx),
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
    return { url: `https://${ctx.hostname("identity")}/`, issuerUrl: identity.issuerUrl };
  },
};
