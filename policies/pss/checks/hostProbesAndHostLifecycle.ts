/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_hostProbesAndhostLifecycle.go
 * (commit 2e94b405ac89f322d58dba55dae5e52a18f59778), check `hostProbesAndHostLifecycle`, baseline, revision v1.34
 * (the only one registered; KEP-4940).
 * Restricted fields: {liveness,readiness,startup}Probe.{httpGet,tcpSocket}.host and
 * lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host on every container; allowed: "", undefined
 * (the kubernetes.io Pod Security Standards page lists the same allowed values).
 */
import type { Violation } from "../../types";
import type { Handler } from "../podSpec";
import { type PssCheck, containersOf, quote, violation } from "../check";

const ID = "hostProbesAndHostLifecycle";
const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const HOOKS = ["postStart", "preStop"] as const;
const ACTIONS = ["httpGet", "tcpSocket"] as const;

function hostViolations(handler: Handler | undefined, container: string, handlerPath: string): Violation[] {
  if (handler === undefined || handler === null) return [];
  const found: Violation[] = [];
  for (const action of ACTIONS) {
    const host: unknown = handler[action]?.host;
    if (host === undefined || host === null || host === "") continue;
    found.push(violation(ID, `container ${quote(container)} must not set ${action}.host to ${quote(host)}`, `${handlerPath}.${action}.host`));
  }
  return found;
}

export const hostProbesAndHostLifecycle: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [34],
  evaluate(pod) {
    const found: Violation[] = [];
    for (const { container, name, path } of containersOf(pod)) {
      for (const probe of PROBES) found.push(...hostViolations(container[probe], name, `${path}.${probe}`));
      for (const hook of HOOKS) found.push(...hostViolations(container.lifecycle?.[hook], name, `${path}.lifecycle.${hook}`));
    }
    return found;
  },
};
