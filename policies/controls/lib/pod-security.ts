import { LATEST_MINOR, POD_BEARING_KINDS, createPodSecurityCache, evaluatePodSecurity, parsePolicyVersion, type PodSecurityCache } from "../../pss";
import type { CheckResult, Control, KubernetesObject, ResourceView } from "../../types";
import { type K8sResource, describe, k8sResources } from "./k8s";
import { ofKind, ofKinds } from "./indexes";
import { verdict } from "./results";
import { chapterOnly } from "./snc";

export type PodSecurityLevel = "baseline" | "restricted";

const LEVEL_TEXT: Record<PodSecurityLevel, { fr: string; en: string }> = {
  baseline: { fr: "de base (baseline)", en: "Baseline" },
  restricted: { fr: "restreint (restricted)", en: "Restricted" },
};

/** Pod Security Admission's namespace label modes, in the order a version is looked for (upstream api/constants.go). */
const MODES = ["enforce", "audit", "warn"] as const;

/** The policy version a namespace pins for `level`, read from its labels, and how it was chosen. */
export interface PinnedVersion {
  readonly minor: number;
  readonly label: string;
  /** `pod-security.kubernetes.io/<mode>-version` the version came from, when one did. */
  readonly from?: string;
}

/**
 * The version to evaluate a namespace's pods at `level` with: the `<mode>-version` label of the first mode
 * (enforce, audit, warn) whose level label is `level`; else the enforce-version label; else `latest`.
 * A value upstream's `ParseVersion` refuses counts as `latest`, as upstream does.
 */
export function pinnedVersion(labels: Readonly<Record<string, string>> | undefined, level: PodSecurityLevel): PinnedVersion {
  const l = labels ?? {};
  const mode = MODES.find((m) => l[`pod-security.kubernetes.io/${m}`] === level) ?? "enforce";
  const key = `pod-security.kubernetes.io/${mode}-version`;
  const raw = l[key];
  if (typeof raw !== "string") return { minor: LATEST_MINOR, label: "latest" };
  const parsed = parsePolicyVersion(raw);
  if (parsed === undefined || parsed === "latest") return { minor: LATEST_MINOR, label: "latest", from: key };
  return { minor: Math.min(parsed, LATEST_MINOR), label: `v1.${parsed}`, from: key };
}

/** What the two Pod Security controls share per resource list: namespace versions, and pods evaluated by structure. */
interface Shared {
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Per level, the version of each namespace asked for so far, with how its findings state it. */
  readonly versions: Record<PodSecurityLevel, Map<string, { readonly version: PinnedVersion; readonly at: string }>>;
  readonly pods: PodSecurityCache;
}

const shared = new WeakMap<readonly K8sResource[], Shared>();

function sharedOf(resources: readonly ResourceView[], k8s: readonly K8sResource[]): Shared {
  let found = shared.get(k8s);
  if (!found) {
    const map = new Map<string, Readonly<Record<string, string>>>();
    for (const { obj } of ofKind(resources, "", "Namespace")) {
      const labels = obj.metadata.labels;
      if (obj.metadata.name !== undefined && labels && typeof labels === "object") map.set(obj.metadata.name, labels);
    }
    found = { namespaceLabels: map, versions: { baseline: new Map(), restricted: new Map() }, pods: createPodSecurityCache() };
    shared.set(k8s, found);
  }
  return found;
}

function versionFor(s: Shared, obj: KubernetesObject, level: PodSecurityLevel): { readonly version: PinnedVersion; readonly at: string } {
  const ns = obj.metadata.namespace ?? "default";
  let found = s.versions[level].get(ns);
  if (!found) {
    const version = pinnedVersion(s.namespaceLabels.get(ns), level);
    found = { version, at: version.from ? `${version.label} (namespace label ${version.from})` : version.label };
    s.versions[level].set(ns, found);
  }
  return found;
}

/** A control that runs the Pod Security Standards evaluator at one level on every workload. */
export function podSecurityControl(level: PodSecurityLevel, meta: Pick<Control, "severity" | "enforcement" | "rationale" | "remediation">): Control {
  return {
    id: `snc-workload-pss-${level}`,
    title: {
      fr: `Les charges de travail respectent le profil ${LEVEL_TEXT[level].fr} des Pod Security Standards`,
      en: `Workloads meet the Pod Security Standards ${LEVEL_TEXT[level].en} profile`,
    },
    snc: chapterOnly("9"),
    ...meta,
    evidence: [`pod specs of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs, evaluated by policies/pss at level ${level}`, `namespace labels pod-security.kubernetes.io/<mode> and <mode>-version (policy version; latest = v1.${LATEST_MINOR})`],
    check(resources: readonly ResourceView[]): readonly CheckResult[] {
      const k8s = k8sResources(resources);
      const s = sharedOf(resources, k8s);
      const results: CheckResult[] = [];
      // Only pod-bearing kinds can have an outcome (evaluatePodSecurity says "does not apply" for the others):
      // the kind index lists them in input order, as the scan of every object did.
      for (const { view, obj } of ofKinds(resources, POD_BEARING_KINDS)) {
        const { version, at } = versionFor(s, obj, level);
        const outcome = evaluatePodSecurity(obj, level, version.minor, s.pods);
        if (!outcome.applies) continue;
        // The pass note names the object: written only for the objects that pass.
        results.push(verdict(view, outcome.violations, outcome.violations.length > 0 ? undefined : `${describe(obj)} meets the ${level} profile at policy version ${at}`));
      }
      return results;
    },
  };
}
