import { Wiki } from "../../../components/apps/wiki";
import type { AppDeployment, SuiteContext } from "../context";

export function deployWiki(ctx: SuiteContext): AppDeployment {
  const wiki = new Wiki("wiki", {
    namespace: ctx.namespace("wiki"),
    hostname: ctx.hostname("wiki"),
    sizing: ctx.config.sizing,
    storageClass: ctx.storageClass,
    images: { xwiki: ctx.image("xwiki"), postgresql: ctx.image("postgresql") },
    gateway: { name: ctx.gateway.name, namespace: ctx.gateway.namespace, listener: ctx.gateway.listener("wiki"), pods: ctx.gateway.pods, podNamespace: ctx.gateway.podNamespace },
    clusterIssuer: ctx.clusterIssuer,
    backup: {
      destinationPath: `s3://${ctx.backup.bucket}/wiki`,
      endpointURL: ctx.backup.endpointURL,
      credentialsSecret: "backup-s3-credentials",
      retentionDays: ctx.backup.retentionDays,
      peer: ctx.backup.peer,
      port: ctx.backup.port,
    },
    backupCredentials: ctx.backup.credentials,
    apiServer: ctx.apiServer,
    cnpgOperatorNamespace: ctx.cnpgOperatorNamespace,
  });
  return {
    sites: [{ name: "wiki", hostname: ctx.hostname("wiki"), routeNamespace: ctx.namespace("wiki") }],
    outputs: { url: wiki.url },
  };
}
