import type { OpenStackSettings, OutscaleSettings } from "../../src/config/schema";

export const ADMIN = ["192.0.2.0/24", "198.51.100.0/25"];

export const openstackSettings = (over: Partial<OpenStackSettings> = {}): OpenStackSettings => ({
  mode: "vms",
  externalNetwork: "ext-net",
  qualifiedRegions: ["example-region-1"],
  allowUnqualifiedRegion: false,
  networkCidr: "10.20.0.0/16",
  availabilityZones: ["az-1", "az-2", "az-3"],
  image: "rke2-node-image",
  controlPlaneFlavor: "c2.large",
  workerPools: [{ name: "workers", flavor: "m2.xlarge", count: 3 }],
  encryptedVolumeType: "encrypted-ssd",
  sshAccess: "admin-cidrs",
  objectStorageEndpoint: "https://s3.example.invalid",
  ntpServers: ["ntp1.example.invalid"],
  ...over,
});

export const outscaleSettings = (over: Partial<OutscaleSettings> = {}): OutscaleSettings => ({
  mode: "vms",
  allowNonQualifiedRegion: false,
  networkCidr: "10.30.0.0/16",
  subregions: ["cloudgouv-eu-west-1a", "cloudgouv-eu-west-1b", "cloudgouv-eu-west-1c"],
  imageId: "ami-00000000",
  controlPlaneVmType: "tinav6.c4r8p1",
  workerPools: [{ name: "workers", flavor: "tinav6.c4r16p1", count: 3 }],
  sshAccess: "disabled",
  kubernetesVersion: "1.31",
  objectStorageEndpoint: "https://oos.example.invalid",
  ...over,
});
