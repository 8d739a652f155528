import type { ResourceView } from "../../types";
import { byUrn } from "./indexes";
import { asRecord, isRecord, type Json } from "./values";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The resource deployment-level findings are reported against: the root stack when the input has
 * one, else a synthetic stack resource (manifest inputs have no stack).
 */
export function stackView(resources: readonly ResourceView[]): ResourceView {
  return resources.find((r) => r.type === ROOT_STACK_TYPE) ?? { type: ROOT_STACK_TYPE, name: "deployment", props: {}, protect: false };
}

/** The root stack's raw `socle` output, when there is one. */
export function socleMetadata(resources: readonly ResourceView[]): Json | undefined {
  const socle = resources.find((r) => r.type === ROOT_STACK_TYPE)?.props.socle;
  return isRecord(socle) ? socle : undefined;
}

/** The provider resource a resource was created with (`provider` is `<provider urn>::<provider id>` in state files, the bare URN under CrossGuard). */
export function providerOf(resources: readonly ResourceView[], view: ResourceView): ResourceView | undefined {
  const ref = view.provider;
  if (ref === undefined) return undefined;
  const cut = ref.lastIndexOf("::");
  const index = byUrn(resources);
  return index.get(ref) ?? (cut < 0 ? undefined : index.get(ref.slice(0, cut)));
}

/** `socle.encryptionAtRest`: the hoster's declaration of what its storage encrypts (see docs/controls.md). */
export function encryptionDeclaration(resources: readonly ResourceView[]): Json {
  return asRecord(socleMetadata(resources)?.encryptionAtRest);
}
