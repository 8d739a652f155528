import { beforeAll, describe, expect, it } from "vitest";
import { UNKNOWN } from "../../src/render/markers";
import type { StateResource } from "../../src/render/state";
import { renderFixture } from "../helpers/render-fixture";

let resources: StateResource[];
beforeAll(async () => {
  resources = (await renderFixture("tenant")).state.deployment.resources;
});

describe("a tenant stack", () => {
  it("finds its platform through a StackReference, read and not managed", () => {
    const ref = resources.find((r) => r.type === "pulumi:pulumi:StackReference")!;
    expect(ref.id).toBe("hoster/socle/platform");
    expect(ref.external).toBe(true);
  });

  it("deploys into the platform's cluster: every Kubernetes resource uses the explicit provider built from its kubeconfig", () => {
    const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.urn.endsWith("::cluster"))!;
    // The platform's output is read at deployment time: unknown in a render, and never written in clear.
    expect(provider.inputs!.kubeconfig).toBe(UNKNOWN);
    const k8s = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    expect(k8s.length).toBeGreaterThan(10);
    for (const r of k8s) expect(r.provider, r.urn).toMatch(/::pulumi:providers:kubernetes::cluster::/);
    expect(resources.some((r) => r.urn.includes("pulumi:providers:kubernetes::default"))).toBe(false);
  });

  it("brings its apps and no platform service", () => {
    expect(resources.some((r) => r.type === "socle:apps:Wiki")).toBe(true);
    expect(resources.some((r) => r.type.startsWith("socle:platform:"))).toBe(false);
    expect(resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release")).toBe(false);
  });
});
