import type { SizingProfile } from "../../src/model/names";
import type { WorkloadSize } from "../lib/sizing";

/** Replicas and resources of the chat workloads for a sizing profile. */
export interface ChatSize {
  /** Always one replica: a monolithic Synapse cannot run twice (scaling out means Synapse workers, not set up here). */
  readonly synapse: WorkloadSize & { readonly mediaStorage: string; readonly dbPoolMax: number };
  readonly element: WorkloadSize;
}

const TABLE: Record<SizingProfile, ChatSize> = {
  small: {
    synapse: { replicas: 1, mediaStorage: "20Gi", dbPoolMax: 10, resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "2Gi" } },
    element: { replicas: 1, resources: { cpuRequest: "25m", memoryRequest: "32Mi", memoryLimit: "128Mi" } },
  },
  medium: {
    synapse: { replicas: 1, mediaStorage: "200Gi", dbPoolMax: 20, resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "6Gi" } },
    element: { replicas: 2, resources: { cpuRequest: "50m", memoryRequest: "64Mi", memoryLimit: "256Mi" } },
  },
  large: {
    synapse: { replicas: 1, mediaStorage: "1Ti", dbPoolMax: 40, resources: { cpuRequest: "2", memoryRequest: "6Gi", memoryLimit: "16Gi" } },
    element: { replicas: 3, resources: { cpuRequest: "100m", memoryRequest: "64Mi", memoryLimit: "256Mi" } },
  },
};

export function chatSize(profile: SizingProfile): ChatSize {
  return TABLE[profile];
}
