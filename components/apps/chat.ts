import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { CHAT_DB_NAME, CHAT_DATABASE, CHAT_SECRETS, renderChatChart, type ChatChartProps } from "../../charts/chat";
import { secretConfig, signingKeyFile } from "../../charts/chat/homeserver";
import { chatSize } from "../../charts/chat/sizing";
import { manifestGroup } from "../lib/manifests";
import { splitNamespace } from "./wiki";
import { KeyedSecret } from "../lib/secret";

export type ChatArgs = ChatChartProps & {
  readonly oidc: { readonly issuerUrl: string; readonly clientId: string; readonly clientSecret: pulumi.Input<string>; readonly displayName: string };
  /** Key of the backup bucket, delivered as the Secret named in `backup.credentialsSecret`. */
  readonly backupCredentials: { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };
};

/**
 * Chat: Synapse and Element Web. Every Synapse secret (database password, registration shared secret,
 * macaroon key, form secret, OIDC client secret, signing key) is generated here and reaches the pod only
 * through the `synapse-secrets` Secret, as a second configuration file and the key file.
 */
export class Chat extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ChatArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:apps:Chat", name, {}, opts);
    const { oidc, backupCredentials, ...chartProps } = args;
    const objs = renderChatChart(chartProps);
    const [nsObj, rest] = splitNamespace(objs, args.namespace);
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, nsObj as k8s.core.v1.NamespaceArgs, { parent: this });
    const inNs = { parent: this, dependsOn: [namespace] };
    const password = (id: string, length: number) => new random.RandomPassword(`${name}-${id}`, { length, special: false }, { parent: this }).result;

    const dbPassword = password("db-password", 32);
    const dbSecret = new KeyedSecret(
      `${name}-db-app`,
      {
        metadata: { name: CHAT_SECRETS.db.name, namespace: args.namespace },
        type: "kubernetes.io/basic-auth",
        stringData: CHAT_SECRETS.db.data({ username: "synapse", password: dbPassword }),
      },
      inNs,
    );
    // An ed25519 seed is any 32 random bytes.
    const signingSeed = new random.RandomBytes(`${name}-signing-key`, { length: 32 }, { parent: this });
    const secretsYaml = pulumi
      .all([dbPassword, password("registration-shared-secret", 48), password("macaroon-secret-key", 48), password("form-secret", 48), pulumi.output(oidc.clientSecret)])
      .apply(([db, registration, macaroon, form, clientSecret]) =>
        secretConfig({
          database: { host: `${CHAT_DB_NAME}-rw`, name: CHAT_DATABASE, user: "synapse", password: db, poolMax: chatSize(args.sizing).synapse.dbPoolMax },
          registrationSharedSecret: registration,
          macaroonSecretKey: macaroon,
          formSecret: form,
          oidc: { issuer: oidc.issuerUrl, clientId: oidc.clientId, clientSecret, displayName: oidc.displayName },
        }),
      );
    const configSecret = new KeyedSecret(
      `${name}-synapse-secrets`,
      {
        metadata: { name: CHAT_SECRETS.config.name, namespace: args.namespace },
        type: "Opaque",
        stringData: CHAT_SECRETS.config.data({
          "secrets.yaml": pulumi.secret(secretsYaml),
          "signing.key": pulumi.secret(signingSeed.base64.apply((seed) => signingKeyFile(seed))),
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
    manifestGroup(name, rest, { parent: this, dependsOn: [namespace, dbSecret, configSecret, backupSecret] });

    this.url = pulumi.output(`https://${args.hostname}/`);
    this.registerOutputs({ url: this.url });
  }
}
