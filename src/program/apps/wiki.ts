import { TRUST_BUNDLE } from "../../../charts/trust";
import { Wiki } from "../../../components/apps/wiki";
import { databaseBackup, gatewayFor, type AppDeployment, type SuiteContext } from "../context";
import { publicGatewayPeers } from "./docs";

export function deployWiki(ctx: SuiteContext): AppDeployment {
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
            ...(ctx.config.tls.issuer === "internal-ca" ? { caBundle: TRUST_BUNDLE } : {}),
          },
        }
      : {}),
  });
  return {
    sites: [{ name: "wiki", hostname: ctx.hostname("wiki"), routeNamespace: ctx.namespace("wiki") }],
    outputs: { url: wiki.url },
  };
}
