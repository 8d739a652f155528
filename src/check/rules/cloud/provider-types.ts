import { OUTSCALE_PROVIDER, OUTSCALE_RESOURCES_V1_8_0, outscaleToken } from "../../../../components/cloud/outscale/provider";
import type { CheckFinding, CheckRule } from "../../types";
import { finding } from "./graph";
import { OPENSTACK_PROVIDER_VERSION, OPENSTACK_RESOURCE_TYPES } from "./openstack-types";

/** Resource types of each provider at the version socle pins, with where the list comes from. */
const PINNED: readonly { readonly prefix: string; readonly version: string; readonly source: string; readonly types: ReadonlySet<string> }[] = [
  { prefix: "openstack:", version: OPENSTACK_PROVIDER_VERSION, source: "the resource classes of @pulumi/openstack", types: new Set(OPENSTACK_RESOURCE_TYPES) },
  {
    prefix: "outscale:",
    version: OUTSCALE_PROVIDER.version,
    source: `docs/resources/ of ${OUTSCALE_PROVIDER.repository} at tag v${OUTSCALE_PROVIDER.version}`,
    types: new Set(OUTSCALE_RESOURCES_V1_8_0.map(outscaleToken)),
  },
];

export const providerTypes: CheckRule = {
  id: "cloud-provider-types",
  description: "Every OpenStack and Outscale resource type exists in the provider version socle pins.",
  run(model) {
    const out: CheckFinding[] = [];
    for (const r of model.cloud) {
      const pinned = PINNED.find((p) => r.type.startsWith(p.prefix));
      if (!pinned || pinned.types.has(r.type)) continue;
      out.push(
        finding(
          this.id,
          "blocker",
          r,
          "type",
          `resource type ${r.type} does not exist in the ${pinned.prefix.slice(0, -1)} provider ${pinned.version} (${pinned.source}): pulumi up fails on it`,
          "use a resource the pinned provider offers, or pin a released provider version that has it",
        ),
      );
    }
    return out;
  },
};
