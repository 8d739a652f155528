/** Shared by the flow rules: pods as reachability subjects, and the API server's ports. */
import type { Workload } from "../analysis/reachability";
import { containerPorts, containers, nameOf, objectId, type PodTemplate } from "./k8s";

/** The API server as pods reach it: `kubernetes.default` on 443, forwarded to the control plane's port (443 or 6443). */
export const API_SERVER_PORTS = [443, 6443] as const;

export function workloadOf(pod: PodTemplate): Workload {
  return {
    id: objectId(pod.owner),
    namespace: pod.namespace,
    labels: pod.labels,
    ports: containers(pod).flatMap((c) => containerPorts(c.container).map((p) => p.port)),
  };
}

export const podName = (pod: PodTemplate): string => `${pod.owner.kind} ${pod.namespace}/${nameOf(pod.owner)}`;
