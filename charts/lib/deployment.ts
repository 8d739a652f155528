import type { Chart } from "cdk8s";
import { k8s } from "./k8s";
import { disruptionBudget, spreadOverNodes } from "./availability";
import { exceptionsAnnotation, restrictedContainerSecurityContext, restrictedPodSecurityContext, type SecurityException } from "./security";
import { toK8sResources, type Resources } from "./sizing";

/** A writable directory of a read-only container: an emptyDir with a size cap. */
export interface ScratchDir {
  readonly name: string;
  readonly mountPath: string;
  readonly sizeLimit: string;
}

export interface AppDeploymentProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly uid: number;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly k8s.EnvVar[];
  readonly port?: number;
  readonly resources: Resources;
  readonly probes: Pick<k8s.Container, "startupProbe" | "readinessProbe" | "livenessProbe">;
  readonly scratch: readonly ScratchDir[];
  /** Read-only mounts (ConfigMaps, Secrets, the CA bundle), volume and mount together. */
  readonly mounts?: readonly { readonly volume: k8s.Volume; readonly mount: k8s.VolumeMount }[];
  readonly exceptions?: readonly SecurityException[];
  readonly strategy?: k8s.DeploymentStrategy;
}

/**
 * A Deployment with socle's defaults: its own ServiceAccount without token, Pod Security restricted,
 * read-only root filesystem with emptyDirs for the writable paths, and, from two replicas, a spread over
 * nodes plus a PodDisruptionBudget.
 */
export function appDeployment(chart: Chart, p: AppDeploymentProps): void {
  new k8s.KubeServiceAccount(chart, `${p.name}-service-account`, {
    metadata: { name: p.name, namespace: p.namespace, labels: { ...p.labels } },
    automountServiceAccountToken: false,
  });
  const mounts = p.mounts ?? [];
  new k8s.KubeDeployment(chart, `${p.name}-deployment`, {
    metadata: { name: p.name, namespace: p.namespace, labels: { ...p.labels }, annotations: exceptionsAnnotation(p.exceptions ?? []) },
    spec: {
      replicas: p.replicas,
      ...(p.strategy ? { strategy: p.strategy } : {}),
      selector: { matchLabels: { ...p.labels } },
      template: {
        metadata: { labels: { ...p.labels } },
        spec: {
          serviceAccountName: p.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurityContext(p.uid),
          ...(p.replicas > 1 ? { affinity: spreadOverNodes(p.labels) } : {}),
          containers: [
            {
              name: p.name,
              image: p.image,
              ...(p.command ? { command: [...p.command] } : {}),
              ...(p.args ? { args: [...p.args] } : {}),
              ...(p.env ? { env: [...p.env] } : {}),
              ...(p.port ? { ports: [{ name: "http", containerPort: p.port }] } : {}),
              securityContext: restrictedContainerSecurityContext(),
              resources: toK8sResources(p.resources),
              ...p.probes,
              volumeMounts: [...p.scratch.map((s) => ({ name: s.name, mountPath: s.mountPath })), ...mounts.map((m) => m.mount)],
            },
          ],
          volumes: [
            ...p.scratch.map((s) => ({ name: s.name, emptyDir: { sizeLimit: k8s.Quantity.fromString(s.sizeLimit) } })),
            ...mounts.map((m) => m.volume),
          ],
        },
      },
    },
  });
  disruptionBudget(chart, { name: p.name, namespace: p.namespace, labels: p.labels, replicas: p.replicas });
}

/** A ClusterIP Service in front of a workload's one port. */
export function clusterService(chart: Chart, p: { name: string; namespace: string; labels: Readonly<Record<string, string>>; port: number }): void {
  new k8s.KubeService(chart, `${p.name}-service`, {
    metadata: { name: p.name, namespace: p.namespace, labels: { ...p.labels } },
    spec: { type: "ClusterIP", selector: { ...p.labels }, ports: [{ name: "http", port: p.port, targetPort: k8s.IntOrString.fromNumber(p.port) }] },
  });
}

export const httpProbe = (path: string, port: number, extra: Partial<k8s.Probe> = {}): k8s.Probe => ({
  httpGet: { path, port: k8s.IntOrString.fromNumber(port) },
  periodSeconds: 10,
  timeoutSeconds: 5,
  ...extra,
});
