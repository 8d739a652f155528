import { resolve } from "node:path";
import type { IdentityChartProps } from "../../charts/identity";
import type { Federation } from "../../charts/identity/realm";
import { wikiProps } from "../helpers/wiki-props";

/** Identity chart properties as a stack with the wiki and chat enabled produces them, for chart-level tests. */
export function identityProps(overrides: Partial<IdentityChartProps> = {}): IdentityChartProps {
  return {
    namespace: "org-identity",
    hostname: "auth.org.example",
    sizing: "medium",
    storageClass: "standard",
    images: {
      keycloak: "registry.example/keycloak:26@sha256:" + "c".repeat(64),
      postgresql: wikiProps.images.postgresql,
      keycloakConfigCli: "registry.example/adorsys/keycloak-config-cli:6.5.0@sha256:" + "d".repeat(64),
    },
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

/**
 * A ProConnect-like provider on a fictitious issuer (`.test`, RFC 2606). Endpoint paths follow ProConnect's
 * published layout (`https://PROCONNECT_DOMAIN/api/v2/...`), scopes and acr values its documentation lists.
 */
export const PROCONNECT_LIKE: Federation = {
  alias: "proconnect",
  displayName: "ProConnect",
  issuer: "https://proconnect.socle.test/api/v2",
  endpoints: {
    authorization: "https://proconnect.socle.test/api/v2/authorize",
    token: "https://proconnect.socle.test/api/v2/token",
    jwks: "https://proconnect.socle.test/api/v2/jwks",
    userinfo: "https://proconnect.socle.test/api/v2/userinfo",
    endSession: "https://proconnect.socle.test/api/v2/session/end",
  },
  clientId: "socle-org",
  scopes: ["openid", "given_name", "usual_name", "email", "uid", "siret"],
  acrValues: ["eidas1"],
  claims: { username: "email", email: "email", firstName: "given_name", lastName: "usual_name" },
};
