/**
 * Compile-time fixture, type-checked by `tsc -p .` (so by `npm test`): an app module or an app registry
 * with a field or an app missing does not compile. Each `@ts-expect-error` below must meet an error, or
 * tsc fails with "Unused '@ts-expect-error' directive"; test/architecture/fixtures.test.ts checks that
 * each error is the one named after the directive (TS2741: a required property is missing), not some
 * unrelated mistake.
 */
import type { AppName } from "../../src/config/schema";
import { APPS } from "../../src/program/apps";
import type { AppModule } from "../../src/program/context";

/** A sixth app with every field: compiles. */
export const complete: AppModule = {
  hostPrefix: "sixth",
  sso: { redirectPaths: ["/callback"], pkce: true, backchannelLogoutPath: null },
  buckets: () => [],
  loadBalancers: [],
  flows: { objectStorage: false },
  secrets: [],
  deploy: () => ({}),
};

// @ts-expect-error TS2741: a module without its SSO client (`sso`) does not compile; an app that signs nobody in says `sso: null`.
export const withoutSso: AppModule = {
  hostPrefix: "sixth",
  buckets: () => [],
  loadBalancers: [],
  flows: { objectStorage: false },
  secrets: [],
  deploy: () => ({}),
};

// @ts-expect-error TS2741: a module without its load balancers does not compile; none is `loadBalancers: []`.
export const withoutLoadBalancers: AppModule = {
  hostPrefix: "sixth",
  sso: null,
  buckets: () => [],
  flows: { objectStorage: false },
  secrets: [],
  deploy: () => ({}),
};

// @ts-expect-error TS2741: an SSO client without its PKCE decision does not compile.
export const withoutPkce: AppModule = { ...complete, sso: { redirectPaths: ["/callback"], backchannelLogoutPath: null } };

// @ts-expect-error TS2741: a registry without the module of one app of APP_NAMES (here `mail`) does not compile.
export const withoutMail: Record<AppName, AppModule> = { identity: APPS.identity, wiki: APPS.wiki, docs: APPS.docs, chat: APPS.chat };

/** No field of a module is optional or accepts `undefined`: each is written out, even when empty. */
type OptionalFields = { [K in keyof AppModule]-?: undefined extends AppModule[K] ? K : never }[keyof AppModule];
export const noOptionalField: [OptionalFields] extends [never] ? true : false = true;
