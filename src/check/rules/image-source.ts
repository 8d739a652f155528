import { inventory } from "../inventory";
import { containers, objectId } from "../k8s";
import type { CheckFinding, CheckRule } from "../types";

/**
 * The reserved registry name of images the organisation builds itself from a recipe in this repository
 * (src/images/catalog.ts, e.g. `xwiki-offline` from images/xwiki). `.invalid` never resolves (RFC 2606): such an
 * image exists only once built and pushed to the organisation's registry, where `socle:registryMirror` points.
 */
export const OPERATOR_BUILT_REGISTRY = "socle.invalid";

/** No container pulls an image from a registry that does not exist (socle's placeholder for operator-built images). */
export const imageSource: CheckRule = {
  id: "image-source",
  description: "Every image comes from a registry that can serve it: operator-built images (socle.invalid/…) only through the organisation's registry",
  run(model) {
    const out: CheckFinding[] = [];
    for (const pod of inventory(model).pods) {
      for (const c of containers(pod)) {
        const image = typeof c.container.image === "string" ? c.container.image : "";
        if (image.split("/")[0] !== OPERATOR_BUILT_REGISTRY) continue;
        out.push({
          rule: "image-source",
          severity: "blocker",
          object: objectId(pod.owner),
          path: `${c.path}.image`,
          message: `container ${c.name} pulls ${image}: an image the organisation builds from a recipe of this repository (docs/images.md), which no registry serves under ${OPERATOR_BUILT_REGISTRY} (a reserved name that never resolves): the pod stays in ImagePullBackOff`,
          fix: `build the recipe (images/), push it to your registry as <registry>/${image.split("@")[0]}, and set socle:registryMirror to that registry (docs/mirror.md)`,
        });
      }
    }
    return out;
  },
};
