import type { SizingProfile } from "../../../src/model/names";

/** Three control-plane nodes: etcd keeps quorum when one is lost. */
export const CONTROL_PLANE_NODES = 3;

export interface SizingPlan {
  /** Fewest worker nodes, over all pools, that carry the suite at this profile with one node down. */
  readonly minWorkers: number;
  /** Boot disk of a control-plane node (holds etcd and its snapshots), GiB. */
  readonly controlPlaneDiskGb: number;
  /** Boot disk of a worker (images, logs, emptyDirs; app data lives on CSI volumes), GiB. */
  readonly workerDiskGb: number;
  /** etcd snapshots RKE2 keeps (one every 6 hours). */
  readonly etcdSnapshots: number;
}

const PLANS: Readonly<Record<SizingProfile, SizingPlan>> = {
  small: { minWorkers: 2, controlPlaneDiskGb: 60, workerDiskGb: 80, etcdSnapshots: 28 },
  medium: { minWorkers: 3, controlPlaneDiskGb: 80, workerDiskGb: 120, etcdSnapshots: 28 },
  large: { minWorkers: 5, controlPlaneDiskGb: 120, workerDiskGb: 200, etcdSnapshots: 56 },
};

export function sizingPlan(profile: SizingProfile): SizingPlan {
  return PLANS[profile];
}

/** Spreads nodes over zones round-robin: node i goes to zone i mod n. */
export function zoneOf(index: number, zones: readonly string[]): string {
  if (zones.length === 0) throw new Error("zoneOf: no zone to place a node in");
  return zones[index % zones.length]!;
}
