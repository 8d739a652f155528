import type { CheckResult, Control, Violation } from "../../types";
import { describe } from "../lib/k8s";
import { ofKind } from "../lib/indexes";
import { containersOf, workloadsOf } from "../lib/pod";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asRecord, nonEmptyString, records } from "../lib/values";
import { isSecretName, secretLines } from "../lib/secret-names";

export const control: Control = {
  id: "snc-workload-plaintext-secrets",
  title: {
    fr: "Aucun secret en clair dans les variables d'environnement ni les ConfigMaps",
    en: "No plaintext secrets in environment variables or ConfigMaps",
  },
  snc: verifiedSection("10", "10.5", "Gestion des secrets"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Secrets must be protected by an adapted means (10.5.c). A password written as an environment variable literal or in a ConfigMap is stored in clear in the manifests, the Pulumi state, the Kubernetes API and every `kubectl describe`; a Secret is access-controlled and encrypted at rest by the cluster.",
  remediation:
    "Move the value to a Kubernetes Secret (generated with @pulumi/random and marked secret) and reference it with `env[].valueFrom.secretKeyRef` or a mounted secret volume; in configuration files, use a placeholder filled from the environment.",
  evidence: [
    "pod specs: containers[] and initContainers[] `env[].name` / `env[].value` (names with a PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL… word, not ending in FILE, PATH, URL…)",
    "core/v1 ConfigMap `data` keys and values: secret-named keys, `secret-name = literal` lines, PEM private keys (values are never quoted in findings)",
  ],
  check(resources) {
    const results: CheckResult[] = [];
    // Names and configuration values repeat across workloads and tenants: each distinct one is judged once per check.
    const secretNames = new Map<string, boolean>();
    const isSecret = (name: string): boolean => {
      let found = secretNames.get(name);
      if (found === undefined) secretNames.set(name, (found = isSecretName(name)));
      return found;
    };
    const linesOf = new Map<string, ReturnType<typeof secretLines>>();
    const hitsIn = (text: string): ReturnType<typeof secretLines> => {
      let found = linesOf.get(text);
      if (!found) linesOf.set(text, (found = secretLines(text)));
      return found;
    };
    for (const { view, obj, pod } of workloadsOf(resources)) {
      const violations: Violation[] = [];
      for (const c of containersOf(pod, ["initContainers", "containers"])) {
        for (const { item, index } of records(c.container.env)) {
          if (nonEmptyString(item.name) && isSecret(item.name) && nonEmptyString(item.value)) {
            violations.push(violation(`container ${c.name} sets ${item.name} as a literal value: use valueFrom.secretKeyRef`, `${c.path}.env[${index}].value`));
          }
        }
      }
      results.push(verdict(view, violations, `no secret-named environment variable of ${describe(obj)} has a literal value`));
    }
    for (const { view, obj } of ofKind(resources, "", "ConfigMap")) {
      const violations: Violation[] = [];
      for (const [key, value] of Object.entries(asRecord(obj.data))) {
        if (isSecret(key) && nonEmptyString(value)) {
          violations.push(violation(`key ${key} looks like a secret: store it in a Secret`, `data.${key}`));
          continue;
        }
        if (typeof value !== "string") continue;
        for (const hit of hitsIn(value)) violations.push(violation(`key ${key}, line ${hit.line}: ${hit.what}`, `data.${key}`));
      }
      results.push(verdict(view, violations, `no secret-looking key or value in ${describe(obj)}`));
    }
    return results;
  },
};
