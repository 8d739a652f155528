import type { CheckRule } from "../../types";
import { adminSurface } from "./admin-surface";
import { lbBackendListening } from "./lb-backend-listening";
import { metadataReachable } from "./metadata-reachable";
import { providerTypes } from "./provider-types";
import { storageClassProvided } from "./storage-class-provided";

/** Rules on the cloud graph (metadata reachability, load balancer targets, storage classes, provider types, admin surfaces). */
export const CLOUD_RULES: readonly CheckRule[] = [metadataReachable, lbBackendListening, storageClassProvided, providerTypes, adminSurface];
