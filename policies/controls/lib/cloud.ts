import type { ResourceView } from "../../types";
import { providerOf } from "./stack";
import { asString, isUnknown, nonEmptyString } from "./values";

/** Cloud packages whose resources carry a region or a subregion. */
export const REGIONAL_PACKAGES = ["openstack", "outscale"] as const;

/** The package of a Pulumi type token: `openstack` for `openstack:compute/instance:Instance` and for `pulumi:providers:openstack`. */
export function packageOf(type: string): string {
  if (type.startsWith("pulumi:providers:")) return type.slice("pulumi:providers:".length);
  const colon = type.indexOf(":");
  return colon < 0 ? type : type.slice(0, colon);
}

/** Outscale subregions are the region name plus one letter (`cloudgouv-eu-west-1a`). */
const regionOfSubregion = (subregion: string): string => subregion.replace(/[a-z]$/, "");

export interface RegionEvidence {
  readonly region: string;
  /** Which property the region came from, for the finding's path and note. */
  readonly from: string;
}

/** The region a resource lives in: its own `region`, its subregion, or the region of its provider. */
export function regionOf(resources: readonly ResourceView[], view: ResourceView): RegionEvidence | undefined {
  const own = ownRegion(view);
  if (own) return own;
  const provider = providerOf(resources, view);
  const inherited = provider ? ownRegion(provider) : undefined;
  return inherited ? { region: inherited.region, from: `provider ${provider!.name} ${inherited.from}` } : undefined;
}

function ownRegion(view: ResourceView): RegionEvidence | undefined {
  const known = (v: unknown): v is string => nonEmptyString(v) && !isUnknown(v);
  const region = asString(view.props.region);
  if (known(region)) return { region, from: "region" };
  for (const key of ["subregionName", "placementSubregionName"]) {
    const sub = view.props[key];
    if (known(sub)) return { region: regionOfSubregion(sub), from: key };
  }
  return undefined;
}
