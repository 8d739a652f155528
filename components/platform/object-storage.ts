import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { GARAGE_KEY_SECRET, GARAGE_NAMESPACE, GARAGE_SECRET, renderGarageChart, type GarageChartProps } from "../../charts/platform/garage";
import { splitNamespace } from "../apps/wiki";
import { manifestGroup } from "../lib/manifests";
import { KeyedSecret } from "../lib/secret";

export interface ObjectStorageArgs extends GarageChartProps {
  /** The backup access key the program generated (`ctx.backup.credentials`), imported into Garage. */
  readonly backupKey: { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };
}

/**
 * Garage, the in-cluster S3 store of `existing` targets. Its RPC secret (32 bytes, hex, as Garage requires)
 * and admin token are generated and delivered as Secrets; the configuration holds neither.
 */
export class ObjectStorage extends pulumi.ComponentResource {
  constructor(name: string, args: ObjectStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:ObjectStorage", name, {}, opts);
    const { backupKey, ...chartProps } = args;
    const [nsObj, rest] = splitNamespace(renderGarageChart(chartProps), GARAGE_NAMESPACE);
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, nsObj as k8s.core.v1.NamespaceArgs, { parent: this });
    const rpcSecret = new random.RandomBytes(`${name}-rpc-secret`, { length: 32 }, { parent: this });
    const adminToken = new random.RandomPassword(`${name}-admin-token`, { length: 48, special: false }, { parent: this });
    const secrets = new KeyedSecret(
      `${name}-secrets`,
      {
        metadata: { name: GARAGE_SECRET.name, namespace: GARAGE_NAMESPACE },
        type: "Opaque",
        stringData: GARAGE_SECRET.data({ "rpc-secret": pulumi.secret(rpcSecret.hex), "admin-token": pulumi.secret(adminToken.result) }),
      },
      { parent: this, dependsOn: [namespace] },
    );
    const key = new KeyedSecret(
      `${name}-backup-key`,
      {
        metadata: { name: GARAGE_KEY_SECRET.name, namespace: GARAGE_NAMESPACE },
        type: "Opaque",
        stringData: GARAGE_KEY_SECRET.data({ "access-key-id": pulumi.secret(backupKey.accessKeyId), "secret-access-key": pulumi.secret(backupKey.secretAccessKey) }),
      },
      { parent: this, dependsOn: [namespace] },
    );
    manifestGroup(name, rest, { parent: this, dependsOn: [namespace, secrets, key] });
    this.registerOutputs({});
  }
}
