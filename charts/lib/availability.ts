import type { Chart } from "cdk8s";
import { k8s } from "./k8s";

/**
 * Replicated workloads: spread over nodes and kept above one ready pod through voluntary disruptions
 * (node drains, upgrades). A single-replica workload gets neither: a PDB would block every drain.
 */

/** Preferred (not required) spread over nodes: a small cluster with fewer nodes than replicas still schedules. */
export function spreadOverNodes(labels: Readonly<Record<string, string>>): k8s.Affinity {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { ...labels } } } },
      ],
    },
  };
}

/** A PodDisruptionBudget keeping all but one replica up, only for workloads with two replicas or more. */
export function disruptionBudget(chart: Chart, props: { name: string; namespace: string; labels: Readonly<Record<string, string>>; replicas: number }): void {
  if (props.replicas < 2) return;
  new k8s.KubePodDisruptionBudget(chart, `${props.name}-pdb`, {
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...props.labels } } },
  });
}
