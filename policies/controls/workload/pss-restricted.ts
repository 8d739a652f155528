import type { Control } from "../../types";
import { podSecurityControl } from "../lib/pod-security";

export const control: Control = podSecurityControl("restricted", {
  severity: "medium",
  enforcement: "advisory",
  rationale:
    "The Restricted profile applies current pod hardening practice on top of Baseline: non-root user, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp profile. It limits what an attacker gains from a compromised application process.",
  remediation:
    "Set `securityContext.runAsNonRoot: true`, `allowPrivilegeEscalation: false`, `capabilities.drop: [\"ALL\"]` and `seccompProfile.type: RuntimeDefault` on every container (or at pod level where allowed), and use images that run as a non-root user.",
});
