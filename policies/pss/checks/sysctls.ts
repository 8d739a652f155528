/**
 * Upstream: kubernetes/pod-security-admission policy/check_sysctls.go at tag v0.37.0-alpha.2 (Kubernetes v1.37.0-alpha.2,
 * commit 648066d9bc612e44cd1b33ab96187e9ae4588a65), check `sysctls`, baseline, revisions v1.0, v1.27, v1.29, v1.32, v1.37
 * (`sysctlsAllowedV1Dot0` … `sysctlsAllowedV1Dot37`, each the previous set plus the names below).
 * Restricted field spec.securityContext.sysctls[*].name; allowed: the safe set of the revision in force, undefined/empty.
 */
import type { Violation } from "../../types";
import { type PssCheck, quote, violation } from "../check";

const ID = "sysctls";

/** Names each revision adds to the previous revision's safe set, keyed by the revision's minor version. */
export const SAFE_SYSCTLS_ADDED: ReadonlyMap<number, readonly string[]> = new Map([
  [0, ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"]],
  [27, ["net.ipv4.ip_local_reserved_ports"]],
  [29, ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]],
  [32, ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]],
  [37, ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"]],
]);

/** The safe set at policy `v1.<minor>`. */
export function safeSysctls(minor: number): ReadonlySet<string> {
  const names = new Set<string>();
  for (const [since, added] of SAFE_SYSCTLS_ADDED) if (since <= minor) for (const n of added) names.add(n);
  return names;
}

/** The safe set of the newest revision. */
export const SAFE_SYSCTLS: ReadonlySet<string> = safeSysctls(Number.MAX_SAFE_INTEGER);

export const sysctls: PssCheck = {
  id: ID,
  level: "baseline",
  revisions: [...SAFE_SYSCTLS_ADDED.keys()],
  evaluate(pod, minor) {
    const found: Violation[] = [];
    const entries = pod.spec.securityContext?.sysctls;
    if (!Array.isArray(entries)) return found;
    const safe = safeSysctls(minor);
    entries.forEach((entry, index) => {
      const name: unknown = entry?.name;
      if (typeof name === "string" && safe.has(name)) return;
      found.push(
        violation(
          ID,
          `pod must not set sysctl ${quote(name)} (allowed: ${[...safe].join(", ")})`,
          `${pod.specPath}.securityContext.sysctls[${index}].name`,
        ),
      );
    });
    return found;
  },
};
