/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_seLinuxOptions.go,
 * check `seLinuxOptions`, baseline, newest revision v1.31 (set `selinuxAllowedTypes1_31`, which added container_engine_t).
 * Restricted fields spec.securityContext.seLinuxOptions and {init,ephemeral,}containers[*].securityContext.seLinuxOptions:
 * type must be empty/undefined or an allowed type; user and role must be empty/undefined; level is not restricted.
 */
import type { Violation } from "../../types";
import type { SeLinuxOptions } from "../podSpec";
import { type PssCheck, containersOf, quote, violation } from "../check";

const ID = "seLinuxOptions";

export const SELINUX_ALLOWED_TYPES: ReadonlySet<string> = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);

function optionViolations(options: SeLinuxOptions | undefined, setter: string, path: string): Violation[] {
  if (options === undefined || options === null) return [];
  const found: Violation[] = [];
  const type: unknown = options.type ?? "";
  if (typeof type !== "string" || !SELINUX_ALLOWED_TYPES.has(type)) {
    found.push(
      violation(
        ID,
        `${setter} must not set securityContext.seLinuxOptions.type to ${quote(type)} (allowed: ${[...SELINUX_ALLOWED_TYPES].filter((t) => t !== "").join(", ")}, or unset)`,
        `${path}.type`,
      ),
    );
  }
  for (const field of ["user", "role"] as const) {
    const value: unknown = options[field];
    if (value === undefined || value === null || value === "") continue;
    found.push(violation(ID, `${setter} must not set securityContext.seLinuxOptions.${field} (set to ${quote(value)})`, `${path}.${field}`));
  }
  return found;
}

export const seLinuxOptions: PssCheck = {
  id: ID,
  level: "baseline",
  evaluate(pod) {
    const found = optionViolations(pod.spec.securityContext?.seLinuxOptions, "pod", `${pod.specPath}.securityContext.seLinuxOptions`);
    for (const { container, name, path } of containersOf(pod)) {
      found.push(
        ...optionViolations(container.securityContext?.seLinuxOptions, `container ${quote(name)}`, `${path}.securityContext.seLinuxOptions`),
      );
    }
    return found;
  },
};
