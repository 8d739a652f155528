/** Shared by the `ref-configmap` and `ref-secret` rules: a referenced object and key must exist. */
import type { KubernetesObject } from "../../../policies/types";
import { dataKeys, find, inventory, origin } from "../inventory";
import { ANNOTATIONS, objectId } from "../k8s";
import { podRefs } from "../refs";
import type { CheckFinding, CheckModel } from "../types";

function installedByContract(o: KubernetesObject): boolean {
  return !!o.metadata.annotations?.[ANNOTATIONS.installedBy];
}

export function referenceFindings(model: CheckModel, rule: string, kind: "ConfigMap" | "Secret"): CheckFinding[] {
  const inv = inventory(model);
  const out: CheckFinding[] = [];
  for (const pod of inv.pods) {
    const unknownKeys = new Map<string, { path: string; keys: string[]; origin: string }>();
    for (const ref of podRefs(pod)) {
      if (ref.kind !== kind || ref.optional) continue;
      const object = objectId(pod.owner);
      const target = find(inv, kind, pod.namespace, ref.name);
      if (!target) {
        out.push({
          rule,
          severity: "blocker",
          object,
          path: ref.path,
          message: `${kind} ${pod.namespace}/${ref.name} does not exist: it is neither rendered nor created by a known controller or Helm release, so the pod stays in ContainerCreating (volume) or CreateContainerConfigError (env)`,
          fix: `create ${kind} ${ref.name} in namespace ${pod.namespace}, correct the name, or mark the reference optional if the workload runs without it`,
        });
        continue;
      }
      if (ref.key === undefined) continue;
      const keys = dataKeys(target);
      if (!keys) {
        // Contract objects without listed keys: the template does not name them.
        if (!installedByContract(pod.owner)) {
          const u = unknownKeys.get(ref.name) ?? { path: ref.path, keys: [], origin: origin(target) };
          u.keys.push(ref.key);
          unknownKeys.set(ref.name, u);
        }
        continue;
      }
      if (!keys.has(ref.key)) {
        out.push({
          rule,
          severity: "blocker",
          object,
          path: ref.path,
          message: `${kind} ${pod.namespace}/${ref.name} (${origin(target)}) has no key "${ref.key}" (keys: ${[...keys].sort().join(", ") || "none"}): the container cannot start`,
          fix: `use one of the keys ${kind} ${ref.name} holds, or add "${ref.key}" where the ${kind} is written`,
        });
      }
    }
    for (const [name, u] of unknownKeys) {
      out.push({
        rule,
        severity: "warning",
        object: objectId(pod.owner),
        path: u.path,
        message: `not checked: the keys of ${kind} ${pod.namespace}/${name} (${u.origin}) are not in the input (a state file keeps secret data sealed), so the keys read (${[...new Set(u.keys)].sort().join(", ")}) cannot be proved present`,
        fix: `check the manifests folder (socle check out/<stack>/manifests), where the keys are listed, or record the keys the producer writes`,
      });
    }
  }
  return out;
}
