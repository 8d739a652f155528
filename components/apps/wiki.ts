import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { renderWikiChart, type WikiChartProps } from "../../charts/wiki";
import type { WikiSso } from "../../charts/wiki/oidc";
import { databaseCredentials } from "../../charts/lib/secrets";
import { defineSecret } from "../../src/model/secrets";
import { manifestGroup } from "../lib/manifests";
import { KeyedSecret } from "../lib/secret";

export type WikiArgs = Omit<WikiChartProps, "dbSecret" | "sso"> & {
  /** Single sign-on; the client secret is delivered as a Secret the init container reads. */
  readonly sso?: Omit<WikiSso, "clientSecret"> & { readonly clientSecret: pulumi.Input<string> };
  /** Credentials for the backup bucket, delivered as the Secret named in `backup.credentialsSecret`. */
  readonly backupCredentials: { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };
};

/** The Secrets the component writes and the chart reads, by contract (src/model/secrets.ts). */
export const WIKI_SECRETS = {
  db: databaseCredentials("xwiki-db-app"),
  /** The OIDC client's secret, read by the init container that writes XWiki's OIDC configuration. */
  oidc: defineSecret("xwiki-oidc-client", ["client-secret"]),
} as const;

/** The wiki: XWiki and its PostgreSQL cluster, with generated credentials delivered as Secrets. */
export class Wiki extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: WikiArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:apps:Wiki", name, {}, opts);
    const { sso, backupCredentials, ...chartArgs } = args;
    const objs = renderWikiChart({
      ...chartArgs,
      dbSecret: WIKI_SECRETS.db,
      ...(sso ? { sso: { ...sso, clientSecret: WIKI_SECRETS.oidc.ref("client-secret") } } : {}),
    });
    const [nsObj, rest] = splitNamespace(objs, args.namespace);
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, nsObj as k8s.core.v1.NamespaceArgs, { parent: this });

    const password = new random.RandomPassword(`${name}-db-password`, { length: 32, special: false }, { parent: this });
    const dbSecret = new KeyedSecret(
      `${name}-db-app`,
      {
        metadata: { name: WIKI_SECRETS.db.name, namespace: args.namespace },
        type: "kubernetes.io/basic-auth",
        stringData: WIKI_SECRETS.db.data({ username: "xwiki", password: password.result }),
      },
      { parent: this, dependsOn: [namespace] },
    );
    const backupSecret = new KeyedSecret(
      `${name}-backup-credentials`,
      {
        metadata: { name: args.backup.credentialsSecret.name, namespace: args.namespace },
        type: "Opaque",
        stringData: args.backup.credentialsSecret.data({
          ACCESS_KEY_ID: pulumi.secret(backupCredentials.accessKeyId),
          ACCESS_SECRET_KEY: pulumi.secret(backupCredentials.secretAccessKey),
        }),
      },
      { parent: this, dependsOn: [namespace] },
    );
    const oidcSecret = sso
      ? [
          new KeyedSecret(
            `${name}-oidc-client`,
            { metadata: { name: WIKI_SECRETS.oidc.name, namespace: args.namespace }, type: "Opaque", stringData: WIKI_SECRETS.oidc.data({ "client-secret": pulumi.secret(sso.clientSecret) }) },
            { parent: this, dependsOn: [namespace] },
          ),
        ]
      : [];
    manifestGroup(name, rest, { parent: this, dependsOn: [namespace, dbSecret, backupSecret, ...oidcSecret] });

    this.url = pulumi.output(`https://${args.hostname}/`);
    this.registerOutputs({ url: this.url });
  }
}

/** The chart's Namespace is created first and on its own, so Secrets can exist before the workloads that read them. */
export function splitNamespace(objs: readonly Record<string, unknown>[], namespace: string): [Record<string, unknown>, Record<string, unknown>[]] {
  const isNs = (o: Record<string, unknown>) => o.kind === "Namespace" && (o.metadata as { name?: string })?.name === namespace;
  const ns = objs.find(isNs);
  if (!ns) throw new Error(`chart does not define namespace ${namespace}`);
  return [ns, objs.filter((o) => !isNs(o))];
}
