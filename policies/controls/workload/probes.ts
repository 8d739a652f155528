import type { Control, Violation } from "../../types";
import { describe } from "../lib/k8s";
import { containersOf, runsToCompletion, workloadsOf } from "../lib/pod";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { isRecord } from "../lib/values";

export const control: Control = {
  id: "snc-workload-probes",
  title: {
    fr: "Sondes de vivacité et de disponibilité sur les conteneurs de service",
    en: "Liveness and readiness probes on long-running containers",
  },
  snc: verifiedSection("17", "17.4", "Disponibilité des moyens de traitement de l'information"),
  severity: "low",
  enforcement: "advisory",
  rationale:
    "A readiness probe keeps traffic away from a replica that cannot serve; a liveness probe restarts one that hangs. Without them a stuck process stays in service until someone notices, against the availability committed in the service agreement (17.4.a). Jobs and CronJobs run to completion and are not concerned.",
  remediation: "Add `livenessProbe` and `readinessProbe` (HTTP, TCP or exec) to every container of Deployments, StatefulSets, DaemonSets and long-running Pods.",
  evidence: ["pod specs of long-running workloads (not Jobs, CronJobs or Pods with restartPolicy Never/OnFailure): containers[] `livenessProbe`, `readinessProbe`"],
  check(resources) {
    return workloadsOf(resources)
      .filter(({ obj, pod }) => !runsToCompletion(obj, pod))
      .map(({ view, obj, pod }) => {
        const violations: Violation[] = [];
        for (const c of containersOf(pod, ["containers"])) {
          for (const probe of ["livenessProbe", "readinessProbe"]) {
            if (!isRecord(c.container[probe])) violations.push(violation(`container ${c.name} has no ${probe}`, `${c.path}.${probe}`));
          }
        }
        return verdict(view, violations, `every container of ${describe(obj)} has liveness and readiness probes`);
      });
  },
};
