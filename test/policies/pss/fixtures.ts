import type { KubernetesObject } from "../../../policies/types";

/** A pod template (metadata + spec) as plain JSON, the shape every pod-bearing kind embeds. */
export interface PodTemplate {
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}

const restrictedContainerContext = () => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
});

/** A pod that passes the restricted level: every check's allowed values, nothing more. */
export function compliantPod(): PodTemplate {
  return {
    metadata: { labels: { app: "web" }, annotations: { "example.org/owner": "team" } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      initContainers: [{ name: "init", image: "registry.example/init:1", securityContext: restrictedContainerContext() }],
      containers: [
        { name: "app", image: "registry.example/app:1", securityContext: restrictedContainerContext() },
        {
          name: "web",
          image: "registry.example/web:1",
          ports: [{ containerPort: 8080 }],
          livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
          lifecycle: { preStop: { httpGet: { path: "/stop", port: 8080 } } },
          securityContext: restrictedContainerContext(),
        },
      ],
      ephemeralContainers: [{ name: "debug", image: "registry.example/debug:1", securityContext: restrictedContainerContext() }],
      volumes: [
        { name: "data", emptyDir: {} },
        { name: "config", configMap: { name: "web-config" } },
      ],
    },
  };
}

export interface PodBearingKind {
  readonly kind: string;
  readonly apiVersion: string;
  /** Property path of the pod spec and of the pod metadata in this kind. */
  readonly specPath: string;
  readonly metadataPath: string;
  wrap(pod: PodTemplate): KubernetesObject;
}

const meta = { name: "web", namespace: "apps" };
const controller = (apiVersion: string, kind: string): PodBearingKind => ({
  kind,
  apiVersion,
  specPath: "spec.template.spec",
  metadataPath: "spec.template.metadata",
  wrap: (pod) => ({ apiVersion, kind, metadata: meta, spec: { selector: { matchLabels: { app: "web" } }, template: pod } }),
});

export const POD_BEARING_KINDS: readonly PodBearingKind[] = [
  {
    kind: "Pod",
    apiVersion: "v1",
    specPath: "spec",
    metadataPath: "metadata",
    wrap: (pod) => ({ apiVersion: "v1", kind: "Pod", metadata: { ...meta, ...pod.metadata }, spec: pod.spec }),
  },
  controller("apps/v1", "Deployment"),
  controller("apps/v1", "StatefulSet"),
  controller("apps/v1", "DaemonSet"),
  controller("apps/v1", "ReplicaSet"),
  controller("batch/v1", "Job"),
  controller("v1", "ReplicationController"),
  {
    kind: "CronJob",
    apiVersion: "batch/v1",
    specPath: "spec.jobTemplate.spec.template.spec",
    metadataPath: "spec.jobTemplate.spec.template.metadata",
    wrap: (pod) => ({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta,
      spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: pod } } },
    }),
  },
];

/** Sets (or, with `undefined`, deletes) the value at a dotted path with `[i]` indexes, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.match(/[^.[\]]+/g) ?? [];
  let node: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((key) => {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** The compliant pod with exactly one field changed: `path` is relative to the pod template (`spec.…` or `metadata.…`). */
export function podWith(path: string, value: unknown): PodTemplate {
  const pod = compliantPod();
  setPath(pod as unknown as Record<string, unknown>, path, value);
  return pod;
}
