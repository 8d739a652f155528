/**
 * What a Helm release installs that matters to `socle check`, as a typed contract per chart version:
 * workloads and their pod labels and ports, hook Jobs, Services, admission webhooks, the API-server
 * access each pod needs, the Secrets and ConfigMaps it creates or reads. Every fact is read from the
 * chart's templates upstream at the pinned version, and the file is cited on the fact.
 */
import type { KubernetesObject } from "../../../policies/types";
import { ANNOTATIONS } from "../k8s";

export interface ReleaseInstance {
  /** Helm release name. */
  readonly name: string;
  readonly namespace: string;
  /** Values socle passes (the release's `values`). */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface ReleaseContract {
  /** Chart name as `charts/platform/releases.ts` pins it (name or `oci://` reference). */
  readonly chart: string;
  readonly version: string;
  /** Upstream tree the facts were read at, e.g. `cert-manager/cert-manager@v1.21.1:deploy/charts/cert-manager`. */
  readonly readAt: string;
  /** Set when the facts could not be read at exactly `version` (why, and at which version they were read). */
  readonly unresolved?: string;
  /** The objects the release installs, as far as the checks need them. */
  objects(release: ReleaseInstance): KubernetesObject[];
}

export interface PodFacts {
  readonly labels: Record<string, string>;
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly serviceAccountName?: string;
  readonly volumes?: readonly Record<string, unknown>[];
  readonly needsApiServer: boolean;
  /** Upstream template file (URL or `repo@ref:path`). */
  readonly source: string;
}

function annotations(release: ReleaseInstance, contract: { version: string }, source: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [ANNOTATIONS.installedBy]: `${release.name}@${contract.version}`, [ANNOTATIONS.source]: source, ...extra };
}

/** A workload (Deployment, DaemonSet or hook Job) with one container carrying the pod facts. */
export function workload(
  kind: "Deployment" | "DaemonSet" | "Job",
  name: string,
  release: ReleaseInstance,
  contract: { version: string },
  pod: PodFacts,
  hook?: string,
): KubernetesObject {
  const extra: Record<string, string> = {};
  if (pod.needsApiServer) extra[ANNOTATIONS.needsApiServer] = "true";
  if (hook) extra[ANNOTATIONS.hook] = hook;
  return {
    apiVersion: kind === "Job" ? "batch/v1" : "apps/v1",
    kind,
    metadata: { name, namespace: release.namespace, annotations: annotations(release, contract, pod.source, extra) },
    spec: {
      template: {
        metadata: { labels: pod.labels },
        spec: {
          ...(pod.serviceAccountName ? { serviceAccountName: pod.serviceAccountName } : {}),
          containers: [{ name, ...(pod.ports ? { ports: pod.ports } : {}) }],
          ...(pod.volumes ? { volumes: pod.volumes } : {}),
        },
      },
    },
  };
}

export function service(
  name: string,
  release: ReleaseInstance,
  contract: { version: string },
  selector: Record<string, string>,
  ports: readonly { name?: string; port: number; targetPort: number | string }[],
  source: string,
): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: release.namespace, annotations: annotations(release, contract, source) },
    spec: { selector, ports },
  };
}

export function webhookConfiguration(
  kind: "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration",
  name: string,
  release: ReleaseInstance,
  contract: { version: string },
  webhooks: readonly { name: string; service: string; port: number; failurePolicy: "Fail" | "Ignore" }[],
  source: string,
): KubernetesObject {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind,
    metadata: { name, annotations: annotations(release, contract, source) },
    webhooks: webhooks.map((w) => ({
      name: w.name,
      failurePolicy: w.failurePolicy,
      clientConfig: { service: { name: w.service, namespace: release.namespace, port: w.port } },
    })),
  };
}

/** A Secret the release (or one of its jobs/controllers) creates; `keys` when the template names them. */
export function producedSecret(name: string, release: ReleaseInstance, contract: { version: string }, keys: readonly string[] | undefined, producer: string, source: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: release.namespace, annotations: annotations(release, contract, source, { [ANNOTATIONS.producedBy]: producer }) },
    ...(keys ? { data: Object.fromEntries(keys.map((k) => [k, ""])) } : {}),
  };
}

export function serviceAccount(name: string, release: ReleaseInstance, contract: { version: string }, source: string): KubernetesObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: release.namespace, annotations: annotations(release, contract, source) } };
}
