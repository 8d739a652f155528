import type { Control } from "../../types";
import { podSecurityControl } from "../lib/pod-security";

export const control: Control = podSecurityControl("baseline", {
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "The Baseline profile forbids the known privilege escalations of a pod (privileged containers, host namespaces, hostPath volumes, added capabilities, host ports, unsafe sysctls). A pod escaping its isolation reaches the node and the other tenants' workloads, breaking the partitioning SecNumCloud asks for between customers and components.",
  remediation:
    "Remove the forbidden settings reported (privileged, hostNetwork/hostPID/hostIPC, hostPath, capabilities.add beyond the Baseline list, hostPort). If a platform component truly needs one, keep it in a dedicated namespace and record a waiver with its justification.",
});
