import { DOCS_SECRETS } from "../../../charts/docs";
import { BACKUP_CREDENTIALS } from "../../../charts/lib/secrets";
import { Docs } from "../../../components/apps/docs";
import { databaseBackup, gatewayFor, internalCaBundle, publicGatewayPeers, type AppModule } from "../context";

/** The media bucket of an organisation's Docs, in the backup bucket's object store. */
export function docsMediaBucket(organizationId: string): string {
  return `${organizationId}-docs`;
}

/** La Suite Docs: backend, frontend and the collaboration (y-provider) server. */
export const docs: AppModule = {
  hostPrefix: "docs",
  // mozilla-django-oidc callback under the Docs API prefix (Keycloak client guide for Docs: `/api/v1.0/callback/`).
  // Docs sends a PKCE challenge (`OIDC_USE_PKCE=True` in charts/docs/settings.ts): the realm requires S256.
  sso: { redirectPaths: ["/api/v1.0/callback/"], pkce: true, backchannelLogoutPath: null },
  buckets: (organizationId) => [docsMediaBucket(organizationId)],
  loadBalancers: [],
  flows: { objectStorage: true },
  secrets: [BACKUP_CREDENTIALS, DOCS_SECRETS.db, DOCS_SECRETS.app, DOCS_SECRETS.media],
  deploy(ctx) {
    const sso = ctx.sso.client("docs");
    const docs = new Docs("docs", {
      namespace: ctx.namespace("docs"),
      // The internal CA's root, distributed by trust-manager: back channels to the identity provider go over HTTPS.
      ...internalCaBundle(ctx),
      hostname: ctx.hostname("docs"),
      sizing: ctx.config.sizing,
      storageClass: ctx.storageClass,
      images: {
        backend: ctx.image("docs-backend"),
        frontend: ctx.image("docs-frontend"),
        yProvider: ctx.image("docs-y-provider"),
        postgresql: ctx.image("postgresql"),
        valkey: ctx.image("valkey"),
      },
      gateway: gatewayFor(ctx, "docs"),
      clusterIssuer: ctx.clusterIssuer,
      oidc: { issuerUrl: ctx.sso.issuerUrl, clientId: sso.clientId },
      oidcClientSecret: sso.secret,
      media: {
        endpointURL: ctx.backup.endpointURL,
        bucket: docsMediaBucket(ctx.config.organization.id),
        region: ctx.config.cloud.region,
        peer: ctx.backup.peer,
        port: ctx.backup.port,
      },
      mediaCredentials: ctx.backup.credentials,
      publicGateway: publicGatewayPeers(ctx),
      backup: databaseBackup(ctx, "docs"),
      backupCredentials: ctx.backup.credentials,
      apiServer: ctx.apiServer,
      cnpgOperatorNamespace: ctx.cnpgOperatorNamespace,
    });
    return { url: docs.url };
  },
};
