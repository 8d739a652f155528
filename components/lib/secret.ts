import * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
// The provider plugin version, which every `@pulumi/kubernetes` resource class sets as its default `version`
// option (@pulumi/kubernetes utilities.js `resourceOptsDefaults`, internal: `{ version: getVersion() }`).
import { getVersion } from "@pulumi/kubernetes/utilities";

export interface KeyedSecretArgs {
  readonly metadata: pulumi.Input<k8s.types.input.meta.v1.ObjectMeta>;
  readonly type: pulumi.Input<string>;
  /** One value per key; the keys are plain strings, each value may be an Output. */
  readonly stringData: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * A `v1/Secret` whose keys stay known while its values are secret, and possibly not yet known.
 *
 * `k8s.core.v1.Secret` wraps the whole `stringData` map in one `pulumi.secret(...)`
 * (@pulumi/kubernetes core/v1/secret.js: `resourceInputs["stringData"] = pulumi.secret(args.stringData)`), and
 * one Output over a map is unknown as soon as one value is: in a preview (and in `socle render`) a Secret
 * holding a cloud credential then shows no key at all, and nothing can check that the keys the pods read
 * exist. Here each value is its own secret Output, so the map's keys are known, the values are never in
 * clear, and the resource is the same `kubernetes:core/v1:Secret` with the same inputs and the same secret
 * outputs (`additionalSecretOutputs: data, stringData`, as the SDK class sets them).
 */
export class KeyedSecret extends pulumi.CustomResource {
  public readonly metadata!: pulumi.Output<k8s.types.output.meta.v1.ObjectMeta>;

  constructor(name: string, args: KeyedSecretArgs, opts: pulumi.CustomResourceOptions = {}) {
    const stringData = Object.fromEntries(Object.entries(args.stringData).map(([key, value]) => [key, pulumi.secret(value)]));
    const inputs = { apiVersion: "v1", kind: "Secret", metadata: args.metadata, type: args.type, stringData, data: undefined, immutable: undefined };
    const merged = pulumi.mergeOptions(pulumi.mergeOptions({ version: getVersion() }, opts), { additionalSecretOutputs: ["data", "stringData"] });
    super("kubernetes:core/v1:Secret", name, inputs, merged);
  }
}
