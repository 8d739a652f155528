/**
 * Compile-time pin: the configuration schema validates a stack file into exactly the shapes of the bottom
 * layer (src/model), which charts and components take instead of reading the configuration. A field added
 * to, removed from or retyped in one and not the other fails `tsc -p .` here, naming the setting.
 */
import type { z } from "zod";
import type * as model from "../model/cloud";
import type { CloudConfig, SocleConfig, existingSchema, nodePoolSchema, openstackSchema, outscaleSchema } from "./schema";

/** `true` when A and B are the same type: same fields, same types, same optionality and modifiers. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export const SCHEMA_MATCHES_MODEL: {
  readonly nodePool: Same<z.infer<typeof nodePoolSchema>, model.NodePool>;
  readonly openstack: Same<z.infer<typeof openstackSchema>, model.OpenStackSettings>;
  readonly outscale: Same<z.infer<typeof outscaleSchema>, model.OutscaleSettings>;
  readonly existing: Same<z.infer<typeof existingSchema>, model.ExistingSettings>;
  readonly cloud: Same<CloudConfig, model.CloudConfig>;
  /** The typed configuration is a valid input of the cloud's cross-field check. */
  readonly cloudCheck: SocleConfig extends model.CloudCheckInput ? true : false;
} = { nodePool: true, openstack: true, outscale: true, existing: true, cloud: true, cloudCheck: true };
