import type { SizingProfile } from "./names";

/**
 * The cloud settings the cloud components receive: the `cloud` slice of the typed configuration. The
 * configuration schema (src/config/schema.ts) validates a stack file into exactly these shapes; the two
 * are pinned equal by src/config/model-check.ts, so a field added to one and not the other does not compile.
 * Comments on each field are in the schema.
 */

/** Outscale's SecNumCloud-qualified region: the default, and the only one allowed without an override. */
export const OUTSCALE_SECNUMCLOUD_REGION = "cloudgouv-eu-west-1";

export interface NodePool {
  name: string;
  flavor: string;
  count: number;
}

export interface OpenStackSettings {
  mode: "vms" | "magnum";
  externalNetwork: string;
  qualifiedRegions: string[];
  allowUnqualifiedRegion: boolean;
  networkCidr: string;
  availabilityZones: string[];
  image: string;
  controlPlaneFlavor: string;
  workerPools: NodePool[];
  encryptedVolumeType?: string | undefined;
  sshAccess: "disabled" | "admin-cidrs" | "bastion";
  magnumTemplate?: string | undefined;
  objectStorageEndpoint: string;
  ntpServers?: string[] | undefined;
}

export interface OutscaleSettings {
  mode: "vms" | "oks";
  allowNonQualifiedRegion: boolean;
  networkCidr: string;
  subregions?: string[] | undefined;
  imageId?: string | undefined;
  controlPlaneVmType: string;
  workerPools: NodePool[];
  sshAccess: "disabled" | "admin-cidrs" | "bastion";
  kubernetesVersion?: string | undefined;
  objectStorageEndpoint: string;
  ntpServers?: string[] | undefined;
}

export interface ExistingSettings {
  kubeconfigPath?: string | undefined;
  storageClass: string;
  region: string;
}

export type CloudConfig =
  | { target: "openstack"; region: string; settings: OpenStackSettings }
  | { target: "outscale"; region: string; settings: OutscaleSettings }
  | { target: "existing"; region: string; settings: ExistingSettings };

/** What the cloud's cross-field configuration check reads (a slice of the typed configuration). */
export interface CloudCheckInput {
  readonly cloud: CloudConfig;
  readonly adminCidrs: readonly string[];
  readonly sizing: SizingProfile;
  /** The nodes' ranges Prometheus scrapes the kubelets at, and where they come from (`socle:monitoring.nodeCidrs`). */
  readonly monitoring?: { readonly nodeCidrs: readonly string[]; readonly source: "setting" | "cloud network" | "none" };
}
