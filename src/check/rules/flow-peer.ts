import type { Workload } from "../../analysis/reachability";
import { KUBE_DNS } from "../controllers";
import { workloadOf } from "../flows";
import { inventory, resolveTargetPort, selectedPods, servicePorts } from "../inventory";
import { nameOf, nsOf, objectId } from "../k8s";
import { BACK_CHANNEL, CONNECTION, podNeeds, type Need } from "../needs";
import type { PodTemplate } from "../k8s";
import type { CheckSeverity } from "../types";
import type { Inventory } from "../inventory";

/**
 * How sure the finding is that the workload makes the call. Blocker: a script's command or args call it, a
 * CloudNativePG connection Secret names it, or a connection setting (env `…_HOST`, `…_URL`, back-channel OIDC
 * endpoints) of a server workload (one a Service selects) names it. Warning: the address is in shared
 * configuration (workers, Jobs, mounted config files), where the call is likely but not proved.
 */
function confidence(need: Need, pod: PodTemplate, inv: Inventory): CheckSeverity {
  if (need.from === "args" || need.from === "secret") return "blocker";
  if (need.from !== "env" || pod.owner.kind === "Job" || pod.owner.kind === "CronJob") return "warning";
  const name = need.envName ?? "";
  if (need.gateway ? !BACK_CHANNEL.test(name) : !CONNECTION.test(name)) return "warning";
  const served = inv.services.some((s) => selectedPods(inv, s).includes(pod));
  return served ? "blocker" : "warning";
}

const hedge = (sev: CheckSeverity): string => (sev === "blocker" ? "" : "not proved that the workload makes this call, but if it does: ");
import { canEgressOutside, canEgressTo, canIngressFrom, networkPolicies } from "../net";
import type { CheckFinding, CheckRule } from "../types";

/**
 * Every peer a workload's configuration names (database, cache, object store, OIDC issuer through the
 * Gateway, internal APIs) is reachable: the Service and port exist, and both the client's egress and the
 * server's ingress NetworkPolicies allow the flow; a pod that resolves names may reach the cluster DNS.
 */
export const flowPeer: CheckRule = {
  id: "flow-peer",
  description: "Every peer named in a workload's own configuration (env, args, mounted ConfigMaps, CloudNativePG connection Secrets) resolves to a Service port and is allowed by both sides' NetworkPolicies; DNS is reachable",
  run(model) {
    const inv = inventory(model);
    const policies = networkPolicies(model.objects);
    const dns: Workload = { id: "kube-dns", namespace: KUBE_DNS.namespace, labels: KUBE_DNS.labels, ports: [53] };
    const out: CheckFinding[] = [];
    for (const pod of inv.pods) {
      const needs = podNeeds(model, pod);
      if (needs.length === 0) continue;
      const client = workloadOf(pod);
      const object = objectId(pod.owner);
      if (!canEgressTo(policies, client, dns, 53, "UDP")) {
        out.push({
          rule: "flow-peer",
          severity: "blocker",
          object,
          path: needs[0]!.path,
          message: `the pod resolves ${needs[0]!.host} but its NetworkPolicies deny DNS (UDP 53 to ${KUBE_DNS.namespace} ${JSON.stringify(KUBE_DNS.labels)})`,
          fix: `allow egress UDP/TCP 53 to the cluster DNS in namespace ${pod.namespace} (allowDns)`,
        });
      }
      for (const need of needs) {
        if (need.service) {
          const svc = need.service;
          const ports = servicePorts(svc);
          const sp = need.port !== undefined ? ports.find((p) => p.port === need.port) : ports.length === 1 ? ports[0] : undefined;
          if (!sp) {
            out.push({
              rule: "flow-peer",
              severity: need.port !== undefined ? "blocker" : "warning",
              object,
              path: need.path,
              message:
                need.port !== undefined
                  ? `the configuration calls ${need.host}:${need.port}, but Service ${nsOf(svc)}/${nameOf(svc)} has no port ${need.port} (ports: ${ports.map((p) => p.port).join(", ")}): connections are refused`
                  : `not checked: the configuration names ${need.host} without a port, and Service ${nsOf(svc)}/${nameOf(svc)} has several`,
              fix: need.port !== undefined ? `use one of the Service's ports ${ports.map((p) => p.port).join(", ")}` : "write the port in the address",
            });
            continue;
          }
          const servers = selectedPods(inv, svc);
          if (servers.length === 0) continue; // service-selector reports it
          let egress = false;
          let ingress = false;
          let target: number | undefined;
          for (const server of servers) {
            const t = resolveTargetPort(server, sp.targetPort) ?? (typeof sp.targetPort === "number" ? sp.targetPort : undefined);
            if (t === undefined) continue;
            target ??= t;
            const sw = workloadOf(server);
            const e = canEgressTo(policies, client, sw, t);
            const i = canIngressFrom(policies, client, sw, t);
            if (e && i) {
              egress = ingress = true;
              break;
            }
            egress ||= e;
            ingress ||= i;
          }
          if (target === undefined || (egress && ingress)) continue;
          const serverPod = servers[0]!;
          const severity = confidence(need, pod, inv);
          const sides = [!egress ? `the egress of ${pod.namespace} pods ${JSON.stringify(pod.labels)}` : "", !ingress ? `the ingress of ${serverPod.namespace} pods ${JSON.stringify(serverPod.labels)}` : ""].filter(Boolean);
          out.push({
            rule: "flow-peer",
            severity,
            object,
            path: need.path,
            message: `${hedge(severity)}the configuration calls ${need.host}:${sp.port} (Service ${nsOf(svc)}/${nameOf(svc)} -> ${objectId(serverPod.owner)} port ${target}), but the NetworkPolicies deny ${sides.join(" and ")}: the connection times out`,
            fix: `allow the flow ${pod.namespace}/${JSON.stringify(pod.labels)} -> ${serverPod.namespace}/${JSON.stringify(serverPod.labels)} on TCP ${target} on both sides`,
          });
        } else if (need.gateway) {
          const gw = need.gateway.gateway;
          const lport = Number(need.gateway.listener.port);
          const proxies = inv.pods.filter(
            (p) => p.labels["gateway.envoyproxy.io/owning-gateway-name"] === nameOf(gw) && p.labels["gateway.envoyproxy.io/owning-gateway-namespace"] === nsOf(gw),
          );
          const ppod = lport < 1024 ? lport + 10000 : lport;
          const viaPods = proxies.some((p) => canEgressTo(policies, client, workloadOf(p), ppod));
          const viaAddress = canEgressOutside(policies, client, [lport]);
          if (viaPods || viaAddress) continue;
          const severity = confidence(need, pod, inv);
          out.push({
            rule: "flow-peer",
            severity,
            object,
            path: need.path,
            message: `${hedge(severity)}the configuration calls https://${need.host} (Gateway ${nsOf(gw)}/${nameOf(gw)} listener ${String(need.gateway.listener.name)}), but no NetworkPolicy lets pods ${JSON.stringify(pod.labels)} reach the gateway's proxies (port ${ppod}) or its address (port ${lport}): the call times out`,
            fix: `allow egress from ${pod.namespace} pods ${JSON.stringify(pod.labels)} to the Envoy proxies of Gateway ${nameOf(gw)} on ${ppod}`,
          });
        }
      }
    }
    return out;
  },
};

