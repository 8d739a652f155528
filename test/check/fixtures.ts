/** Small builders of Kubernetes objects and check models for the rule tests. */
import type { AuditContext, KubernetesObject, ResourceView } from "../../policies/types";
import { buildCheckModel } from "../../src/check/model";
import type { CheckFinding, CheckModel, CheckRule } from "../../src/check/types";

export const CONTEXT: AuditContext = {
  allowedRegions: [],
  allowedRegistries: [],
  minLogRetentionDays: 365,
  declaredLoadBalancers: [],
  hasStackMetadata: false,
  today: "2026-01-01",
};

type Obj = KubernetesObject;

export function view(o: Obj): ResourceView {
  return { type: `k8s:${o.apiVersion}:${o.kind}`, name: o.metadata.name ?? "", props: o as unknown as Record<string, unknown>, protect: false, k8s: o };
}

/** A model from plain objects, plus optional non-object resources (Helm releases). */
export function model(objects: Obj[], extra: ResourceView[] = []): CheckModel {
  return buildCheckModel({ views: [...objects.map(view), ...extra], context: CONTEXT });
}

export function run(rule: CheckRule, objects: Obj[], extra: ResourceView[] = []): CheckFinding[] {
  return [...rule.run(model(objects, extra))];
}

export const ns = (name: string): Obj => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });

export interface PodOpts {
  kind?: "Deployment" | "StatefulSet" | "Job";
  labels?: Record<string, string>;
  containers?: Record<string, unknown>[];
  initContainers?: Record<string, unknown>[];
  volumes?: Record<string, unknown>[];
  serviceAccountName?: string;
  spec?: Record<string, unknown>;
}

export function workload(namespace: string, name: string, o: PodOpts = {}): Obj {
  const kind = o.kind ?? "Deployment";
  return {
    apiVersion: kind === "Job" ? "batch/v1" : "apps/v1",
    kind,
    metadata: { name, namespace },
    spec: {
      ...(o.spec ?? {}),
      template: {
        metadata: { labels: o.labels ?? { app: name } },
        spec: {
          ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
          ...(o.initContainers ? { initContainers: o.initContainers } : {}),
          containers: o.containers ?? [{ name, image: "example.test/app:1" }],
          ...(o.volumes ? { volumes: o.volumes } : {}),
        },
      },
    },
  };
}

export function service(namespace: string, name: string, selector: Record<string, string>, ports: { port: number; targetPort?: number | string; name?: string }[], extra: Record<string, unknown> = {}): Obj {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { selector, ports, ...extra } };
}

export function secret(namespace: string, name: string, keys: string[]): Obj {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, stringData: Object.fromEntries(keys.map((k) => [k, "[secret]"])) };
}

export function configMap(namespace: string, name: string, data: Record<string, string>): Obj {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data };
}

export function netpol(namespace: string, name: string, spec: Record<string, unknown>): Obj {
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec };
}

export const denyAll = (namespace: string): Obj => netpol(namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

export const allowDns = (namespace: string): Obj =>
  netpol(namespace, "allow-dns", {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: 53, protocol: "UDP" }] }],
  });

/** A Pulumi Helm release resource, as a state export holds it. */
export function helmRelease(name: string, namespace: string, chart: string, version: string, values: Record<string, unknown> = {}): ResourceView {
  return { type: "kubernetes:helm.sh/v3:Release", name, props: { name, namespace, chart, version, values }, protect: false };
}

export const ids = (fs: readonly CheckFinding[]): string[] => fs.map((f) => `${f.severity} ${f.object} ${f.path}`);
