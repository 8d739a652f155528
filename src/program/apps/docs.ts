import { TRUST_BUNDLE } from "../../../charts/trust";
import { PLATFORM_PORTS } from "../../../charts/platform/namespaces";
import { Docs } from "../../../components/apps/docs";
import { databaseBackup, gatewayFor, type AppDeployment, type SuiteContext } from "../context";

/** The media bucket of an organisation's Docs, in the backup bucket's object store. */
export function docsMediaBucket(organizationId: string): string {
  return `${organizationId}-docs`;
}

/**
 * The gateway's proxies, as a pod reaches them when it calls a public hostname (the listener port 443
 * arrives on the proxies' container port): used by the apps' OIDC back-channel to Keycloak, so tokens and
 * issuer stay those of the public address.
 */
export function publicGatewayPeers(ctx: SuiteContext) {
  return { peers: [{ namespace: ctx.gateway.podNamespace, pods: ctx.gateway.pods }], ports: [PLATFORM_PORTS.envoyHttps] };
}

export function deployDocs(ctx: SuiteContext): AppDeployment {
  const sso = ctx.sso.client("docs");
  const docs = new Docs("docs", {
    namespace: ctx.namespace("docs"),
    // The internal CA's root, distributed by trust-manager: back channels to the identity provider go over HTTPS.
    ...(ctx.config.tls.issuer === "internal-ca" ? { caBundle: TRUST_BUNDLE } : {}),
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
  return {
    sites: [{ name: "docs", hostname: ctx.hostname("docs"), routeNamespace: ctx.namespace("docs") }],
    buckets: [docsMediaBucket(ctx.config.organization.id)],
    outputs: { url: docs.url },
  };
}
