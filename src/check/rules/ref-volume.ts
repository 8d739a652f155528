import { find, inventory } from "../inventory";
import { asArray, containers, isObject, objectId } from "../k8s";
import { podRefs } from "../refs";
import type { CheckFinding, CheckRule } from "../types";

/** PVCs a pod mounts exist (or come from the StatefulSet's claim templates), and every volumeMount names a volume. */
export const refVolume: CheckRule = {
  id: "ref-volume",
  description: "Every PersistentVolumeClaim a pod mounts exists or comes from its StatefulSet's claim templates, and every volumeMount names a declared volume",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const pod of inv.pods) {
      const object = objectId(pod.owner);
      for (const ref of podRefs(pod)) {
        if (ref.kind !== "PersistentVolumeClaim") continue;
        if (!find(inv, "PersistentVolumeClaim", pod.namespace, ref.name)) {
          out.push({
            rule: "ref-volume",
            severity: "blocker",
            object,
            path: ref.path,
            message: `PersistentVolumeClaim ${pod.namespace}/${ref.name} does not exist: the pod stays Pending`,
            fix: `create the PersistentVolumeClaim ${ref.name} in ${pod.namespace}, or use a StatefulSet volumeClaimTemplate`,
          });
        }
      }
      const volumes = new Set(asArray(pod.spec.volumes).filter(isObject).map((v) => String(v.name)));
      for (const t of inv.claimTemplates.get(pod) ?? []) volumes.add(t);
      for (const c of containers(pod)) {
        asArray(c.container.volumeMounts).forEach((m, i) => {
          if (!isObject(m) || typeof m.name !== "string" || volumes.has(m.name)) return;
          out.push({
            rule: "ref-volume",
            severity: "blocker",
            object,
            path: `${c.path}.volumeMounts[${i}].name`,
            message: `container ${c.name} mounts volume "${m.name}", which the pod does not declare (nor any claim template): the API server rejects the pod`,
            fix: `declare volume "${m.name}" in ${pod.path}.volumes or correct the mount's name`,
          });
        });
      }
    }
    return out;
  },
};
