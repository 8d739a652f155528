/**
 * The checks upstream Pod Security Admission registers, per level, with their revisions
 * (kubernetes/pod-security-admission policy/registry.go at tag v0.37.0-alpha.2: `populate`, `inflateVersions`).
 * At a version, restricted runs every baseline check except those overridden by a restricted check that exists
 * at that version (upstream `OverrideCheckIDs`), then the restricted checks that exist at that version.
 */
import { type PssCheck, type PssLevel, revisionAt } from "./check";
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

/** The newest policy version upstream knows: the largest `MinimumVersion` of any check (upstream `maxVersion`). */
export const LATEST_MINOR: number = Math.max(...[...BASELINE_CHECKS, ...RESTRICTED_CHECKS].flatMap((check) => check.revisions));

/** Upstream clamps a version newer than `maxVersion` to it. */
export function effectiveMinor(minor: number = LATEST_MINOR): number {
  return Math.min(Math.max(0, Math.trunc(minor)), LATEST_MINOR);
}

/** The checks that run at a level and policy version `v1.<minor>` (default latest), in evaluation order. */
export function checksFor(level: PssLevel, minor: number = LATEST_MINOR): readonly PssCheck[] {
  const v = effectiveMinor(minor);
  const exists = (check: PssCheck) => revisionAt(check, v) !== undefined;
  const baseline = BASELINE_CHECKS.filter(exists);
  if (level === "baseline") return baseline;
  const restricted = RESTRICTED_CHECKS.filter(exists);
  const overridden = new Set(restricted.flatMap((check) => check.overrides ?? []));
  return [...baseline.filter((check) => !overridden.has(check.id)), ...restricted];
}

/**
 * The policy version a namespace label asks for (upstream api/helpers.go `ParseVersion`): `latest` or `v1.<minor>`;
 * undefined when the value is neither, which upstream treats as `latest` with an error on the namespace.
 */
export function parsePolicyVersion(value: string): number | "latest" | undefined {
  if (value === "latest") return "latest";
  const m = /^v1\.([0-9]|[1-9][0-9]*)$/.exec(value);
  return m ? Number(m[1]) : undefined;
}
