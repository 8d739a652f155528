import { resolve } from "node:path";
import type { IdentityChartProps } from "../../charts/identity";
import { wikiProps } from "../helpers/wiki-props";

/** Identity chart properties as a stack with the wiki and chat enabled produces them, for chart-level tests. */
export function identityProps(overrides: Partial<IdentityChartProps> = {}): IdentityChartProps {
  return {
    namespace: "org-identity",
    hostname: "auth.org.example",
    sizing: "medium",
    storageClass: "standard",
    images: { keycloak: "registry.example/keycloak:26@sha256:" + "c".repeat(64), postgresql: wikiProps.images.postgresql },
    gateway: { ...wikiProps.gateway, listener: "https-identity" },
    clusterIssuer: "socle",
    realm: {
      name: "org",
      displayName: "Org",
      clients: [
        { clientId: "wiki", name: "wiki", rootUrl: "https://wiki.org.example", redirectUris: ["https://wiki.org.example/oidc/authenticator/callback"], pkce: false },
        {
          clientId: "chat",
          name: "chat",
          rootUrl: "https://chat.org.example",
          redirectUris: ["https://chat.org.example/_synapse/client/oidc/callback"],
          pkce: false,
          backchannelLogoutUrl: "https://chat.org.example/_synapse/client/oidc/backchannel_logout",
        },
      ],
    },
    publicGateway: { peers: [{ namespace: wikiProps.gateway.podNamespace, pods: wikiProps.gateway.pods }], ports: [10443] },
    backup: { ...wikiProps.backup, destinationPath: "s3://org-backups/identity" },
    apiServer: wikiProps.apiServer,
    cnpgOperatorNamespace: "cnpg-system",
    adminCidrs: ["192.0.2.0/24"],
    ...overrides,
  };
}

export const realmOf = (objs: readonly any[]): any => {
  const map = objs.find((o) => o.kind === "ConfigMap" && o.metadata.name === "keycloak-realm");
  return JSON.parse(Object.values(map.data)[0] as string);
};

/** The shared CRD schemas, without importing the render (chart tests stay independent of the program). */
export const CRDS = resolve(__dirname, "..", "..", "..", "shared", "crds");
