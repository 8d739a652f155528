/**
 * The release contracts, keyed by chart and version. A release whose pinned version has no contract is a
 * blocker of `release-contract` (its installed objects are then unknown to every other rule).
 */
import type { KubernetesObject, ResourceView } from "../../../policies/types";
import { isObject } from "../k8s";
import { CAPSULE_V0_14_0 } from "./capsule";
import { CERT_MANAGER_V1_21_1 } from "./cert-manager";
import { CNPG_V0_29_0 } from "./cloudnative-pg";
import { ENVOY_GATEWAY_V1_8_4, ENVOY_GATEWAY_V1_9_0, ENVOY_GATEWAY_V1_9_1 } from "./envoy-gateway";
import { KUBE_PROMETHEUS_STACK_V91_5_0 } from "./kube-prometheus-stack";
import { OPENCOST_V2_5_17 } from "./opencost";
import { PLUGIN_BARMAN_CLOUD_V0_7_0 } from "./plugin-barman-cloud";
import { TRUST_MANAGER_V0_19_0 } from "./trust-manager";
import type { ReleaseContract, ReleaseInstance } from "./types";
import { VELERO_V12_1_0 } from "./velero";
import { ALL_CHARTS, chartMirrorPath } from "../../../charts/platform/releases";

export const RELEASE_CONTRACTS: readonly ReleaseContract[] = [
  ENVOY_GATEWAY_V1_8_4,
  ENVOY_GATEWAY_V1_9_0,
  ENVOY_GATEWAY_V1_9_1,
  CERT_MANAGER_V1_21_1,
  TRUST_MANAGER_V0_19_0,
  CNPG_V0_29_0,
  PLUGIN_BARMAN_CLOUD_V0_7_0,
  VELERO_V12_1_0,
  KUBE_PROMETHEUS_STACK_V91_5_0,
  CAPSULE_V0_14_0,
  OPENCOST_V2_5_17,
];

export const contractKey = (chart: string, version: string): string => `${chart}@${version}`;

const BY_KEY = new Map(RELEASE_CONTRACTS.map((c) => [contractKey(c.chart, c.version), c]));

export function contractFor(chart: string, version: string, contracts: readonly ReleaseContract[] = RELEASE_CONTRACTS): ReleaseContract | undefined {
  if (contracts === RELEASE_CONTRACTS) return BY_KEY.get(contractKey(chart, version));
  return contracts.find((c) => c.chart === chart && c.version === version);
}

export const HELM_RELEASE_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Release"]);

export interface ReleaseView {
  readonly view: ResourceView;
  readonly chart: string;
  readonly version: string;
  readonly instance: ReleaseInstance;
}

/** Helm releases of the input (Pulumi `helm.sh/v3:Release` resources), with what the contracts need. */
export function releasesOf(resources: readonly ResourceView[]): ReleaseView[] {
  const out: ReleaseView[] = [];
  for (const view of resources) {
    if (!HELM_RELEASE_TYPES.has(view.type)) continue;
    const p = view.props;
    const chart = upstreamChart(typeof p.chart === "string" ? p.chart : "");
    const version = typeof p.version === "string" ? p.version : "";
    const name = typeof p.name === "string" && p.name ? p.name : view.name;
    const namespace = typeof p.namespace === "string" && p.namespace ? p.namespace : "default";
    out.push({ view, chart, version, instance: { name, namespace, values: isObject(p.values) ? p.values : {} } });
  }
  return out;
}

/**
 * The upstream chart a release installs: with `socle:registryMirror` set a release names
 * `oci://<mirror>/<original location>/<chart>` (charts/platform/releases.ts `chartFrom`), whose contract is
 * the upstream chart's at the same version.
 */
export function upstreamChart(chart: string): string {
  if (!chart.startsWith("oci://")) return chart;
  for (const pinned of Object.values(ALL_CHARTS)) {
    if (chart === pinned.chart || chart.endsWith(`/${chartMirrorPath(pinned)}`)) return pinned.chart;
  }
  return chart;
}

export function installedObjects(release: ReleaseView, contracts: readonly ReleaseContract[] = RELEASE_CONTRACTS): KubernetesObject[] {
  const c = contractFor(release.chart, release.version, contracts);
  return c ? c.objects(release.instance) : [];
}
