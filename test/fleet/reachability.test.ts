import { describe, expect, it } from "vitest";
import { canReach, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";

const web: Workload = { id: "a/web", namespace: "a", labels: { app: "web" }, ports: [8080] };
const client: Workload = { id: "b/client", namespace: "b", labels: { app: "client" }, ports: [] };

function ingress(from: unknown): NetworkPolicy {
  return {
    kind: "NetworkPolicy",
    metadata: { name: "in", namespace: "a" },
    spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: from as never, ports: [{ port: 8080 }] }] },
  };
}

describe("reachability: rule peers", () => {
  it("an empty `from: []` matches every source, as Kubernetes reads it (it used to match none)", () => {
    expect(canReach([ingress([])], client, web, 8080)).toBe(true);
  });
  it("a missing `from` matches every source, in every namespace (it used to match the policy's namespace only)", () => {
    expect(canReach([ingress(undefined)], client, web, 8080)).toBe(true);
  });
  it("a podSelector peer without namespaceSelector matches the policy's namespace only", () => {
    expect(canReach([ingress([{ podSelector: {} }])], client, web, 8080)).toBe(false);
  });
  it("namespace labels given in the options are matched by namespaceSelector", () => {
    const p = ingress([{ namespaceSelector: { matchLabels: { tier: "clients" } } }]);
    expect(canReach([p], client, web, 8080)).toBe(false);
    expect(canReach([p], client, web, 8080, { namespaceLabels: new Map([["b", { tier: "clients" }]]) })).toBe(true);
  });
  it("an ipBlock covering every address matches pods only when asked", () => {
    const p = ingress([{ ipBlock: { cidr: "0.0.0.0/0" } }]);
    expect(canReach([p], client, web, 8080)).toBe(false);
    expect(canReach([p], client, web, 8080, { wholeAddressSpaceMatchesPods: true })).toBe(true);
    expect(canReach([ingress([{ ipBlock: { cidr: "10.0.0.0/8" } }])], client, web, 8080, { wholeAddressSpaceMatchesPods: true })).toBe(false);
  });
});
