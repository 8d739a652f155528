import { API_SERVER_PORTS, workloadOf } from "../flows";
import { inventory } from "../inventory";
import { ANNOTATIONS, asArray, asString, isObject, nsOf, objectId, type PodTemplate } from "../k8s";
import { canEgressOutside, networkPolicies } from "../net";
import type { CheckFinding, CheckModel, CheckRule } from "../types";

/** ServiceAccounts bound to a Role or ClusterRole: their pods call the API server. */
function boundServiceAccounts(model: CheckModel): Set<string> {
  const out = new Set<string>();
  for (const b of model.objects) {
    if (b.kind !== "RoleBinding" && b.kind !== "ClusterRoleBinding") continue;
    for (const s of asArray(b.subjects)) {
      if (isObject(s) && s.kind === "ServiceAccount" && typeof s.name === "string") out.add(`${asString(s.namespace) ?? nsOf(b)}/${s.name}`);
    }
  }
  return out;
}

function needsApiServer(pod: PodTemplate, bound: Set<string>): string | undefined {
  const a = pod.owner.metadata.annotations ?? {};
  if (a[ANNOTATIONS.needsApiServer] === "true") {
    return a[ANNOTATIONS.installedBy] ? `its Helm chart (${a[ANNOTATIONS.source]}) runs it against the API server` : `${a[ANNOTATIONS.producedBy] ?? "its controller"} runs it against the API server`;
  }
  if (pod.spec.automountServiceAccountToken === false) return undefined;
  const sa = asString(pod.spec.serviceAccountName) ?? "default";
  return bound.has(`${pod.namespace}/${sa}`) ? `its ServiceAccount ${sa} is bound to a Role or ClusterRole` : undefined;
}

export const flowApiServer: CheckRule = {
  id: "flow-api-server",
  description: "Every pod that talks to the Kubernetes API server (operators, controllers, Helm hook Jobs, RBAC-bound service accounts) may reach it through the NetworkPolicies",
  run(model) {
    const policies = networkPolicies(model.objects);
    const bound = boundServiceAccounts(model);
    const out: CheckFinding[] = [];
    for (const pod of inventory(model).pods) {
      const why = needsApiServer(pod, bound);
      if (!why) continue;
      if (canEgressOutside(policies, workloadOf(pod), API_SERVER_PORTS)) continue;
      const hook = pod.owner.metadata.annotations?.[ANNOTATIONS.hook];
      const release = pod.owner.metadata.annotations?.[ANNOTATIONS.installedBy];
      out.push({
        rule: "flow-api-server",
        severity: "blocker",
        object: objectId(pod.owner),
        path: pod.path === "spec" ? "metadata.labels" : `${pod.path.replace(/\.spec$/, "")}.metadata.labels`,
        message:
          `pods labelled ${JSON.stringify(pod.labels)} need the API server (${why}) but no NetworkPolicy of namespace ${pod.namespace} allows their egress to it on ${API_SERVER_PORTS.join("/")}` +
          (hook ? `: the ${hook} hook Job fails, and the release ${release} fails and rolls back (atomic), and everything that depends on it` : ""),
        fix: `allow egress from pods ${JSON.stringify(pod.labels)} in ${pod.namespace} to the API server's addresses on ${API_SERVER_PORTS.join("/")} (e.g. an apiServerFlow for these labels in charts/platform/namespaces.ts)`,
      });
    }
    return out;
  },
};
