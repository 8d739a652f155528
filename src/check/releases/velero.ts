/**
 * Velero's chart 12.1.0 (the version charts/platform/releases.ts pins), read at vmware-tanzu/helm-charts
 * commit 84dd2c08, whose charts/velero/Chart.yaml is version 12.1.0.
 */
import type { KubernetesObject } from "../../../policies/types";
import { serviceAccount, workload, type ReleaseContract, type ReleaseInstance } from "./types";

const AT = "vmware-tanzu/helm-charts@84dd2c080519168bae69541f3c4c3fa6b2596da9";
const T = `${AT}:charts/velero/templates`;

export const VELERO_V12_1_0: ReleaseContract = {
  chart: "velero",
  version: "12.1.0",
  readAt: `${AT}:charts/velero (chart 12.1.0)`,
  objects(r: ReleaseInstance): KubernetesObject[] {
    const base = { "app.kubernetes.io/name": "velero", "app.kubernetes.io/instance": r.name };
    const out: KubernetesObject[] = [
      // deployment.yaml: pod labels name: velero + app.kubernetes.io/name/instance; http-monitoring 8085; server service account.
      workload("Deployment", "velero", r, this, {
        labels: { name: "velero", ...base },
        ports: [{ name: "http-monitoring", containerPort: 8085 }],
        serviceAccountName: "velero-server",
        needsApiServer: true,
        source: `${T}/deployment.yaml`,
      }),
      serviceAccount("velero-server", r, this, `${T}/serviceaccount-server.yaml`),
    ];
    if (r.values.deployNodeAgent === true) {
      // node-agent-daemonset.yaml: pod labels name: node-agent, role: node-agent + app.kubernetes.io/name/instance.
      out.push(
        workload("DaemonSet", "node-agent", r, this, {
          labels: { name: "node-agent", role: "node-agent", ...base },
          ports: [{ name: "http-monitoring", containerPort: 8085 }],
          serviceAccountName: "velero-server",
          needsApiServer: true,
          source: `${T}/node-agent-daemonset.yaml`,
        }),
      );
    }
    return out;
  },
};
