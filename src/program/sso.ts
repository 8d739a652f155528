import * as random from "@pulumi/random";
import type { AppName, SocleConfig } from "../config/schema";
import { APPS } from "./apps";
import type { SsoClient, SsoPlan } from "./context";

export type { SsoClient, SsoPlan } from "./context";

/** Pure: the OIDC clients the realm must hold, one per enabled app that signs users in (its module's `sso`). */
export function planClients(config: SocleConfig, hostname: (app: AppName) => string): Omit<SsoClient, "secret">[] {
  return config.apps.flatMap((app) => {
    const sso = APPS[app].sso;
    if (!sso) return [];
    const rootUrl = `https://${hostname(app)}`;
    return [
      {
        app,
        clientId: app,
        rootUrl,
        redirectUris: sso.redirectPaths.map((p) => `${rootUrl}${p}`),
        pkce: sso.pkce,
        ...(sso.backchannelLogoutPath !== null ? { backchannelLogoutUrl: `${rootUrl}${sso.backchannelLogoutPath}` } : {}),
      },
    ];
  });
}

/** The realm and its clients, with a generated secret per client. */
export function buildSso(config: SocleConfig, hostname: (app: AppName) => string): SsoPlan {
  const realm = config.organization.id;
  const clients = planClients(config, hostname).map((c) => ({
    ...c,
    secret: new random.RandomPassword(`sso-${c.app}-client-secret`, { length: 40, special: false }).result,
  }));
  return {
    issuerUrl: `https://${hostname("identity")}/realms/${realm}`,
    realm,
    clients,
    client(app) {
      const found = clients.find((c) => c.app === app);
      if (!found) throw new Error(`no SSO client planned for app ${app}: its module (src/program/apps/${app}.ts) declares sso: null, or the app is not enabled`);
      return found;
    },
  };
}
