import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { chartFrom, type PinnedChart } from "../../charts/platform/releases";

/**
 * A Helm release of a pinned chart, installed into a namespace socle created (with its Pod Security labels
 * and NetworkPolicies) rather than one Helm would create bare. Atomic: a failed install or upgrade rolls back.
 * With a registry mirror the chart comes from `oci://<mirror>/<original location>/<chart>` at the same pinned
 * version (`socle images mirror` copies it there; `socle images lock` records its digest): no chart
 * repository outside the organisation is contacted.
 */
export function pinnedRelease(name: string, pinned: PinnedChart, values: Record<string, unknown>, opts: pulumi.CustomResourceOptions, registryMirror?: string): k8s.helm.v3.Release {
  const chart = chartFrom(pinned, registryMirror);
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
