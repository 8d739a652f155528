import { CHAT_SECRETS } from "../../../charts/chat";
import { BACKUP_CREDENTIALS } from "../../../charts/lib/secrets";
import { Chat } from "../../../components/apps/chat";
import { databaseBackup, gatewayFor, internalCaBundle, publicGatewayPeers, type AppModule } from "../context";

/** Chat: Synapse and Element Web. */
export const chat: AppModule = {
  hostPrefix: "chat",
  // Synapse OIDC callback (element-hq/synapse docs/openid.md) and its back-channel logout endpoint.
  // Synapse decides on PKCE on its own: the realm does not require it.
  sso: { redirectPaths: ["/_synapse/client/oidc/callback"], pkce: false, backchannelLogoutPath: "/_synapse/client/oidc/backchannel_logout" },
  buckets: () => [],
  loadBalancers: [],
  flows: { objectStorage: true },
  secrets: [BACKUP_CREDENTIALS, CHAT_SECRETS.db, CHAT_SECRETS.config],
  deploy(ctx) {
    const sso = ctx.sso.client("chat");
    const hostname = ctx.hostname("chat");
    const chat = new Chat("chat", {
      namespace: ctx.namespace("chat"),
      // The internal CA's root, distributed by trust-manager: back channels to the identity provider go over HTTPS.
      ...internalCaBundle(ctx),
      hostname,
      // User ids read `@alice:chat.<domain>`: the hostname clients already know, so discovery needs nothing
      // outside this hostname. It cannot change once users exist.
      serverName: hostname,
      brand: ctx.config.organization.name,
      sizing: ctx.config.sizing,
      storageClass: ctx.storageClass,
      images: { synapse: ctx.image("synapse"), elementWeb: ctx.image("element-web"), postgresql: ctx.image("postgresql") },
      gateway: gatewayFor(ctx, "chat"),
      clusterIssuer: ctx.clusterIssuer,
      oidc: { issuerUrl: ctx.sso.issuerUrl, clientId: sso.clientId, clientSecret: sso.secret, displayName: ctx.config.organization.name },
      publicGateway: publicGatewayPeers(ctx),
      // socle:chat.federation: off (empty) by default, or the Matrix server names allowed.
      federationAllowlist: ctx.config.chat?.federationAllowlist ?? [],
      backup: databaseBackup(ctx, "chat"),
      backupCredentials: ctx.backup.credentials,
      apiServer: ctx.apiServer,
      cnpgOperatorNamespace: ctx.cnpgOperatorNamespace,
    });
    return { url: chat.url };
  },
};
