/**
 * Upstream: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_sysctls.go,
 * check `sysctls`, baseline, newest released revision v1.32 (`sysctlsAllowedV1Dot32`; earlier sets: v1.0, v1.27, v1.29).
 * Restricted field spec.securityContext.sysctls[*].name; allowed: the safe list below, undefined/empty.
 * Not included: `sysctlsAllowedV1Dot37` (net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat), reported on
 * the unreleased release-1.37 branch by a secondary source and not confirmed against upstream code here.
 */
import type { Violation } from "../../types";
import { type PssCheck, quote, violation } from "../check";

const ID = "sysctls";

export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  // v1.0
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  // v1.27
  "net.ipv4.ip_local_reserved_ports",
  // v1.29
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  // v1.32
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);

export const sysctls: PssCheck = {
  id: ID,
  level: "baseline",
  evaluate(pod) {
    const found: Violation[] = [];
    const entries = pod.spec.securityContext?.sysctls;
    if (!Array.isArray(entries)) return found;
    entries.forEach((entry, index) => {
      const name: unknown = entry?.name;
      if (typeof name === "string" && SAFE_SYSCTLS.has(name)) return;
      found.push(
        violation(
          ID,
          `pod must not set sysctl ${quote(name)} (allowed: ${[...SAFE_SYSCTLS].join(", ")})`,
          `${pod.specPath}.securityContext.sysctls[${index}].name`,
        ),
      );
    });
    return found;
  },
};
