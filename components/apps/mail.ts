import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { MAIL_SECRETS, renderMailChart, type MailChartProps } from "../../charts/mail";
import { manifestGroup } from "../lib/manifests";
import { splitNamespace } from "./wiki";
import { KeyedSecret } from "../lib/secret";

export type MailArgs = MailChartProps & {
  /** The OIDC client's secret (generated with the realm's clients). */
  readonly oidcClientSecret: pulumi.Input<string>;
  /** Key of the backup bucket, delivered as the Secret named in `backup.credentialsSecret`. */
  readonly backupCredentials: { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };
};

/** The recovery administrator's user name (`STALWART_RECOVERY_ADMIN=<user>:<password>`). */
export const STALWART_ADMIN_USER = "admin";

/**
 * Mail: Stalwart and Roundcube with generated credentials delivered as Secrets. Order: the Namespace,
 * the Secrets, then everything but the Stalwart server (databases, certificate, provisioning Job,
 * Roundcube, policies), then the server once the Job has written its configuration into the database.
 */
export class Mail extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: MailArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:apps:Mail", name, {}, opts);
    const { oidcClientSecret, backupCredentials, ...chartProps } = args;
    const objs = renderMailChart(chartProps);
    const [nsObj, rest] = splitNamespace(objs, args.namespace);
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, nsObj as k8s.core.v1.NamespaceArgs, { parent: this });
    const inNs = { parent: this, dependsOn: [namespace] };
    const password = (id: string, length: number) => new random.RandomPassword(`${name}-${id}`, { length, special: false }, { parent: this }).result;
    const secret = (id: string, secretName: string, type: string, stringData: Record<string, pulumi.Input<string>>) =>
      new KeyedSecret(`${name}-${id}`, { metadata: { name: secretName, namespace: args.namespace }, type, stringData }, inNs);
    const { db, webmailDb, admin, roundcube } = MAIL_SECRETS;
    const backup = args.backup.credentialsSecret;

    const secrets = [
      secret("db-app", db.name, "kubernetes.io/basic-auth", db.data({ username: "stalwart", password: password("db-password", 32) })),
      secret("webmail-db-app", webmailDb.name, "kubernetes.io/basic-auth", webmailDb.data({ username: "roundcube", password: password("webmail-db-password", 32) })),
      secret("admin", admin.name, "Opaque", admin.data({ credential: pulumi.secret(pulumi.interpolate`${STALWART_ADMIN_USER}:${password("admin-password", 40)}`) })),
      // Roundcube's des_key encrypts the IMAP credential (here the access token) in the session: 24 characters.
      secret("roundcube-app", roundcube.name, "Opaque", roundcube.data({ des_key: password("roundcube-des-key", 24), oauth_client_secret: pulumi.secret(oidcClientSecret) })),
      secret("backup-credentials", backup.name, "Opaque", backup.data({ ACCESS_KEY_ID: pulumi.secret(backupCredentials.accessKeyId), ACCESS_SECRET_KEY: pulumi.secret(backupCredentials.secretAccessKey) })),
    ];

    const isServer = (o: Record<string, unknown>) => o.kind === "Deployment" && (o.metadata as { name?: string })?.name === "stalwart";
    const base = manifestGroup(name, rest.filter((o) => !isServer(o)), { parent: this, dependsOn: [namespace, ...secrets] });
    manifestGroup(`${name}-server`, rest.filter(isServer), { parent: this, dependsOn: [base] });

    this.url = pulumi.output(`https://${args.webHostname}/`);
    this.registerOutputs({ url: this.url });
  }
}
