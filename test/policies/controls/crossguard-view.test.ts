import { describe, expect, it } from "vitest";
import { control as noNodePort } from "../../../policies/controls/network/no-nodeport";
import { contextOf, kubernetesObject, plainValue, toResourceView, type PolicyResourceLike } from "../../../policies/crossguard-view";
import { UNKNOWN_MARKER } from "../../../policies/controls/lib/values";
import { deployment, service } from "../fixtures/kubernetes";

/** The policy SDK's own proxy and sentinels (plain JavaScript, no gRPC): what validateStack really receives. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: unknown) => Record<string, unknown>; unknownStringValue: string; unknownObjectValue: string };
const SENTINELS = new Set([sdk.unknownStringValue, sdk.unknownObjectValue]);

const STACK_URN = "urn:pulumi:prod::socle::pulumi:pulumi:Stack::socle-prod";

function policyResource(type: string, name: string, props: unknown, extra: Partial<PolicyResourceLike> = {}): PolicyResourceLike {
  return {
    type,
    urn: `urn:pulumi:prod::socle::${type}::${name}`,
    name,
    props: sdk.unknownCheckingProxy(props),
    opts: { protect: false },
    ...extra,
  };
}

describe("CrossGuard PolicyResource -> ResourceView", () => {
  it("copies props out of the SDK proxy, marking unknown values instead of throwing", () => {
    const d = deployment() as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
    d.spec.template.spec.containers[0]!.image = sdk.unknownStringValue;
    const r = policyResource("kubernetes:apps/v1:Deployment", "wiki", d);
    expect(() => JSON.stringify(r.props)).toThrow(/can't be known during preview/);
    const view = toResourceView(r, SENTINELS);
    const image = (view.props as typeof d).spec.template.spec.containers[0]!.image;
    expect(image).toBe(UNKNOWN_MARKER);
    expect(view.k8s?.kind).toBe("Deployment");
    expect(view.k8s?.metadata).toEqual({ name: "wiki", namespace: "wiki" });
  });

  it("keeps urn, name, protect, parent and provider", () => {
    const view = toResourceView(
      policyResource("openstack:blockstorage/volume:Volume", "data", { size: 10 }, {
        opts: { protect: true },
        parent: { urn: STACK_URN },
        provider: { urn: "urn:pulumi:prod::socle::pulumi:providers:openstack::default" },
      }),
      SENTINELS,
    );
    expect(view).toEqual({
      urn: "urn:pulumi:prod::socle::openstack:blockstorage/volume:Volume::data",
      type: "openstack:blockstorage/volume:Volume",
      name: "data",
      props: { size: 10 },
      parent: STACK_URN,
      provider: "urn:pulumi:prod::socle::pulumi:providers:openstack::default",
      protect: true,
    });
  });

  it("builds Kubernetes objects from typed tokens, core group included, not from Pulumi constructs", () => {
    expect(kubernetesObject("kubernetes:core/v1:Service", { metadata: { name: "s" }, spec: {} })).toEqual({ apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: {} });
    expect(kubernetesObject("kubernetes:networking.k8s.io/v1:NetworkPolicy", {})?.apiVersion).toBe("networking.k8s.io/v1");
    expect(kubernetesObject("kubernetes:yaml/v2:ConfigGroup", {})).toBeUndefined();
    expect(kubernetesObject("kubernetes:helm.sh/v4:Chart", {})).toBeUndefined();
    expect(kubernetesObject("openstack:compute/instance:Instance", {})).toBeUndefined();
    expect(kubernetesObject("kubernetes:core/v1:Service", { __inputs: { x: 1 }, kind: "Service", apiVersion: "v1" })).toEqual({ apiVersion: "v1", kind: "Service", metadata: {} });
  });

  it("leaves plain values and arrays as they are", () => {
    expect(plainValue({ a: [1, "x", null, { b: true }] }, SENTINELS)).toEqual({ a: [1, "x", null, { b: true }] });
  });

  it("lets a control find violations on converted resources", () => {
    const views = [policyResource("kubernetes:core/v1:Service", "debug", service("debug", "wiki", "NodePort"))].map((r) => toResourceView(r, SENTINELS));
    const [result] = noNodePort.check(views, contextOf(views, "2026-03-01"));
    expect(result).toMatchObject({ status: "fail", violations: [{ message: "Service wiki/debug is of type NodePort", path: "spec.type" }] });
  });
});

describe("CrossGuard audit context", () => {
  const socle = {
    kind: "dedicated",
    target: "outscale",
    region: "cloudgouv-eu-west-1",
    allowedRegions: ["cloudgouv-eu-west-1"],
    allowedRegistries: ["registry.socle.test"],
    declaredLoadBalancers: ["gateway/public"],
    minLogRetentionDays: 400,
    provider: { name: "Outscale", qualificationReference: "REF", qualificationExpires: "2027-01-01", euJurisdiction: true },
  };
  const stackView = (props: unknown) => toResourceView({ type: "pulumi:pulumi:Stack", urn: STACK_URN, name: "socle-prod", props: sdk.unknownCheckingProxy(props), opts: { protect: false } }, SENTINELS);

  it("reads the root stack's socle output", () => {
    expect(contextOf([stackView({ socle })], "2026-03-01")).toEqual({
      allowedRegions: ["cloudgouv-eu-west-1"],
      allowedRegistries: ["registry.socle.test"],
      minLogRetentionDays: 400,
      declaredLoadBalancers: ["gateway/public"],
      provider: socle.provider,
      stackKind: "dedicated",
      hasStackMetadata: true,
      today: "2026-03-01",
    });
  });

  it("falls back to defaults without metadata, or while it is unknown", () => {
    for (const views of [[], [stackView({})], [stackView({ socle: sdk.unknownObjectValue })]]) {
      const ctx = contextOf(views, "2026-03-01");
      expect(ctx.hasStackMetadata).toBe(false);
      expect(ctx.provider).toBeUndefined();
      expect(ctx.today).toBe("2026-03-01");
    }
  });

  it("rejects malformed metadata with a message naming the output", () => {
    expect(() => contextOf([stackView({ socle: { ...socle, allowedRegions: "cloudgouv-eu-west-1" } })], "2026-03-01")).toThrow(/outputs\.socle\.allowedRegions/);
  });
});
