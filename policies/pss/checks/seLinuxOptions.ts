/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_seLinuxOptions.go,
 * (also kubernetes/pod-security-admission policy/check_seLinuxOptions.go at tag v0.37.0-alpha.2), check `seLinuxOptions`, baseline,
 * revisions v1.0 (`selinuxAllowedTypes1_0`) and v1.31 (`selinuxAllowedTypes1_31`, which added container_engine_t).
 * Restricted fields spec.securityContext.seLinuxOptions and {init,ephemeral,}containers[*].securityContext.seLinuxOptions:
 * type must be empty/undefined or an allowed type; user and role must be empty/undefined; level is not restricted.
 */
import type { Violation } from "../../types";
import type { SeLinuxOptions } from "../podSpec";
import { type PssCheck, containersOf, quote, violation } from "../check";

const ID = "seLinuxOptions";

/** `selinuxAllowedTypes1_0`. */
const SELINUX_ALLOWED_TYPES_1_0: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
/** `selinuxAllowedTypes1_31`: v1.0 plus container_engine_t. */
export const SELINUX_ALLOWED_TYPES: ReadonlySet<string> = new Set([...SELINUX_ALLOWED_TYPES_1_0, "container_engine_t"]);

function optionViolations(options: SeLinuxOptions | undefined, setter: string, path: string, allowed: ReadonlySet<string>): Violation[] {
  if (options === undefined || options === null) return [];
  const found: Violation[] = [];
  const type: unknown = options.type ?? "";
  if (typeof type !== "string" || !allowed.has(type)) {
    found.push(
      violation(
        ID,
        `${setter} must not set securityContext.seLinuxOptions.type to ${quote(type)} (allowed: ${[...allowed].filter((t) => t !== "").join(", ")}, or unset)`,
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
  revisions: [0, 31],
  evaluate(pod, minor) {
    const allowed = minor >= 31 ? SELINUX_ALLOWED_TYPES : SELINUX_ALLOWED_TYPES_1_0;
    const found = optionViolations(pod.spec.securityContext?.seLinuxOptions, "pod", `${pod.specPath}.securityContext.seLinuxOptions`, allowed);
    for (const { container, name, path } of containersOf(pod)) {
      found.push(
        ...optionViolations(container.securityContext?.seLinuxOptions, `container ${quote(name)}`, `${path}.securityContext.seLinuxOptions`, allowed),
      );
    }
    return found;
  },
};
