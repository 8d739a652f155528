import { Wiki } from "../../../components/apps/wiki";
import { databaseBackup, gatewayFor, type AppDeployment, type SuiteContext } from "../context";

export function deployWiki(ctx: SuiteContext): AppDeployment {
  const wiki = new Wiki("wiki", {
    namespace: ctx.namespace("wiki"),
    hostname: ctx.hostname("wiki"),
    sizing: ctx.config.sizing,
    storageClass: ctx.storageClass,
    images: { xwiki: ctx.image("xwiki"), postgresql: ctx.image("postgresql") },
    gateway: gatewayFor(ctx, "wiki"),
    clusterIssuer: ctx.clusterIssuer,
    backup: databaseBackup(ctx, "wiki"),
    backupCredentials: ctx.backup.credentials,
    apiServer: ctx.apiServer,
    cnpgOperatorNamespace: ctx.cnpgOperatorNamespace,
  });
  return {
    sites: [{ name: "wiki", hostname: ctx.hostname("wiki"), routeNamespace: ctx.namespace("wiki") }],
    outputs: { url: wiki.url },
  };
}
