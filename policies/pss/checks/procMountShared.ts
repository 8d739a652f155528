import type { Violation } from "../../types";
import { type PodUnderCheck, containersOf, quote, violation } from "../check";

/** Upstream `procMount_1_0`: any container procMount other than unset or "Default" is forbidden. */
export function unmaskedProcMounts(checkId: string, pod: PodUnderCheck): Violation[] {
  const found: Violation[] = [];
  for (const { container, name, path } of containersOf(pod)) {
    const procMount: unknown = container.securityContext?.procMount;
    if (procMount === undefined || procMount === null || procMount === "Default") continue;
    found.push(
      violation(
        checkId,
        `container ${quote(name)} must not set securityContext.procMount to ${quote(procMount)} (allowed: "Default" or unset)`,
        `${path}.securityContext.procMount`,
      ),
    );
  }
  return found;
}
