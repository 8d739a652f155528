import { evaluatePodSecurity } from "../../pss";
import type { CheckResult, Control, ResourceView } from "../../types";
import { describe, k8sResources } from "./k8s";
import { verdict } from "./results";
import { chapterOnly } from "./snc";

export type PodSecurityLevel = "baseline" | "restricted";

const LEVEL_TEXT: Record<PodSecurityLevel, { fr: string; en: string }> = {
  baseline: { fr: "de base (baseline)", en: "Baseline" },
  restricted: { fr: "restreint (restricted)", en: "Restricted" },
};

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
    evidence: [`pod specs of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs, evaluated by policies/pss at level ${level}`],
    check(resources: readonly ResourceView[]): readonly CheckResult[] {
      return k8sResources(resources).flatMap(({ view, obj }) => {
        const outcome = evaluatePodSecurity(obj, level);
        return outcome.applies ? [verdict(view, outcome.violations, `${describe(obj)} meets the ${level} profile`)] : [];
      });
    },
  };
}
