import type * as pulumi from "@pulumi/pulumi";
import type { GatewayService, GatewaySite } from "../../charts/gateway";
import type { Peer } from "../../charts/lib/network";
import type { AppName, SocleConfig } from "../config/schema";
import type { SsoPlan } from "./sso";

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
    credentialsSecret: "backup-s3-credentials",
    region: ctx.config.cloud.region,
    retentionDays: ctx.backup.retentionDays,
    peer: ctx.backup.peer,
    port: ctx.backup.port,
  };
}

/** The shared Gateway as an app's chart sees it: where its route attaches, and whose pods may reach it. */
export function gatewayFor(ctx: SuiteContext, site: string) {
  const g = ctx.gateway;
  return { name: g.name, namespace: g.namespace, listener: g.listener(site), pods: g.pods, podNamespace: g.podNamespace };
}

/** What an app deployer hands back: the hostnames the gateway must serve, and stack outputs. */
export interface AppDeployment {
  readonly sites: readonly GatewaySite[];
  /** Buckets the app stores files in, created by the platform's object store (target existing). */
  readonly buckets?: readonly string[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

export type AppDeployer = (ctx: SuiteContext) => AppDeployment;
