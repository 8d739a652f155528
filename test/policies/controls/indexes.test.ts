import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byNamespace, byUrn, inNamespace, named, ofKind, ofKinds, ofTypes } from "../../../policies/controls/lib/indexes";
import { isKind, k8sResources, namespaceOf } from "../../../policies/controls/lib/k8s";
import { providerOf } from "../../../policies/controls/lib/stack";
import type { ResourceView } from "../../../policies/types";

// The shared indexes must answer exactly what the scans they replace answered (same elements, same order).

const word = fc.constantFrom("a", "b", "c", "default");
const view: fc.Arbitrary<ResourceView> = fc
  .record({
    urn: fc.option(fc.constantFrom("u1", "u2", "u3", "u4::id", "p1"), { nil: undefined }),
    provider: fc.option(fc.constantFrom("p1::x", "u2", "u4::id::id", "nope::x"), { nil: undefined }),
    k8s: fc.option(
      fc.record({
        apiVersion: fc.constantFrom("v1", "apps/v1", "networking.k8s.io/v1", "networking.k8s.io/v1beta1"),
        kind: fc.constantFrom("Service", "ServiceAccount", "NetworkPolicy", "Deployment"),
        name: fc.option(word, { nil: undefined }),
        namespace: fc.option(word, { nil: undefined }),
      }),
      { nil: undefined },
    ),
  })
  .map(({ urn, provider, k8s }) => ({
    type: "t",
    name: "n",
    props: {},
    protect: false,
    ...(urn !== undefined ? { urn } : {}),
    ...(provider !== undefined ? { provider } : {}),
    ...(k8s ? { k8s: { apiVersion: k8s.apiVersion, kind: k8s.kind, metadata: { ...(k8s.name ? { name: k8s.name } : {}), ...(k8s.namespace ? { namespace: k8s.namespace } : {}) } } } : {}),
  }));

describe("shared control indexes", () => {
  it("ofKind, inNamespace and named equal the filters they replace", () => {
    fc.assert(
      fc.property(fc.array(view, { maxLength: 40 }), (resources) => {
        const k8s = k8sResources(resources);
        for (const [group, kind] of [["", "Service"], ["", "ServiceAccount"], ["networking.k8s.io", "NetworkPolicy"], ["apps", "Deployment"], ["apps", "Service"]] as const) {
          const list = ofKind(resources, group, kind);
          expect(list).toEqual(k8s.filter(({ obj }) => isKind(obj, group, kind)));
          for (const ns of ["a", "b", "c", "default", "zz"]) {
            expect(inNamespace(list, ns)).toEqual(list.filter(({ obj }) => namespaceOf(obj) === ns));
            for (const name of ["a", "b", "(unnamed)"]) {
              expect(named(list, ns, name)).toEqual(list.filter(({ obj }) => obj.metadata.name === name && namespaceOf(obj) === ns));
            }
          }
          expect([...byNamespace(list).values()].flat().length).toBe(list.length);
        }
      }),
    );
  });

  it("ofTypes and ofKinds list what a scan with the same test lists, the same objects in the same order", () => {
    const typed = fc.tuple(view, fc.constantFrom("openstack:a:A", "outscale:b:B", "kubernetes:core/v1:Service", "t")).map(([v, type]) => ({ ...v, type }));
    fc.assert(
      fc.property(fc.array(typed, { maxLength: 40 }), fc.nat(3), (list, dup) => {
        // The same view twice in the input is listed twice, as a scan lists it.
        const resources = list.length > 0 ? [...list, list[dup % list.length]!] : list;
        const same = <T>(got: readonly T[], expected: readonly T[]) => {
          expect(got.length).toBe(expected.length);
          got.forEach((x, i) => expect(x).toBe(expected[i]));
        };
        for (const test of [(t: string) => t.startsWith("openstack:"), (t: string) => t === "outscale:b:B" || t === "t", () => true, () => false]) {
          same(ofTypes(resources, test), resources.filter((r) => test(r.type)));
        }
        const k8s = k8sResources(resources);
        for (const kinds of [[["", "Service"], ["apps", "Deployment"]], [["networking.k8s.io", "NetworkPolicy"]], [["", "Service"], ["", "Service"], ["", "ServiceAccount"]], []] as const) {
          same(ofKinds(resources, kinds), k8s.filter(({ obj }) => kinds.some(([g, k]) => isKind(obj, g, k))));
        }
      }),
    );
  });

  it("byUrn and providerOf answer as a scan of the resources does", () => {
    fc.assert(
      fc.property(fc.array(view, { maxLength: 40 }), (resources) => {
        for (const urn of ["u1", "u2", "u4::id", "p1", "none"]) expect(byUrn(resources).get(urn)).toBe(resources.find((r) => r.urn === urn));
        for (const r of resources) {
          const ref = r.provider;
          const cut = ref?.lastIndexOf("::") ?? -1;
          const scan = ref === undefined ? undefined : (resources.find((x) => x.urn === ref) ?? (cut < 0 ? undefined : resources.find((x) => x.urn === ref.slice(0, cut))));
          expect(providerOf(resources, r)).toBe(scan);
        }
      }),
    );
  });
});
