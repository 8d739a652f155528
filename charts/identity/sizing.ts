import type { SizingProfile } from "../../src/model/names";
import type { Resources } from "../lib/sizing";

/** Replicas, resources and heap of Keycloak for a sizing profile; the build step runs once per pod before it. */
export interface KeycloakSize {
  readonly replicas: number;
  readonly resources: Resources;
  /** JVM heap bounds, below the memory limit (metaspace, threads and Argon2's 7 MiB per hash live outside it). */
  readonly heap: string;
  /** The init container that runs `kc.sh build`: a short JVM, no realm traffic. */
  readonly build: Resources;
}

const BUILD: Resources = { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "1Gi" };

const TABLE: Record<SizingProfile, KeycloakSize> = {
  small: { replicas: 1, resources: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "1536Mi" }, heap: "-Xms512m -Xmx1g", build: BUILD },
  medium: { replicas: 2, resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "3Gi" }, heap: "-Xms1g -Xmx2g", build: BUILD },
  large: { replicas: 3, resources: { cpuRequest: "2", memoryRequest: "4Gi", memoryLimit: "6Gi" }, heap: "-Xms2g -Xmx4g", build: BUILD },
};

export function keycloakSize(profile: SizingProfile): KeycloakSize {
  return TABLE[profile];
}
