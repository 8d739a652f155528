import type { WikiChartProps } from "../../charts/wiki";
import { BACKUP_CREDENTIALS, databaseCredentials } from "../../charts/lib/secrets";

/** Wiki chart properties as the demo stack produces them, for chart-level tests. */
export const wikiProps: WikiChartProps = {
  namespace: "org-wiki",
  hostname: "wiki.org.example",
  sizing: "small",
  storageClass: "standard",
  images: { xwiki: "registry.example/xwiki:1@sha256:" + "a".repeat(64), postgresql: "registry.example/postgresql:16@sha256:" + "b".repeat(64) },
  gateway: {
    name: "socle",
    namespace: "socle-gateway",
    listener: "https-wiki",
    pods: { "gateway.envoyproxy.io/owning-gateway-name": "socle" },
    podNamespace: "envoy-gateway-system",
  },
  clusterIssuer: "socle",
  dbSecret: databaseCredentials("xwiki-db-app"),
  backup: {
    destinationPath: "s3://org-backups/wiki",
    endpointURL: "http://garage.socle-storage.svc:3900",
    credentialsSecret: BACKUP_CREDENTIALS,
    retentionDays: 30,
    peer: { namespace: "socle-storage", pods: { "app.kubernetes.io/name": "garage" } },
    port: 3900,
  },
  apiServer: { peers: [{ cidr: "10.0.0.0/8" }], ports: [443, 6443] },
  cnpgOperatorNamespace: "cnpg-system",
};
