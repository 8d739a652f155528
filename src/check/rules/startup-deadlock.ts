import { IMAGE_READINESS, type ReadinessFacts } from "../readiness";
import { inventory, selectedPods } from "../inventory";
import { asString, containers, isObject, nameOf, nsOf, objectId } from "../k8s";
import { podNeeds } from "../needs";
import type { CheckFinding, CheckRule } from "../types";
import { catalogName } from "./readonly-rootfs";

/**
 * A bootstrap Job must not reach the pods it bootstraps through a Service that only publishes Ready pods
 * when their readiness waits for that very Job: the Service has no endpoints, the Job never connects, the
 * pods never become Ready.
 */
export function startupDeadlockRule(readiness: Readonly<Record<string, ReadinessFacts>> = IMAGE_READINESS): CheckRule {
  return {
  id: "startup-deadlock",
  description: "No bootstrap Job reaches pods through a Service whose endpoints need those pods Ready while their readiness waits for the Job (unless publishNotReadyAddresses)",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const job of inv.pods) {
      if (job.owner.kind !== "Job") continue;
      for (const need of podNeeds(model, job)) {
        const svc = need.service;
        if (!svc || !isObject(svc.spec) || svc.spec.publishNotReadyAddresses === true) continue;
        for (const server of selectedPods(inv, svc)) {
          // The Job bootstraps these pods when it belongs to the same application: same namespace and part-of.
          const partOf = "app.kubernetes.io/part-of";
          if (server.owner === job.owner || server.namespace !== job.namespace || server.labels[partOf] !== job.labels[partOf]) continue;
          for (const c of containers(server)) {
            if (c.init || !isObject(c.container.readinessProbe)) continue;
            const name = catalogName(asString(c.container.image) ?? "");
            const facts = name ? readiness[name] : undefined;
            const probe = c.container.readinessProbe;
            const probePath = isObject(probe.httpGet) ? asString(probe.httpGet.path) : undefined;
            const base = `Job ${nsOf(job.owner)}/${nameOf(job.owner)} reaches ${need.host} through Service ${nsOf(svc)}/${nameOf(svc)}, which only lists Ready pods (no publishNotReadyAddresses), and ${objectId(server.owner)} becomes Ready through its readinessProbe`;
            const fix = `set spec.publishNotReadyAddresses: true on Service ${nameOf(svc)} (or give the Job a headless Service that does), so the Job reaches the pods before they are Ready`;
            if (!facts || (probePath !== undefined && facts.path !== probePath)) {
              out.push({
                rule: "startup-deadlock",
                severity: "warning",
                object: objectId(job.owner),
                path: need.path,
                message: `not checked: ${base}; whether that readiness waits for this Job is not recorded for image ${name ?? asString(c.container.image)}`,
                fix: `record the image's readiness behaviour in src/check/readiness.ts, or ${fix}`,
              });
            } else if (facts.waitsForBootstrap !== "no") {
              const confirmed = facts.waitsForBootstrap === "confirmed";
              out.push({
                rule: "startup-deadlock",
                severity: confirmed ? "blocker" : "warning",
                object: objectId(job.owner),
                path: need.path,
                message: `${confirmed ? "" : "possible deadlock, not proved: "}${base} on ${facts.path}, which ${confirmed ? "waits" : "may wait"} for ${facts.bootstrap} (${facts.source})${confirmed ? ": neither ever completes" : ""}`,
                fix,
              });
            }
          }
        }
      }
    }
    return out;
  },
};
}

export const startupDeadlock: CheckRule = startupDeadlockRule();
