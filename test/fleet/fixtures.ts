import type { KubernetesObject, ResourceView } from "../../policies/types";
import { deployment, denyAll, namespace } from "../policies/fixtures/kubernetes";

/**
 * A fleet as `socle fleet audit` sees it: the resources of several stacks' states side by side, each
 * with the URN of its own stack, and each stack's root resource carrying its `socle` output.
 */
export function viewOf(stack: string, obj: KubernetesObject): ResourceView {
  const slash = obj.apiVersion.indexOf("/");
  const [group, version] = slash < 0 ? ["core", obj.apiVersion] : [obj.apiVersion.slice(0, slash), obj.apiVersion.slice(slash + 1)];
  const type = `kubernetes:${group}/${version}:${obj.kind}`;
  const name = `${obj.metadata.namespace ?? "cluster"}-${obj.metadata.name ?? "unnamed"}`;
  return { urn: `urn:pulumi:${stack}::socle::${type}::${name}`, type, name, props: obj, protect: false, k8s: obj };
}

export function rootStack(stack: string, kind: string, organization: string): ResourceView {
  return { urn: `urn:pulumi:${stack}::socle::pulumi:pulumi:Stack::socle-${stack}`, type: "pulumi:pulumi:Stack", name: `socle-${stack}`, props: { socle: { kind, organization } }, protect: false };
}

const GATEWAY_NS = "socle-gateway";

/** Default-deny, DNS, the platform gateway in, the tenant's own namespaces both ways: what a tenant namespace allows. */
export function tenantPolicies(ns: string, org: string): KubernetesObject[] {
  const own = { namespaceSelector: { matchExpressions: [{ key: "socle.dev/tenant", operator: "In", values: [org] }] } };
  return [
    denyAll(ns),
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-dns", namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: 53, protocol: "UDP" }] }],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-gateway-and-own", namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": GATEWAY_NS } } }, own] }],
        egress: [{ to: [own] }],
      },
    },
  ];
}

export function route(ns: string, hostname: string): KubernetesObject {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "app", namespace: ns },
    spec: { parentRefs: [{ name: "socle", namespace: GATEWAY_NS }], hostnames: [hostname], rules: [{ backendRefs: [{ name: "app", port: 8080 }] }] },
  };
}

function listening(d: KubernetesObject): KubernetesObject {
  const spec = d.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
  spec.template.spec.containers[0]!.ports = [{ containerPort: 8080 }];
  return d;
}

/** One tenant stack: organization `org`, apps `wiki` and `chat`, each in `<org>-<app>` labelled with the tenant. */
export function tenantStack(org: string, domain = `${org}.socle.test`): ResourceView[] {
  const stack = `tenant-${org}`;
  const objs: KubernetesObject[] = [];
  for (const app of ["wiki", "chat"]) {
    const ns = `${org}-${app}`;
    objs.push({ ...namespace(ns), metadata: { name: ns, labels: { "socle.dev/tenant": org } } }, listening(deployment(app, ns)), ...tenantPolicies(ns, org), route(ns, `${app}.${domain}`));
  }
  return [rootStack(stack, "tenant", org), ...objs.map((o) => viewOf(stack, o))];
}

/** The platform stack: the shared gateway namespace, where tenants' routes attach. */
export function platformStack(): ResourceView[] {
  const stack = "hebergeur-plateforme";
  return [rootStack(stack, "platform", "hebergeur"), viewOf(stack, namespace(GATEWAY_NS)), viewOf(stack, listening(deployment("envoy", GATEWAY_NS)))];
}
