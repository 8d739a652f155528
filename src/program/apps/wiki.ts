import { BACKUP_CREDENTIALS } from "../../../charts/lib/secrets";
import { Wiki, WIKI_SECRETS } from "../../../components/apps/wiki";
import { databaseBackup, gatewayFor, internalCaBundle, publicGatewayPeers, type AppModule } from "../context";

/** Wiki: XWiki, signing users in through its OIDC authenticator. */
export const wiki: AppModule = {
  hostPrefix: "wiki",
  // XWiki's OIDC authenticator callback. Its PKCE use is its own decision: the realm does not require it.
  sso: { redirectPaths: ["/oidc/authenticator/callback"], pkce: false, backchannelLogoutPath: null },
  buckets: () => [],
  loadBalancers: [],
  flows: { objectStorage: true },
  secrets: [BACKUP_CREDENTIALS, WIKI_SECRETS.db, WIKI_SECRETS.oidc],
  deploy(ctx) {
    // Without the identity app in the stack, the wiki keeps its local accounts.
    const client = ctx.config.apps.includes("identity") ? ctx.sso.client("wiki") : undefined;
    const wiki = new Wiki("wiki", {
      namespace: ctx.namespace("wiki"),
      hostname: ctx.hostname("wiki"),
      sizing: ctx.config.sizing,
      storageClass: ctx.storageClass,
      // The derived image (images/xwiki): flavour and OIDC authenticator installed without Internet access.
      images: { xwiki: ctx.image("xwiki-offline"), postgresql: ctx.image("postgresql") },
      gateway: gatewayFor(ctx, "wiki"),
      clusterIssuer: ctx.clusterIssuer,
      backup: databaseBackup(ctx, "wiki"),
      backupCredentials: ctx.backup.credentials,
      apiServer: ctx.apiServer,
      cnpgOperatorNamespace: ctx.cnpgOperatorNamespace,
      ...(client
        ? {
            sso: {
              issuerUrl: ctx.sso.issuerUrl,
              clientId: client.clientId,
              clientSecret: client.secret,
              publicGateway: publicGatewayPeers(ctx),
              // The internal CA's root: the back channel to Keycloak goes over HTTPS.
              ...internalCaBundle(ctx),
            },
          }
        : {}),
    });
    return { url: wiki.url };
  },
};
