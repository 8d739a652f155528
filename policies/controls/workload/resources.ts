import type { Control, Violation } from "../../types";
import { describe } from "../lib/k8s";
import { containersOf, workloadsOf } from "../lib/pod";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asRecord } from "../lib/values";

const REQUIRED: readonly (readonly [section: "requests" | "limits", resource: "cpu" | "memory"])[] = [
  ["requests", "cpu"],
  ["requests", "memory"],
  ["limits", "memory"],
];

export const control: Control = {
  id: "snc-workload-resources",
  title: {
    fr: "Ressources demandées et limitées pour chaque conteneur",
    en: "Resource requests and limits on every container",
  },
  snc: verifiedSection("17", "17.4", "Disponibilité des moyens de traitement de l'information"),
  severity: "medium",
  enforcement: "advisory",
  rationale:
    "Without requests the scheduler overcommits nodes; without a memory limit one container can exhaust a node's memory and get its neighbours killed. CPU and memory requests and a memory limit on every container keep the service within the capacity planned to meet its availability commitment (17.4.a). A CPU limit is not required: throttling hurts latency more than it protects neighbours, which CPU requests already do.",
  remediation: "Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` on every container and init container (socle's charts take them from charts/lib/sizing.ts).",
  evidence: ["pod specs: containers[] and initContainers[] `resources.requests.cpu`, `resources.requests.memory`, `resources.limits.memory`"],
  check(resources) {
    return workloadsOf(resources).map(({ view, obj, pod }) => {
      const violations: Violation[] = [];
      for (const c of containersOf(pod, ["initContainers", "containers"])) {
        const res = asRecord(c.container.resources);
        for (const [section, resource] of REQUIRED) {
          const value = asRecord(res[section])[resource];
          if (value === undefined || value === null || value === "") {
            violations.push(violation(`container ${c.name} sets no ${resource} ${section === "requests" ? "request" : "limit"}`, `${c.path}.resources.${section}.${resource}`));
          }
        }
      }
      return verdict(view, violations, `every container of ${describe(obj)} has cpu and memory requests and a memory limit`);
    });
  },
};
