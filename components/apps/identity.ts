import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { KEYCLOAK_SECRETS, renderIdentityChart, type IdentityChartProps } from "../../charts/identity";
import { federationSecretKey } from "../../charts/identity/realm";
import { manifestGroup } from "../lib/manifests";
import { splitNamespace } from "./wiki";
import { KeyedSecret } from "../lib/secret";

export type IdentityArgs = IdentityChartProps & {
  /** Generated secret of each client, by client id: delivered to Keycloak as a Secret, never in the realm file. */
  readonly clientSecrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** Secret of socle's client at each upstream provider, by alias; one per `realm.federation` entry (a Pulumi secret from the stack). */
  readonly federationClientSecrets?: Readonly<Record<string, pulumi.Input<string>>>;
  readonly backupCredentials: { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };
};

/** Keycloak and its realm; the database and the bootstrap administrator's credentials are generated. */
export class Identity extends pulumi.ComponentResource {
  readonly issuerUrl: pulumi.Output<string>;

  constructor(name: string, args: IdentityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:apps:Identity", name, {}, opts);
    const { clientSecrets, federationClientSecrets = {}, backupCredentials, ...chartProps } = args;
    const federation = args.realm.federation ?? [];
    const noSecret = federation.filter((f) => federationClientSecrets[f.alias] === undefined);
    if (noSecret.length > 0) {
      throw new Error(`identity: no client secret for upstream provider(s) ${noSecret.map((f) => `"${f.alias}" (${f.issuer})`).join(", ")}; pass each in federationClientSecrets`);
    }
    const missing = args.realm.clients.map((c) => c.clientId).filter((id) => !(id in clientSecrets));
    if (missing.length > 0) throw new Error(`identity: no generated secret for client(s) ${missing.join(", ")}; every realm client needs one in clientSecrets`);
    const clientKeys: Record<string, pulumi.Input<string>> = { ...clientSecrets };
    for (const f of federation) clientKeys[federationSecretKey(f.alias)] = federationClientSecrets[f.alias]!;
    const [nsObj, rest] = splitNamespace(renderIdentityChart(chartProps), args.namespace);
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, nsObj as k8s.core.v1.NamespaceArgs, { parent: this });
    const inNs = { parent: this, dependsOn: [namespace] };
    const password = (id: string) => new random.RandomPassword(`${name}-${id}`, { length: 32, special: false }, { parent: this }).result;

    const secrets = [
      new KeyedSecret(
        `${name}-db-app`,
        { metadata: { name: KEYCLOAK_SECRETS.db.name, namespace: args.namespace }, type: "kubernetes.io/basic-auth", stringData: KEYCLOAK_SECRETS.db.data({ username: "keycloak", password: password("db-password") }) },
        inNs,
      ),
      new KeyedSecret(
        `${name}-admin`,
        // The bootstrap administrator only opens the master realm once; day-to-day admins live in the organisation's realm with OTP.
        { metadata: { name: KEYCLOAK_SECRETS.admin.name, namespace: args.namespace }, type: "Opaque", stringData: KEYCLOAK_SECRETS.admin.data({ username: "socle-bootstrap-admin", password: password("admin-password") }) },
        inNs,
      ),
      new KeyedSecret(
        `${name}-clients`,
        {
          metadata: { name: KEYCLOAK_SECRETS.clients.name, namespace: args.namespace },
          type: "Opaque",
          stringData: KEYCLOAK_SECRETS.clients.data(Object.fromEntries(Object.entries(clientKeys).map(([id, secret]) => [id, pulumi.secret(secret)]))),
        },
        inNs,
      ),
      new KeyedSecret(
        `${name}-backup-credentials`,
        {
          metadata: { name: args.backup.credentialsSecret.name, namespace: args.namespace },
          type: "Opaque",
          stringData: args.backup.credentialsSecret.data({ ACCESS_KEY_ID: pulumi.secret(backupCredentials.accessKeyId), ACCESS_SECRET_KEY: pulumi.secret(backupCredentials.secretAccessKey), }),
        },
        inNs,
      ),
    ];
    manifestGroup(name, rest, { parent: this, dependsOn: [namespace, ...secrets] });
    this.issuerUrl = pulumi.output(`https://${args.hostname}/realms/${args.realm.name}`);
    this.registerOutputs({ issuerUrl: this.issuerUrl });
  }
}
