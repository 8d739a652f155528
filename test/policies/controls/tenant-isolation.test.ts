import { describe, expect, it } from "vitest";
import { control, isolationEvidence } from "../../../policies/controls/network/tenant-isolation";
import type { KubernetesObject, ResourceView } from "../../../policies/types";
import { platformStack, rootStack, route, tenantStack, viewOf } from "../../fleet/fixtures";
import { run, violationsOf } from "../fixtures/views";

const clean = (): ResourceView[] => [...platformStack(), ...tenantStack("tenant-a"), ...tenantStack("tenant-b")];
/** Every fleet a test builds, kept to check that the evidence a fleet run keeps gives the same results. */
const seen: ResourceView[][] = [];
const messages = (views: readonly ResourceView[]) => {
  seen.push([...views]);
  return violationsOf(run(control, views)).map((v) => `${v.resource}: ${v.message}`);
};

describe("snc-network-tenant-isolation", () => {
  it("passes a clean two-tenant fleet, one result per tenant on its root stack", () => {
    const results = run(control, clean());
    expect(results.map((r) => [r.resource.name, r.status])).toEqual([
      ["socle-tenant-tenant-a", "pass"],
      ["socle-tenant-tenant-b", "pass"],
    ]);
  });

  it("is not assessed (never passes) with one tenant or none", () => {
    for (const views of [[...platformStack(), ...tenantStack("tenant-a")], platformStack(), []]) {
      const results = run(control, views);
      expect(results.map((r) => r.status)).toEqual(["notApplicable"]);
      expect(results[0]!.note).toMatch(/^not assessed: the input holds (one tenant \(tenant-a\)|no tenant)/);
    }
  });

  it("fails a planted cross-tenant NetworkPolicy (tenant-b lets every namespace in, tenant-a's egress is open)", () => {
    const planted: KubernetesObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-all-namespaces", namespace: "tenant-b-wiki" },
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }] }] },
    };
    const openEgress: KubernetesObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-out", namespace: "tenant-a-chat" },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [] }] },
    };
    const found = messages([...clean(), viewOf("tenant-tenant-b", planted), viewOf("tenant-tenant-a", openEgress)]);
    const flow = "NetworkPolicies allow a cross-tenant flow: tenant-a-chat/chat (tenant tenant-a) -> tenant-b-wiki/wiki:8080 (tenant tenant-b)";
    expect(found).toEqual([`socle-tenant-tenant-a: ${flow}`, `socle-tenant-tenant-b: ${flow}`]);
  });

  it("finds flows through egress selectors naming label values of other tenants' namespaces (In lists, matchLabels, metadata.name)", () => {
    // Ingress of tenant-b-wiki open to every namespace; tenant-a-chat's egress names tenant-b's namespaces three ways.
    const openIngress: KubernetesObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-all-namespaces", namespace: "tenant-b-wiki" },
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }] }] },
    };
    const flow = "NetworkPolicies allow a cross-tenant flow: tenant-a-chat/chat (tenant tenant-a) -> tenant-b-wiki/wiki:8080 (tenant tenant-b)";
    const selectors = [
      { matchExpressions: [{ key: "socle.dev/tenant", operator: "In", values: ["tenant-a", "tenant-b"] }] },
      { matchLabels: { "socle.dev/tenant": "tenant-b" } },
      { matchLabels: { "kubernetes.io/metadata.name": "tenant-b-wiki" } },
      { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["tenant-b-wiki"] }] },
    ];
    for (const namespaceSelector of selectors) {
      const egress: KubernetesObject = {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "allow-out", namespace: "tenant-a-chat" },
        spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector }] }] },
      };
      expect(messages([...clean(), viewOf("tenant-tenant-b", openIngress), viewOf("tenant-tenant-a", egress)])).toEqual([`socle-tenant-tenant-a: ${flow}`, `socle-tenant-tenant-b: ${flow}`]);
    }
    // A value no namespace carries selects nothing.
    const none: KubernetesObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-out", namespace: "tenant-a-chat" },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { "socle.dev/tenant": "nobody" } } }] }] },
    };
    expect(messages([...clean(), viewOf("tenant-tenant-b", openIngress), viewOf("tenant-tenant-a", none)])).toEqual([]);
  });

  it("reads every way an ingress can let another tenant in (the control tries a pod only against pods whose ingress may admit it)", () => {
    const openEgress: KubernetesObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-out", namespace: "tenant-a-chat" },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] },
    };
    const flow = "NetworkPolicies allow a cross-tenant flow: tenant-a-chat/chat (tenant tenant-a) -> tenant-b-wiki/wiki:8080 (tenant tenant-b)";
    const ingress = (from: unknown[] | undefined): KubernetesObject => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "planted-in", namespace: "tenant-b-wiki" },
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [from === undefined ? {} : { from }] },
    });
    const admitting = [
      ingress(undefined), // a rule without peers: every source
      ingress([]), // an empty peer list: every source
      ingress([{ ipBlock: { cidr: "0.0.0.0/0" } }]), // the whole address space: every pod (as the control reads it)
      ingress([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tenant-a-chat" } } }]),
      ingress([{ namespaceSelector: { matchLabels: { "socle.dev/tenant": "tenant-a" } }, podSelector: {} }]),
    ];
    for (const planted of admitting) {
      expect(messages([...clean(), viewOf("tenant-tenant-b", planted), viewOf("tenant-tenant-a", openEgress)]), JSON.stringify(planted.spec)).toEqual([
        `socle-tenant-tenant-a: ${flow}`,
        `socle-tenant-tenant-b: ${flow}`,
      ]);
    }
    const notAdmitting = [
      ingress([{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }]), // not every address: no pod
      ingress([{ namespaceSelector: { matchLabels: { "socle.dev/tenant": "tenant-c" } } }]),
      ingress([{ podSelector: {} }]), // the policy's own namespace only
    ];
    for (const planted of notAdmitting) {
      expect(messages([...clean(), viewOf("tenant-tenant-b", planted), viewOf("tenant-tenant-a", openEgress)]), JSON.stringify(planted.spec)).toEqual([]);
    }
  });

  it("finds no flow when only one side opens (ingress open to all namespaces, egress still limited to the tenant)", () => {
    const planted: KubernetesObject = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-all-namespaces", namespace: "tenant-b-wiki" },
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }] }] },
    };
    expect(messages([...clean(), viewOf("tenant-tenant-b", planted)])).toEqual([]);
  });

  it("fails a hostname served for two tenants, and a wildcard of one tenant covering another's", () => {
    const dup = viewOf("tenant-tenant-b", { ...route("tenant-b-wiki", "wiki.tenant-a.socle.test"), metadata: { name: "stolen", namespace: "tenant-b-wiki" } });
    expect(messages([...clean(), dup])).toEqual([
      "socle-tenant-tenant-a: hostname wiki.tenant-a.socle.test is served for several tenants: tenant tenant-a (HTTPRoute tenant-a-wiki/app), tenant tenant-b (HTTPRoute tenant-b-wiki/stolen)",
      "socle-tenant-tenant-b: hostname wiki.tenant-a.socle.test is served for several tenants: tenant tenant-a (HTTPRoute tenant-a-wiki/app), tenant tenant-b (HTTPRoute tenant-b-wiki/stolen)",
    ]);
    const listenerSet = viewOf("tenant-tenant-b", {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "ListenerSet",
      metadata: { name: "tenant-b", namespace: "tenant-b-wiki" },
      spec: { parentRef: { name: "socle", namespace: "socle-gateway" }, listeners: [{ name: "https", hostname: "*.tenant-a.socle.test", port: 443, protocol: "HTTPS" }] },
    });
    const found = messages([...clean(), listenerSet]);
    expect(found.length).toBe(4);
    expect(found[0]).toBe(
      "socle-tenant-tenant-a: hostname chat.tenant-a.socle.test is served for several tenants: tenant tenant-a (HTTPRoute tenant-a-chat/app), tenant tenant-b (ListenerSet tenant-b-wiki/tenant-b, *.tenant-a.socle.test)",
    );
  });

  it("fails a shared secret: a listener of tenant-b presenting tenant-a's certificate Secret, granted by a ReferenceGrant", () => {
    const listenerSet = viewOf("tenant-tenant-b", {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "ListenerSet",
      metadata: { name: "tenant-b", namespace: "tenant-b-wiki" },
      spec: {
        parentRef: { name: "socle", namespace: "socle-gateway" },
        listeners: [{ name: "https", hostname: "wiki.tenant-b.socle.test", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ kind: "Secret", name: "wiki-tls", namespace: "tenant-a-wiki" }] } }],
      },
    });
    const grant = viewOf("tenant-tenant-a", {
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: { name: "share", namespace: "tenant-a-wiki" },
      spec: { from: [{ group: "gateway.networking.k8s.io", kind: "ListenerSet", namespace: "tenant-b-wiki" }], to: [{ group: "", kind: "Secret" }] },
    });
    const found = violationsOf(run(control, [...clean(), listenerSet, grant]));
    expect(found).toContainEqual({
      resource: "socle-tenant-tenant-b",
      message: "ListenerSet tenant-b-wiki/tenant-b (tenant tenant-b) references Secret tenant-a-wiki/wiki-tls of tenant tenant-a",
      path: "spec.listeners[0].tls.certificateRefs[0]",
    });
    expect(found).toContainEqual({
      resource: "socle-tenant-tenant-a",
      message: "ReferenceGrant tenant-a-wiki/share (tenant tenant-a) lets ListenerSet of namespace tenant-b-wiki (tenant tenant-b) reference its Secret",
      path: "spec.from[0].namespace",
    });
  });

  it("fails the same object declared by two tenants' stacks in a platform namespace (a certificate both overwrite)", () => {
    const cert = (stack: string) =>
      viewOf(stack, { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "wiki-tls", namespace: "socle-gateway" }, spec: { secretName: "wiki-tls" } });
    expect(messages([...clean(), cert("tenant-tenant-a"), cert("tenant-tenant-b")])).toEqual([
      "socle-tenant-tenant-a: cert-manager.io/Certificate socle-gateway/wiki-tls is declared by the stacks of several tenants (tenant-a, tenant-b): one overwrites the other's, which then reads or serves it",
      "socle-tenant-tenant-b: cert-manager.io/Certificate socle-gateway/wiki-tls is declared by the stacks of several tenants (tenant-a, tenant-b): one overwrites the other's, which then reads or serves it",
    ]);
  });

  it("fails a RoleBinding granting another tenant's service account, and a ClusterRoleBinding reaching every namespace's secrets", () => {
    const binding = viewOf("tenant-tenant-a", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "read", namespace: "tenant-a-wiki" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "secret-reader" },
      subjects: [{ kind: "ServiceAccount", name: "chat", namespace: "tenant-b-chat" }],
    });
    const role = viewOf("tenant-tenant-b", { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "all-secrets" }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] });
    const crb = viewOf("tenant-tenant-b", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "all-secrets" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "all-secrets" },
      subjects: [{ kind: "Group", name: "system:serviceaccounts:tenant-b-wiki" }],
    });
    const found = messages([...clean(), binding, role, crb]);
    expect(found).toContain("socle-tenant-tenant-a: RoleBinding tenant-a-wiki/read (tenant tenant-a) grants Role secret-reader to ServiceAccount tenant-b-chat/chat of tenant tenant-b");
    expect(found).toContain(
      "socle-tenant-tenant-b: ClusterRoleBinding all-secrets grants ClusterRole all-secrets (secrets, config maps, volumes or pods in every namespace) to Group system:serviceaccounts:tenant-b-wiki of tenant tenant-b: it reaches every other tenant's namespace",
    );
  });

  it("gives a namespace to the longest organization prefix (tenant a-b owns a-b-wiki, not tenant a)", () => {
    const views = [...tenantStack("a"), ...tenantStack("a-b"), rootStack("x", "platform", "x")];
    expect(run(control, views).map((r) => r.status)).toEqual(["pass", "pass"]);
  });

  it("gives the same results on the evidence a fleet run keeps (isolationEvidence) as on the full resources", () => {
    expect(seen.length).toBeGreaterThan(4);
    for (const views of seen) {
      const evidence = views.map(isolationEvidence).filter((v): v is ResourceView => v !== undefined);
      const strip = (rs: ReturnType<typeof run>) => rs.map((r) => [r.resource.name, r.status, r.violations, r.note]);
      expect(strip(run(control, evidence))).toEqual(strip(run(control, views)));
    }
    // And it is smaller: a Deployment keeps its pod labels and ports, not its containers' images or env.
    const d = tenantStack("tenant-a").find((v) => v.k8s?.kind === "Deployment")!;
    expect(JSON.stringify(isolationEvidence(d)!.k8s)).not.toContain("image");
  });
});
