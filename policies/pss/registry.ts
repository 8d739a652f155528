/**
 * The checks upstream Pod Security Admission registers for its newest policy version, per level.
 * Restricted runs every baseline check except those a restricted check overrides (upstream `OverrideCheckIDs`),
 * then the restricted checks.
 */
import type { PssCheck, PssLevel } from "./check";
import { allowPrivilegeEscalation } from "./checks/allowPrivilegeEscalation";
import { appArmorProfile } from "./checks/appArmorProfile";
import { capabilitiesBaseline } from "./checks/capabilitiesBaseline";
import { capabilitiesRestricted } from "./checks/capabilitiesRestricted";
import { hostNamespaces } from "./checks/hostNamespaces";
import { hostPathVolumes } from "./checks/hostPathVolumes";
import { hostPorts } from "./checks/hostPorts";
import { hostProbesAndHostLifecycle } from "./checks/hostProbesAndHostLifecycle";
import { privileged } from "./checks/privileged";
import { procMount } from "./checks/procMount";
import { procMountRestricted } from "./checks/procMountRestricted";
import { restrictedVolumes } from "./checks/restrictedVolumes";
import { runAsNonRoot } from "./checks/runAsNonRoot";
import { runAsUser } from "./checks/runAsUser";
import { seccompProfileBaseline } from "./checks/seccompProfileBaseline";
import { seccompProfileRestricted } from "./checks/seccompProfileRestricted";
import { seLinuxOptions } from "./checks/seLinuxOptions";
import { sysctls } from "./checks/sysctls";
import { windowsHostProcess } from "./checks/windowsHostProcess";

export const BASELINE_CHECKS: readonly PssCheck[] = [
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  hostProbesAndHostLifecycle,
];

export const RESTRICTED_CHECKS: readonly PssCheck[] = [
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];

/** The checks that run at a level, in evaluation order. */
export function checksFor(level: PssLevel): readonly PssCheck[] {
  if (level === "baseline") return BASELINE_CHECKS;
  const overridden = new Set(RESTRICTED_CHECKS.flatMap((check) => check.overrides ?? []));
  return [...BASELINE_CHECKS.filter((check) => !overridden.has(check.id)), ...RESTRICTED_CHECKS];
}
