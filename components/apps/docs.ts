import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { DOCS_SECRETS, renderDocsChart, type DocsChartProps } from "../../charts/docs";
import { DOCS_VALKEY } from "../../charts/docs/settings";
import { VALKEY_PORT } from "../../charts/platform/valkey";
import { manifestGroup } from "../lib/manifests";
import { splitNamespace } from "./wiki";
import { KeyedSecret } from "../lib/secret";

type S3Key = { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };

export type DocsArgs = DocsChartProps & {
  /** The OIDC client's secret (generated with the realm's clients). */
  readonly oidcClientSecret: pulumi.Input<string>;
  /** Key of the media bucket. */
  readonly mediaCredentials: S3Key;
  /** Key of the backup bucket, delivered as the Secret named in `backup.credentialsSecret`. */
  readonly backupCredentials: S3Key;
};

/** Workloads that must wait for the migration Job: they serve or change data through the schema. */
const AFTER_MIGRATION = new Set(["docs-backend", "docs-worker"]);

/**
 * La Suite Docs with generated credentials delivered as Secrets. Order: the Namespace, the Secrets, then
 * everything but the backend and worker (database, cache, migration Job, frontend, y-provider, policies),
 * then the backend and worker once the Job has migrated the schema (Pulumi waits for a Job to complete).
 */
export class Docs extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: DocsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:apps:Docs", name, {}, opts);
    const { oidcClientSecret, mediaCredentials, backupCredentials, ...chartProps } = args;
    const objs = renderDocsChart(chartProps);
    const [nsObj, rest] = splitNamespace(objs, args.namespace);
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, nsObj as k8s.core.v1.NamespaceArgs, { parent: this });
    const inNs = { parent: this, dependsOn: [namespace] };
    const password = (id: string, length: number) => new random.RandomPassword(`${name}-${id}`, { length, special: false }, { parent: this }).result;

    const dbSecret = new KeyedSecret(
      `${name}-db-app`,
      {
        metadata: { name: DOCS_SECRETS.db.name, namespace: args.namespace },
        type: "kubernetes.io/basic-auth",
        stringData: DOCS_SECRETS.db.data({ username: "docs", password: password("db-password", 32) }),
      },
      inNs,
    );
    const valkeyPassword = password("valkey-password", 32);
    const valkeyUrl = (db: number) => pulumi.secret(pulumi.interpolate`redis://:${valkeyPassword}@${DOCS_VALKEY}.${args.namespace}.svc:${VALKEY_PORT}/${db}`);
    const appSecret = new KeyedSecret(
      `${name}-app`,
      {
        metadata: { name: DOCS_SECRETS.app.name, namespace: args.namespace },
        type: "Opaque",
        stringData: DOCS_SECRETS.app.data({
          DJANGO_SECRET_KEY: password("django-secret-key", 50),
          OIDC_RP_CLIENT_SECRET: pulumi.secret(oidcClientSecret),
          COLLABORATION_SERVER_SECRET: password("collaboration-secret", 40),
          Y_PROVIDER_API_KEY: password("y-provider-api-key", 40),
          VALKEY_PASSWORD: valkeyPassword,
          // Cache (and sessions) and the Celery broker in separate logical databases of the same Valkey.
          REDIS_URL: valkeyUrl(1),
          DJANGO_CELERY_BROKER_URL: valkeyUrl(2),
        }),
      },
      inNs,
    );
    const mediaSecret = new KeyedSecret(
      `${name}-media-s3`,
      {
        metadata: { name: DOCS_SECRETS.media.name, namespace: args.namespace },
        type: "Opaque",
        stringData: DOCS_SECRETS.media.data({
          AWS_S3_ACCESS_KEY_ID: pulumi.secret(mediaCredentials.accessKeyId),
          AWS_S3_SECRET_ACCESS_KEY: pulumi.secret(mediaCredentials.secretAccessKey),
        }),
      },
      inNs,
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
      inNs,
    );

    const isAfterMigration = (o: Record<string, unknown>) => o.kind === "Deployment" && AFTER_MIGRATION.has((o.metadata as { name?: string })?.name ?? "");
    const base = manifestGroup(name, rest.filter((o) => !isAfterMigration(o)), { parent: this, dependsOn: [namespace, dbSecret, appSecret, mediaSecret, backupSecret] });
    manifestGroup(`${name}-app`, rest.filter(isAfterMigration), { parent: this, dependsOn: [base] });

    this.url = pulumi.output(`https://${args.hostname}/`);
    this.registerOutputs({ url: this.url });
  }
}
