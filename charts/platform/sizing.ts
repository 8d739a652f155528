import type { SizingProfile } from "../../src/model/names";
import type { Resources } from "../lib/sizing";

/** Size of a platform service: container resources and, for stateful ones, its volume. */
export interface ServiceSize {
  readonly resources: Resources;
  readonly storage?: string;
}

type Table = Record<SizingProfile, ServiceSize>;

const GARAGE: Table = {
  small: { resources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "1Gi" }, storage: "100Gi" },
  medium: { resources: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "2Gi" }, storage: "1Ti" },
  large: { resources: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "4Gi" }, storage: "5Ti" },
};

const VICTORIA_LOGS: Table = {
  small: { resources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "1Gi" }, storage: "50Gi" },
  medium: { resources: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "4Gi" }, storage: "500Gi" },
  large: { resources: { cpuRequest: "2", memoryRequest: "4Gi", memoryLimit: "8Gi" }, storage: "2Ti" },
};

const FLUENT_BIT: Table = {
  small: { resources: { cpuRequest: "50m", memoryRequest: "64Mi", memoryLimit: "256Mi" } },
  medium: { resources: { cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "512Mi" } },
  large: { resources: { cpuRequest: "200m", memoryRequest: "256Mi", memoryLimit: "1Gi" } },
};

const PROMETHEUS: Table = {
  small: { resources: { cpuRequest: "250m", memoryRequest: "1Gi", memoryLimit: "2Gi" }, storage: "20Gi" },
  medium: { resources: { cpuRequest: "500m", memoryRequest: "2Gi", memoryLimit: "4Gi" }, storage: "100Gi" },
  large: { resources: { cpuRequest: "1", memoryRequest: "4Gi", memoryLimit: "8Gi" }, storage: "300Gi" },
};

const VALKEY: Table = {
  small: { resources: { cpuRequest: "50m", memoryRequest: "64Mi", memoryLimit: "256Mi" } },
  medium: { resources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "1Gi" } },
  large: { resources: { cpuRequest: "250m", memoryRequest: "1Gi", memoryLimit: "2Gi" } },
};

/** Controllers installed from Helm charts (Envoy Gateway, cert-manager, CloudNativePG, Velero, prometheus-operator). */
const CONTROLLER: Table = {
  small: { resources: { cpuRequest: "50m", memoryRequest: "128Mi", memoryLimit: "512Mi" } },
  medium: { resources: { cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "1Gi" } },
  large: { resources: { cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "2Gi" } },
};

export const garageSize = (p: SizingProfile): ServiceSize => GARAGE[p];
export const victoriaLogsSize = (p: SizingProfile): ServiceSize => VICTORIA_LOGS[p];
export const fluentBitSize = (p: SizingProfile): ServiceSize => FLUENT_BIT[p];
export const prometheusSize = (p: SizingProfile): ServiceSize => PROMETHEUS[p];
export const valkeySize = (p: SizingProfile): ServiceSize => VALKEY[p];
export const controllerSize = (p: SizingProfile): ServiceSize => CONTROLLER[p];
