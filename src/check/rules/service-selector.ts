import { inventory, resolveTargetPort, selectedPods, servicePorts } from "../inventory";
import { ANNOTATIONS, containerPorts, containers, isObject, objectId } from "../k8s";
import type { CheckFinding, CheckRule } from "../types";

/** A Service with a selector selects at least one pod, and each port's targetPort is one the selected containers expose. */
export const serviceSelector: CheckRule = {
  id: "service-selector",
  description: "Every Service with a selector selects pods in its namespace, and each targetPort is a port those pods' containers expose",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const svc of inv.services) {
      const spec = isObject(svc.spec) ? svc.spec : {};
      if (!isObject(spec.selector) || Object.keys(spec.selector).length === 0 || spec.type === "ExternalName") continue;
      // Services a controller creates select the pods that controller creates (CloudNativePG -ro has endpoints only with replicas).
      if (svc.metadata.annotations?.[ANNOTATIONS.producedBy]) continue;
      const object = objectId(svc);
      const pods = selectedPods(inv, svc);
      if (pods.length === 0) {
        out.push({
          rule: "service-selector",
          severity: "blocker",
          object,
          path: "spec.selector",
          message: `selector ${JSON.stringify(spec.selector)} matches no pod template in namespace ${svc.metadata.namespace}: the Service has no endpoints and every connection to it fails`,
          fix: "make the selector match the labels of the pods that serve it (spec.template.metadata.labels)",
        });
        continue;
      }
      for (const p of servicePorts(svc)) {
        const path = `spec.ports[${p.index}].targetPort`;
        if (pods.some((pod) => resolveTargetPort(pod, p.targetPort) !== undefined)) continue;
        const declared = pods.flatMap((pod) => containers(pod).filter((c) => !c.init).flatMap((c) => containerPorts(c.container)));
        if (typeof p.targetPort === "number" && declared.length === 0) {
          out.push({
            rule: "service-selector",
            severity: "warning",
            object,
            path,
            message: `not checked: targetPort ${p.targetPort} cannot be matched, the selected pods declare no container ports`,
            fix: "declare the port the container listens on in its ports list",
          });
          continue;
        }
        const list = declared.map((d) => (d.name ? `${d.name}=${d.port}` : String(d.port))).join(", ");
        out.push({
          rule: "service-selector",
          severity: "blocker",
          object,
          path,
          message: `targetPort ${JSON.stringify(p.targetPort)} of port ${p.port} is not a port the selected pods expose (${list}): ${typeof p.targetPort === "string" ? "a named targetPort that no container declares gets no endpoint" : "traffic goes to a port nothing declares listening on"}`,
          fix: `set targetPort to one of ${list}, or declare the port on the container`,
        });
      }
    }
    return out;
  },
};
