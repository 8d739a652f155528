import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { PinnedChart } from "../../charts/platform/releases";

/**
 * A Helm release of a pinned chart, installed into a namespace socle created (with its Pod Security labels
 * and NetworkPolicies) rather than one Helm would create bare. Atomic: a failed install or upgrade rolls back.
 */
export function pinnedRelease(name: string, chart: PinnedChart, values: Record<string, unknown>, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name,
      chart: chart.chart,
      version: chart.version,
      ...(chart.repo ? { repositoryOpts: { repo: chart.repo } } : {}),
      namespace: chart.namespace,
      createNamespace: false,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values,
    },
    opts,
  );
}
