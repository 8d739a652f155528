import { LATEST_MINOR, evaluatePodSecurity, parsePolicyVersion } from "../../pss";
import type { CheckResult, Control, KubernetesObject, ResourceView } from "../../types";
import { type K8sResource, describe, isKind, k8sResources } from "./k8s";
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

const nsLabels = new WeakMap<readonly K8sResource[], ReadonlyMap<string, Readonly<Record<string, string>>>>();

function namespaceLabels(resources: readonly K8sResource[]): ReadonlyMap<string, Readonly<Record<string, string>>> {
  let found = nsLabels.get(resources);
  if (!found) {
    const map = new Map<string, Readonly<Record<string, string>>>();
    for (const { obj } of resources) {
      const labels = obj.metadata.labels;
      if (isKind(obj, "", "Namespace") && obj.metadata.name !== undefined && labels && typeof labels === "object") map.set(obj.metadata.name, labels);
    }
    found = map;
    nsLabels.set(resources, found);
  }
  return found;
}

function versionFor(resources: readonly K8sResource[], obj: KubernetesObject, level: PodSecurityLevel): PinnedVersion {
  return pinnedVersion(namespaceLabels(resources).get(obj.metadata.namespace ?? "default"), level);
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
      return k8s.flatMap(({ view, obj }) => {
        const version = versionFor(k8s, obj, level);
        const outcome = evaluatePodSecurity(obj, level, version.minor);
        const at = version.from ? `${version.label} (namespace label ${version.from})` : version.label;
        return outcome.applies ? [verdict(view, outcome.violations, `${describe(obj)} meets the ${level} profile at policy version ${at}`)] : [];
      });
    },
  };
}
