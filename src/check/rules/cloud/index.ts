import type { CheckRule } from "../../types";

/** Rules on the cloud graph (metadata reachability, load balancer targets, storage classes, provider types, admin surfaces). */
export const CLOUD_RULES: readonly CheckRule[] = [];
