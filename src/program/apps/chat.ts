import { TRUST_BUNDLE } from "../../../charts/trust";
import { Chat } from "../../../components/apps/chat";
import { databaseBackup, gatewayFor, type AppDeployment, type SuiteContext } from "../context";
import { publicGatewayPeers } from "./docs";

export function deployChat(ctx: SuiteContext): AppDeployment {
  const sso = ctx.sso.client("chat");
  const hostname = ctx.hostname("chat");
  const chat = new Chat("chat", {
    namespace: ctx.namespace("chat"),
    // The internal CA's root, distributed by trust-manager: back channels to the identity provider go over HTTPS.
    ...(ctx.config.tls.issuer === "internal-ca" ? { caBundle: TRUST_BUNDLE } : {}),
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
  return {
    sites: [{ name: "chat", hostname, routeNamespace: ctx.namespace("chat") }],
    outputs: { url: chat.url },
  };
}
