import type * as pulumi from "@pulumi/pulumi";
import { listenerSetName, type GatewayService } from "../../charts/gateway";
import type { Peer } from "../../charts/lib/network";
import { BACKUP_CREDENTIALS } from "../../charts/lib/secrets";
import { PLATFORM_PORTS } from "../../charts/platform/namespaces";
import { TRUST_BUNDLE } from "../../charts/trust";
import type { AppName, SocleConfig } from "../config/schema";
import type { SecretContract } from "../model/secrets";

/** What every app deployer receives: the typed configuration and the platform it runs on. */
export interface SuiteContext {
  readonly config: SocleConfig;
  /** Image reference from the catalog, rewritten to the mirror when one is set. */
  image(name: string): string;
  namespace(app: AppName): string;
  hostname(app: AppName): string;
  readonly storageClass: string;
  readonly gateway: {
    readonly name: string;
    readonly namespace: string;
    /** Listener name of an app's hostname. */
    listener(site: string): string;
    /** Gateway data-plane pods (allowed in by app NetworkPolicies) and their namespace. */
    readonly pods: Readonly<Record<string, string>>;
    readonly podNamespace: string;
    /** How the proxies' Service is exposed, from the cluster contract (fixed NodePorts behind socle's load balancers). */
    readonly service?: GatewayService;
    /**
     * A tenant's apps attach to their own ListenerSet (in the app's namespace, with its certificate) on the
     * platform's Gateway instead of a listener of a Gateway of their own.
     */
    readonly listenerSets?: boolean;
  };
  readonly clusterIssuer: string;
  readonly backup: {
    readonly bucket: string;
    readonly endpointURL: string;
    readonly credentials: { readonly accessKeyId: pulumi.Output<string>; readonly secretAccessKey: pulumi.Output<string> };
    readonly peer: Peer;
    readonly port: number;
    readonly retentionDays: number;
  };
  readonly apiServer: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly cnpgOperatorNamespace: string;
  /** The organisation's realm and the OIDC client of every enabled app. */
  readonly sso: SsoPlan;
}

/** Where an app's database archives its WAL and base backups: a prefix of the backup bucket. */
export function databaseBackup(ctx: SuiteContext, app: AppName) {
  return {
    destinationPath: `s3://${ctx.backup.bucket}/${app}`,
    endpointURL: ctx.backup.endpointURL,
    credentialsSecret: BACKUP_CREDENTIALS,
    region: ctx.config.cloud.region,
    retentionDays: ctx.backup.retentionDays,
    peer: ctx.backup.peer,
    port: ctx.backup.port,
  };
}

/** The shared Gateway as an app's chart sees it: where its route attaches, and whose pods may reach it. */
export function gatewayFor(ctx: SuiteContext, site: AppName) {
  const g = ctx.gateway;
  // The parent a route attaches to, and the namespace its certificate lives in (where the parent reads it).
  const parent = g.listenerSets
    ? { kind: "ListenerSet" as const, name: listenerSetName(site), namespace: ctx.namespace(site) }
    : { kind: "Gateway" as const, name: g.name, namespace: g.namespace };
  return { ...parent, listener: g.listener(site), pods: g.pods, podNamespace: g.podNamespace };
}

/**
 * The gateway's proxies, as a pod reaches them when it calls a public hostname (the listener port 443
 * arrives on the proxies' container port): used by the apps' OIDC back-channel to Keycloak, so tokens and
 * issuer stay those of the public address.
 */
export function publicGatewayPeers(ctx: SuiteContext) {
  return { peers: [{ namespace: ctx.gateway.podNamespace, pods: ctx.gateway.pods }], ports: [PLATFORM_PORTS.envoyHttps] };
}

/**
 * The internal CA's root, distributed by trust-manager, for an app whose back channels (to the identity
 * provider, to its peers) go over HTTPS: present only when the stack's issuer is the internal CA.
 */
export function internalCaBundle(ctx: SuiteContext): { caBundle?: typeof TRUST_BUNDLE } {
  return ctx.config.tls.issuer === "internal-ca" ? { caBundle: TRUST_BUNDLE } : {};
}

/** How an app signs its users in through the organisation's realm: the OIDC client the realm holds for it. */
export interface SsoClientSpec {
  /** Where the app receives the identity provider's answer, relative to its own hostname. */
  readonly redirectPaths: readonly string[];
  /**
   * The app's OIDC client sends a PKCE challenge, so the realm can require S256. Only set it for a client
   * configured to do so: the realm then rejects logins without one.
   */
  readonly pkce: boolean;
  /** Back-channel logout endpoint relative to the app's hostname; `null`: the app has none. */
  readonly backchannelLogoutPath: string | null;
}

/** An OIDC client of the realm, planned for one enabled app. */
export interface SsoClient {
  readonly app: AppName;
  readonly clientId: string;
  /** Absolute redirect URIs, on the app's own hostname. */
  readonly redirectUris: readonly string[];
  readonly rootUrl: string;
  readonly pkce: boolean;
  /** Absolute back-channel logout URL, when the app has one. */
  readonly backchannelLogoutUrl?: string;
  /** Generated client secret, a Pulumi secret. */
  readonly secret: pulumi.Output<string>;
}

export interface SsoPlan {
  /** OIDC issuer of the organisation's realm. */
  readonly issuerUrl: string;
  readonly realm: string;
  readonly clients: readonly SsoClient[];
  client(app: AppName): SsoClient;
}

/** What an app's deploy function hands back: its stack outputs (`apps.<app>`). */
export type AppOutputs = Readonly<Record<string, unknown>>;

/**
 * Everything socle knows about one app, in one place: every field is required, so an app missing one
 * does not compile (test/architecture/app-module.fixture.ts). The registry is `APPS` in ./apps/index.ts.
 */
export interface AppModule {
  /** First label of the app's public hostname: `<hostPrefix>.<domain>`; its route and certificate use it. */
  readonly hostPrefix: string;
  /** Its OIDC client in the organisation's realm; `null` for an app that signs nobody in (the identity provider itself). */
  readonly sso: SsoClientSpec | null;
  /** Object-store buckets the app keeps files in, besides its databases' backups (created by the cloud or by Garage). */
  readonly buckets: (organizationId: string) => readonly string[];
  /** Services of type LoadBalancer in the app's namespace, declared to the audit (`socle.declaredLoadBalancers`). */
  readonly loadBalancers: readonly string[];
  /** Platform services the app's pods call, whose NetworkPolicies the platform opens to the app's namespace. */
  readonly flows: { readonly objectStorage: boolean };
  /**
   * Every Secret socle writes in the app's namespace, by its typed contract (src/model/secrets.ts): written
   * by the app's component, read by its charts and the operators they configure. The render test
   * (test/architecture/secret-contracts.test.ts) checks the rendered Secrets and every reference against it.
   */
  readonly secrets: readonly SecretContract[];
  /** Creates the app's resources; returns its stack outputs. */
  readonly deploy: (ctx: SuiteContext) => AppOutputs;
}
