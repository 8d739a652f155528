import type { CheckResult, Control } from "../../types";
import { describe, k8sResources } from "../lib/k8s";
import { workloadsOf } from "../lib/pod";
import { notApplicable, verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { stackView } from "../lib/stack";
import { asInteger } from "../lib/values";

/** Label every log store (or its collector's output) carries: how many days it keeps logs. */
export const RETENTION_LABEL = "socle.io/log-retention-days";

export const control: Control = {
  id: "snc-logs-retention",
  title: {
    fr: "Journaux collectés et conservés au moins la durée minimale",
    en: "Logs collected and kept for at least the minimum retention",
  },
  snc: verifiedSection("12", "12.6", "Journalisation des événements"),
  severity: "medium",
  enforcement: "mandatory",
  rationale:
    "Logged events must be kept for at least six months (12.6.c) and the logging policy must state the retention (12.6.a). The deployment declares each log store's retention with a label, checked against the stack's minimum, so that a shortened retention is visible in review and in the audit.",
  remediation: `Label the log store's workload (or the object holding its retention setting) \`${RETENTION_LABEL}: "<days>"\`, equal to the retention actually configured, and set that retention to at least the stack's minimum (logs.retentionDays).`,
  evidence: [`Kubernetes objects labelled \`${RETENTION_LABEL}\``, "context: minLogRetentionDays"],
  check(resources, ctx) {
    const labelled = k8sResources(resources).filter(({ obj }) => obj.metadata.labels?.[RETENTION_LABEL] !== undefined);
    const results: CheckResult[] = labelled.map(({ view, obj }) => {
      const raw = obj.metadata.labels![RETENTION_LABEL]!;
      const days = asInteger(raw);
      const path = `metadata.labels.${RETENTION_LABEL}`;
      if (days === undefined) return verdict(view, [violation(`${describe(obj)}: ${RETENTION_LABEL} is ${JSON.stringify(raw)}, not a number of days`, path)]);
      return verdict(
        view,
        days < ctx.minLogRetentionDays ? [violation(`${describe(obj)} keeps logs ${days} days, less than the minimum of ${ctx.minLogRetentionDays}`, path)] : [],
        `${describe(obj)} keeps logs ${days} days (minimum ${ctx.minLogRetentionDays})`,
      );
    });
    if (labelled.length === 0) {
      const stack = stackView(resources);
      results.push(
        workloadsOf(resources).length === 0
          ? notApplicable(stack, "the input runs no workload")
          : verdict(stack, [violation(`no log store declares its retention (label ${RETENTION_LABEL}): logs are not shown to be collected and kept`)]),
      );
    }
    return results;
  },
};
