import type { SizingProfile } from "../../src/model/names";
import type { Resources, WorkloadSize } from "../lib/sizing";

/** Replicas and resources of each Docs workload for a sizing profile. */
export interface DocsSize {
  readonly backend: WorkloadSize & { readonly gunicornWorkers: number };
  readonly frontend: WorkloadSize;
  readonly worker: WorkloadSize;
  /**
   * Always one replica: the v5.7 y-provider (Hocuspocus) keeps each document's room in memory, so every
   * editor of a document must reach the same pod; upstream's ingress pinned them with a consistent hash
   * (`upstream-hash-by`), which core Gateway API routing cannot express.
   */
  readonly yProvider: WorkloadSize;
  /** Short-lived jobs (migrations). */
  readonly job: Resources;
}

const TABLE: Record<SizingProfile, DocsSize> = {
  small: {
    backend: { replicas: 1, gunicornWorkers: 3, resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "1Gi" } },
    frontend: { replicas: 1, resources: { cpuRequest: "50m", memoryRequest: "32Mi", memoryLimit: "128Mi" } },
    worker: { replicas: 1, resources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "768Mi" } },
    yProvider: { replicas: 1, resources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "768Mi" } },
    job: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "768Mi" },
  },
  medium: {
    backend: { replicas: 2, gunicornWorkers: 4, resources: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "2Gi" } },
    frontend: { replicas: 2, resources: { cpuRequest: "100m", memoryRequest: "64Mi", memoryLimit: "256Mi" } },
    worker: { replicas: 2, resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "1Gi" } },
    yProvider: { replicas: 1, resources: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "2Gi" } },
    job: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "1Gi" },
  },
  large: {
    backend: { replicas: 4, gunicornWorkers: 4, resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "4Gi" } },
    frontend: { replicas: 3, resources: { cpuRequest: "200m", memoryRequest: "128Mi", memoryLimit: "512Mi" } },
    worker: { replicas: 3, resources: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "2Gi" } },
    yProvider: { replicas: 1, resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "4Gi" } },
    job: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "1Gi" },
  },
};

export function docsSize(profile: SizingProfile): DocsSize {
  return TABLE[profile];
}
