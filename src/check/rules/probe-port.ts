import { inventory } from "../inventory";
import { containerPorts, containers, isObject, objectId } from "../k8s";
import type { CheckFinding, CheckRule } from "../types";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;

/** Probes name ports the container declares (a named port that does not exist fails the probe for ever). */
export const probePort: CheckRule = {
  id: "probe-port",
  description: "Every liveness, readiness and startup probe targets a port its container declares",
  run(model) {
    const out: CheckFinding[] = [];
    for (const pod of inventory(model).pods) {
      for (const c of containers(pod)) {
        const ports = containerPorts(c.container);
        for (const probe of PROBES) {
          const spec = c.container[probe];
          if (!isObject(spec)) continue;
          for (const handler of ["httpGet", "tcpSocket", "grpc"] as const) {
            const h = spec[handler];
            if (!isObject(h) || h.port === undefined) continue;
            const port = h.port as number | string;
            const path = `${c.path}.${probe}.${handler}.port`;
            const numeric = typeof port === "number" || /^\d+$/.test(String(port));
            const hit = numeric ? ports.some((p) => p.port === Number(port)) : ports.some((p) => p.name === port);
            if (hit) continue;
            const list = ports.map((p) => (p.name ? `${p.name}=${p.port}` : String(p.port))).join(", ") || "none";
            if (!numeric) {
              out.push({
                rule: "probe-port",
                severity: "blocker",
                object: objectId(pod.owner),
                path,
                message: `${probe} of container ${c.name} targets port name "${port}", which the container does not declare (ports: ${list}): the probe always fails${probe === "readinessProbe" ? " and the pod never becomes Ready" : " and the container is restarted"}`,
                fix: `use a declared port (${list}) or declare "${port}" in the container's ports`,
              });
            } else {
              out.push({
                rule: "probe-port",
                severity: "warning",
                object: objectId(pod.owner),
                path,
                message: `${probe} of container ${c.name} targets port ${port}, which the container does not declare (ports: ${list}): whether the process listens there is not proved`,
                fix: `declare port ${port} in the container's ports, or point the probe at a declared port`,
              });
            }
          }
        }
      }
    }
    return out;
  },
};
