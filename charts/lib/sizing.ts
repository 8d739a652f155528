import { k8s } from "./k8s";
import type { SizingProfile } from "../../src/model/names";

/** Container resources, in Kubernetes quantity strings. */
export interface Resources {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  readonly cpuLimit?: string;
}

export interface WorkloadSize {
  readonly replicas: number;
  readonly resources: Resources;
}

/** Users a profile is sized for: small up to 500, medium up to 5,000, large up to 50,000. */
export const PROFILE_USERS: Record<SizingProfile, number> = { small: 500, medium: 5000, large: 50000 };

/** Database cluster size: at least two instances everywhere so a node loss never loses the primary's data. */
export function databaseSize(profile: SizingProfile): { instances: number; storage: string; resources: Resources } {
  switch (profile) {
    case "small":
      return { instances: 2, storage: "10Gi", resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "1Gi" } };
    case "medium":
      return { instances: 3, storage: "50Gi", resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "4Gi" } };
    case "large":
      return { instances: 3, storage: "200Gi", resources: { cpuRequest: "2", memoryRequest: "8Gi", memoryLimit: "16Gi" } };
  }
}

const q = (v: string) => k8s.Quantity.fromString(v);

/** Requests for CPU and memory, a memory limit, and a CPU limit only where one is set (CPU limits throttle JVMs badly). */
export function toK8sResources(r: Resources): k8s.ResourceRequirements {
  return {
    requests: { cpu: q(r.cpuRequest), memory: q(r.memoryRequest) },
    limits: { memory: q(r.memoryLimit), ...(r.cpuLimit ? { cpu: q(r.cpuLimit) } : {}) },
  };
}

/** The same, as plain strings, for custom resources (CloudNativePG) that take raw quantities. */
export function plainResources(r: Resources) {
  return {
    requests: { cpu: r.cpuRequest, memory: r.memoryRequest },
    limits: { memory: r.memoryLimit, ...(r.cpuLimit ? { cpu: r.cpuLimit } : {}) },
  };
}
