import type { SizingProfile } from "../../../src/config/schema";

/** Three control-plane nodes: etcd keeps quorum when one is lost. */
export const CONTROL_PLANE_NODES = 3;

/** Worker nodes a profile needs, before the stack's own pools override it. */
export function defaultWorkerCount(profile: SizingProfile): number {
  return { small: 3, medium: 5, large: 9 }[profile];
}

/** Spreads `count` nodes over zones round-robin: node i goes to zone i mod n. */
export function zoneOf(index: number, zones: readonly string[]): string {
  return zones[index % zones.length]!;
}
