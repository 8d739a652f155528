import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { StateResource } from "../../src/render/state";
import { renderFixture } from "../helpers/render-fixture";

let resources: StateResource[];
let stateText: string;
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n# platform-kubeconfig-marker\n";
beforeAll(async () => {
  // A tenant renders against its platform's rendered state (its StackReference's outputs): the platform first.
  const platform = await renderFixture("platform");
  // As a platform that provisioned its cluster exports it: its kubeconfig, a secret output.
  const state = JSON.parse(readFileSync(join(platform.outDir, "state.json"), "utf8"));
  const root = state.deployment.resources.find((r: { type: string }) => r.type === "pulumi:pulumi:Stack");
  root.outputs.kubeconfig = { [SECRET_SIG]: SECRET_VALUE, value: KUBECONFIG };
  const file = join(mkdtempSync(join(tmpdir(), "socle-platform-state-")), "state.json");
  writeFileSync(file, JSON.stringify(state));
  const result = await renderFixture("tenant", { platformState: file });
  resources = result.state.deployment.resources;
  stateText = readFileSync(join(result.outDir, "state.json"), "utf8");
}, 120_000);

describe("a tenant stack", () => {
  it("finds its platform through a StackReference, read and not managed", () => {
    const ref = resources.find((r) => r.type === "pulumi:pulumi:StackReference")!;
    expect(ref.id).toBe("hoster/socle/platform");
    expect(ref.external).toBe(true);
  });

  it("deploys into the platform's cluster: every Kubernetes resource uses the explicit provider built from its kubeconfig", () => {
    const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.urn.endsWith("::cluster"))!;
    // The platform's output, a secret, is never written in clear.
    expect(provider).toBeDefined();
    expect(provider.inputs!.kubeconfig).not.toBe(KUBECONFIG);
    expect(stateText).not.toContain("platform-kubeconfig-marker");
    const k8s = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    expect(k8s.length).toBeGreaterThan(10);
    for (const r of k8s) expect(r.provider, r.urn).toMatch(/::pulumi:providers:kubernetes::cluster::/);
    expect(resources.some((r) => r.urn.includes("pulumi:providers:kubernetes::default"))).toBe(false);
  });

  it("without a kubeconfig output from its platform (a cluster the hoster brings), uses the ambient kubeconfig like the platform", async () => {
    const platform = await renderFixture("platform");
    const alone = await renderFixture("tenant", { platformState: join(platform.outDir, "state.json") });
    const res = alone.state.deployment.resources;
    expect(res.some((r) => r.type === "pulumi:providers:kubernetes" && r.urn.endsWith("::cluster"))).toBe(false);
    expect(res.some((r) => r.type === "gateway.networking.k8s.io/v1:ListenerSet" || (r.inputs as { kind?: string } | undefined)?.kind === "ListenerSet")).toBe(true);
  }, 120_000);

  it("brings its apps and no platform service", () => {
    expect(resources.some((r) => r.type === "socle:apps:Wiki")).toBe(true);
    expect(resources.some((r) => r.type.startsWith("socle:platform:"))).toBe(false);
    expect(resources.some((r) => r.type === "kubernetes:helm.sh/v3:Release")).toBe(false);
  });
});
