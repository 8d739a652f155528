import { find, inventory, resolveTargetPort, selectedPods, servicePorts } from "../inventory";
import { workloadOf } from "../flows";
import { asArray, asString, isObject, objectId } from "../k8s";
import { canIngressFromOutside, networkPolicies } from "../net";
import type { CheckFinding, CheckRule } from "../types";

/** The API server calls every admission webhook: the webhook's Service exists and its pods admit the API server. */
export const flowWebhook: CheckRule = {
  id: "flow-webhook",
  description: "The API server can call every admission webhook a release or the render registers: its Service exists, selects pods, and their NetworkPolicies admit the API server on the target port",
  run(model) {
    const inv = inventory(model);
    const policies = networkPolicies(model.objects);
    const out: CheckFinding[] = [];
    for (const cfg of model.objects) {
      if (cfg.kind !== "MutatingWebhookConfiguration" && cfg.kind !== "ValidatingWebhookConfiguration") continue;
      asArray(cfg.webhooks).forEach((w, i) => {
        if (!isObject(w) || !isObject(w.clientConfig) || !isObject(w.clientConfig.service)) return;
        const s = w.clientConfig.service;
        const name = asString(s.name) ?? "";
        const ns = asString(s.namespace) ?? "default";
        const port = typeof s.port === "number" ? s.port : 443;
        const failurePolicy = asString(w.failurePolicy) ?? "Fail";
        const severity = failurePolicy === "Ignore" ? "warning" : "blocker";
        const consequence =
          failurePolicy === "Ignore"
            ? "the API server skips the webhook (failurePolicy Ignore) after its timeout: what it mutates or validates silently does not happen"
            : "every request the webhook covers is rejected (failurePolicy Fail)";
        const path = `webhooks[${i}].clientConfig.service`;
        const object = objectId(cfg);
        const svc = find(inv, "Service", ns, name);
        if (!svc) {
          out.push({ rule: "flow-webhook", severity, object, path, message: `webhook ${String(w.name)} calls Service ${ns}/${name}, which does not exist: ${consequence}`, fix: `create Service ${name} in ${ns} or correct the webhook's clientConfig` });
          return;
        }
        const sp = servicePorts(svc).find((p) => p.port === port);
        if (!sp) {
          out.push({ rule: "flow-webhook", severity, object, path: `${path}.port`, message: `Service ${ns}/${name} has no port ${port}: ${consequence}`, fix: `expose port ${port} on Service ${name}` });
          return;
        }
        const pods = selectedPods(inv, svc);
        if (pods.length === 0) return; // service-selector reports it
        const reachable = pods.some((pod) => {
          const target = resolveTargetPort(pod, sp.targetPort);
          return target !== undefined && canIngressFromOutside(policies, workloadOf(pod), target);
        });
        if (reachable) return;
        const pod = pods[0]!;
        const target = resolveTargetPort(pod, sp.targetPort) ?? sp.targetPort;
        out.push({
          rule: "flow-webhook",
          severity,
          object,
          path,
          message: `the API server cannot reach webhook ${String(w.name)}: no NetworkPolicy of namespace ${ns} admits ingress from outside the pod network to pods ${JSON.stringify(pod.labels)} (${objectId(pod.owner)}) on port ${target}: ${consequence}`,
          fix: `allow ingress from the API server's addresses to pods ${JSON.stringify(pod.labels)} in ${ns} on port ${target} (a webhookFlow in charts/platform/namespaces.ts)`,
        });
      });
    }
    return out;
  },
};
