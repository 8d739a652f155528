import { find, inventory } from "../inventory";
import { asString, objectId } from "../k8s";
import type { CheckFinding, CheckRule } from "../types";

export const refServiceAccount: CheckRule = {
  id: "ref-service-account",
  description: "The ServiceAccount every pod runs as exists (rendered, installed by a release, or the namespace's `default`)",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const pod of inv.pods) {
      const name = asString(pod.spec.serviceAccountName) ?? asString(pod.spec.serviceAccount) ?? "default";
      if (find(inv, "ServiceAccount", pod.namespace, name)) continue;
      out.push({
        rule: "ref-service-account",
        severity: "blocker",
        object: objectId(pod.owner),
        path: `${pod.path}.serviceAccountName`,
        message: `ServiceAccount ${pod.namespace}/${name} does not exist: the controller cannot create the pods (error looking up service account)`,
        fix: `create ServiceAccount ${name} in ${pod.namespace} or correct serviceAccountName`,
      });
    }
    return out;
  },
};
