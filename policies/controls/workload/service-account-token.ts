import type { Control, KubernetesObject } from "../../types";
import { describe, namespaceOf } from "../lib/k8s";
import { named, ofKind } from "../lib/indexes";
import { workloadsOf } from "../lib/pod";
import { verdict, violation } from "../lib/results";
import { chapterOnly } from "../lib/snc";
import { asRecord, nonEmptyString } from "../lib/values";

/** Annotation declaring that the pod calls the Kubernetes API, and the one saying why. */
export const USES_API = "socle.io/uses-api";
export const USES_API_REASON = "socle.io/uses-api-reason";

export const control: Control = {
  id: "snc-workload-service-account-token",
  title: {
    fr: "Jeton de compte de service monté seulement si le pod appelle l'API",
    en: "Service-account token mounted only where the pod uses the API",
  },
  snc: chapterOnly("9"),
  severity: "medium",
  enforcement: "advisory",
  rationale:
    "Kubernetes mounts a service-account token in every pod by default. An application that never calls the Kubernetes API gains nothing from it, while an attacker who compromises the application gets an API credential. Access rights should be limited to what each component needs.",
  remediation: `Set \`automountServiceAccountToken: false\` on the pod spec or its ServiceAccount. A pod that calls the API keeps the token and says so: annotate it (or its workload) \`${USES_API}: "true"\` and \`${USES_API_REASON}: <why>\`.`,
  evidence: [
    "pod specs: `automountServiceAccountToken`, `serviceAccountName`",
    "core/v1 ServiceAccount `automountServiceAccountToken` (same namespace)",
    `workload and pod template annotations \`${USES_API}\`, \`${USES_API_REASON}\``,
  ],
  check(resources) {
    const accounts = ofKind(resources, "", "ServiceAccount");
    return workloadsOf(resources).map(({ view, obj, pod }) => {
      const accountName = nonEmptyString(pod.spec.serviceAccountName) ? pod.spec.serviceAccountName : "default";
      const account = named(accounts, namespaceOf(obj), accountName)[0]?.obj;
      const podSetting = pod.spec.automountServiceAccountToken;
      const mounted = podSetting === false ? false : podSetting === true ? true : account?.automountServiceAccountToken !== false;
      if (!mounted) return verdict(view, [], `${describe(obj)} does not mount a service-account token`);
      const declared = declaration(obj, asRecord(pod.metadata.annotations));
      if (declared === "declared") return verdict(view, [], `${describe(obj)} mounts its token and declares why it uses the API`);
      const where = podSetting === true ? "the pod spec sets automountServiceAccountToken: true" : `neither the pod spec nor ServiceAccount ${accountName}${account ? "" : " (not in the input)"} sets automountServiceAccountToken: false`;
      const message =
        declared === "no-reason"
          ? `${describe(obj)} is annotated ${USES_API}: "true" but gives no ${USES_API_REASON}`
          : `${describe(obj)} mounts a service-account token: ${where}`;
      return verdict(view, [violation(message, `${pod.path}.automountServiceAccountToken`)]);
    });
  },
};

function declaration(obj: KubernetesObject, podAnnotations: Readonly<Record<string, unknown>>): "declared" | "no-reason" | "none" {
  const annotations = { ...(obj.metadata.annotations ?? {}), ...podAnnotations };
  if (annotations[USES_API] !== "true") return "none";
  return nonEmptyString(annotations[USES_API_REASON]) ? "declared" : "no-reason";
}
