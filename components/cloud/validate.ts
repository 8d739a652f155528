import { OUTSCALE_SECNUMCLOUD_REGION, type CloudCheckInput } from "../../src/model/cloud";
import type { ConfigIssue } from "../../src/model/issues";
import { canSplit, overlaps, POD_CIDR, SERVICE_CIDR } from "./plan/cidr-split";
import { sizingPlan } from "./plan/sizing";

/** OKS node types: generations 3 to 7 of `tinav…` (NodePoolSpec.nodeType pattern, outscale/goutils oks v1beta2 openapi.json). */
const OKS_TINA = /^tinav[34567]\.c([1-9]|[1-6][0-9]|7[0-8])r([1-9]|[1-9][0-9]|[1-9][0-9]{2}|10[0-3][0-9])(p[123])?$/;

/**
 * Cross-field checks of the cloud settings (pure), run after the schema: each issue names the key, the
 * value, what is allowed and the fix.
 */
export function validateCloud(config: CloudCheckInput): ConfigIssue[] {
  const { cloud } = config;
  const issues: ConfigIssue[] = [];
  if (cloud.target === "existing") return issues;
  const key = `socle:${cloud.target}`;
  const settings = cloud.settings as typeof cloud.settings | undefined;
  if (!settings) {
    return [{ path: key, value: undefined, problem: `is required for target ${cloud.target}`, fix: `add a ${key} block to the stack file (see stacks/Pulumi.ministere-exemple-${cloud.target}.yaml)` }];
  }
  if (!cloud.region) {
    issues.push({ path: "socle:region", value: cloud.region, problem: `is required for target ${cloud.target}`, fix: "set socle:region to the cloud region of the cluster" });
  }

  if (cloud.target === "openstack") {
    const s = cloud.settings;
    if (cloud.region && !s.qualifiedRegions.includes(cloud.region) && !s.allowUnqualifiedRegion) {
      issues.push({
        path: "socle:region",
        value: cloud.region,
        problem: "is not among the SecNumCloud-qualified regions this stack declares",
        allowed: s.qualifiedRegions.join(", "),
        fix: `use one of socle:openstack.qualifiedRegions, or set socle:openstack.allowUnqualifiedRegion: true (the policy pack flags it)`,
      });
    }
    if (s.mode === "magnum" && s.sshAccess !== "disabled") {
      issues.push({ path: `${key}.sshAccess`, value: s.sshAccess, problem: "has no effect in mode magnum: Magnum manages its nodes' security groups", allowed: "disabled", fix: `set ${key}.sshAccess: disabled, or use mode vms` });
    }
    if (s.mode === "magnum" && !s.encryptedVolumeType) {
      issues.push({
        path: `${key}.encryptedVolumeType`,
        value: undefined,
        problem: "is required in mode magnum: magnum-capi-helm names its storage classes after Cinder volume types, and socle puts the boot, etcd and app volumes on this one",
        fix: `set ${key}.encryptedVolumeType to the Cinder volume type your provider encrypts`,
      });
    }
    if (s.mode === "vms" && s.magnumTemplate) {
      issues.push({ path: `${key}.magnumTemplate`, value: s.magnumTemplate, problem: "is only used in mode magnum", fix: `remove ${key}.magnumTemplate, or set ${key}.mode: magnum` });
    }
    dupes(s.availabilityZones).forEach((z) => issues.push({ path: `${key}.availabilityZones`, value: z, problem: "is listed twice", fix: "list each availability zone once" }));
  } else {
    const s = cloud.settings;
    if (cloud.region && cloud.region !== OUTSCALE_SECNUMCLOUD_REGION && !s.allowNonQualifiedRegion) {
      issues.push({
        path: "socle:region",
        value: cloud.region,
        problem: "is not Outscale's SecNumCloud-qualified region",
        allowed: OUTSCALE_SECNUMCLOUD_REGION,
        fix: `set socle:region to ${OUTSCALE_SECNUMCLOUD_REGION}, or set socle:outscale.allowNonQualifiedRegion: true (the policy pack flags it)`,
      });
    }
    (s.subregions ?? []).forEach((sub, i) => {
      if (cloud.region && !(sub.length === cloud.region.length + 1 && sub.startsWith(cloud.region) && /[a-z]$/.test(sub))) {
        issues.push({ path: `${key}.subregions[${i}]`, value: sub, problem: `is not a subregion of region ${cloud.region}`, allowed: `${cloud.region}a, ${cloud.region}b, …`, fix: "use the region name followed by one letter" });
      }
    });
    dupes(s.subregions ?? []).forEach((z) => issues.push({ path: `${key}.subregions`, value: z, problem: "is listed twice", fix: "list each subregion once" }));
    if (s.mode === "oks") {
      if (!s.kubernetesVersion) issues.push({ path: `${key}.kubernetesVersion`, value: undefined, problem: "is required in mode oks", fix: `set ${key}.kubernetesVersion to a minor version OKS offers (oks-cli lists them)` });
      s.workerPools.forEach((p, i) => {
        if (!OKS_TINA.test(p.flavor)) {
          issues.push({ path: `${key}.workerPools[${i}].flavor`, value: p.flavor, problem: "is not a node type OKS accepts", allowed: "tinav3 to tinav7 types such as tinav6.c4r16p1", fix: "choose a tinav3–tinav7 VM type" });
        }
      });
    }
    if (s.mode === "vms" && !s.imageId) {
      issues.push({ path: `${key}.imageId`, value: undefined, problem: "is required in mode vms", fix: `set ${key}.imageId to the OMI (ami-…) of the node image carrying RKE2's airgap artifacts` });
    }
  }

  const s = cloud.settings;
  const networkPath = `${key}.networkCidr`;
  for (const [, other] of overlaps({ [networkPath]: s.networkCidr, "pod network": POD_CIDR, "service network": SERVICE_CIDR }).filter(([a]) => a === networkPath)) {
    issues.push({
      path: networkPath,
      value: s.networkCidr,
      problem: `overlaps the Kubernetes ${other} (${other === "pod network" ? POD_CIDR : SERVICE_CIDR})`,
      allowed: `a private range outside ${POD_CIDR} and ${SERVICE_CIDR}`,
      fix: `choose another ${networkPath}, e.g. ${cloud.target === "openstack" ? "10.20.0.0/16" : "10.30.0.0/16"}`,
    });
  }
  // The nodes' ranges Prometheus may reach on the kubelet port (socle:monitoring.nodeCidrs): never the pod or service network.
  if (config.monitoring?.source === "setting") {
    for (const cidr of config.monitoring.nodeCidrs) {
      for (const [, other] of overlaps({ node: cidr, "pod network": POD_CIDR, "service network": SERVICE_CIDR }).filter(([a]) => a === "node")) {
        issues.push({
          path: "socle:monitoring.nodeCidrs",
          value: cidr,
          problem: `overlaps the Kubernetes ${other} (${other === "pod network" ? POD_CIDR : SERVICE_CIDR}): Prometheus' egress to the kubelets (port 10250) would reach pods or services there too`,
          allowed: `the nodes' ranges, within ${networkPath} (${s.networkCidr})`,
          fix: `list the nodes' own ranges, or remove socle:monitoring to use ${networkPath}`,
        });
      }
    }
  }
  config.adminCidrs.forEach((cidr, i) => {
    if (overlaps({ a: s.networkCidr, b: cidr }).length > 0) {
      issues.push({ path: `socle:adminCidrs[${i}]`, value: cidr, problem: `overlaps ${networkPath} (${s.networkCidr}): the admin network would be the node network`, allowed: `ranges outside ${s.networkCidr}`, fix: `list the admin networks' own ranges, or move ${networkPath}` });
    }
  });
  const zones = cloud.target === "openstack" ? cloud.settings.availabilityZones : (cloud.settings.subregions ?? [`${cloud.region}a`]);
  const subnets = zones.length + (cloud.target === "outscale" && cloud.settings.mode === "vms" ? 1 : 0);
  if (!canSplit(s.networkCidr, subnets)) {
    issues.push({ path: networkPath, value: s.networkCidr, problem: `is too small for ${subnets} subnets of at least /28 (one per zone${subnets > zones.length ? ", one public" : ""})`, allowed: "a /24 or larger", fix: "use a larger range, e.g. a /16" });
  }
  const workers = s.workerPools.reduce((n, p) => n + p.count, 0);
  const min = sizingPlan(config.sizing).minWorkers;
  if (workers < min) {
    issues.push({ path: `${key}.workerPools`, value: workers, problem: `hold ${workers} worker node(s), fewer than sizing ${config.sizing} needs`, allowed: `at least ${min} workers in total`, fix: `raise the pools' counts, or set socle:sizing to a smaller profile` });
  }
  dupes(s.workerPools.map((p) => p.name)).forEach((n) => issues.push({ path: `${key}.workerPools`, value: n, problem: "has two pools with this name", fix: "give each worker pool its own name" }));
  return issues;
}

function dupes(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
