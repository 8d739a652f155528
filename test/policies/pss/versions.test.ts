/**
 * Pod Security Standards per policy version, as upstream registers them. Every boundary below is read from
 * kubernetes/pod-security-admission at tag v0.37.0-alpha.2 (Kubernetes v1.37.0-alpha.2, commit
 * 648066d9bc612e44cd1b33ab96187e9ae4588a65), `policy/check_<id>.go`, each check's `Versions` list of
 * `VersionedCheck{MinimumVersion: api.MajorMinorVersion(1, N)}`; the version resolution from policy/registry.go
 * (`populate`, `inflateVersions`, clamping to `maxVersion`) and api/helpers.go (`ParseVersion`).
 */
import { describe, expect, it } from "vitest";
import { BASELINE_CHECKS, LATEST_MINOR, RESTRICTED_CHECKS, checksFor, evaluatePodSecurity, parsePolicyVersion } from "../../../policies/pss";
import type { PssLevel } from "../../../policies/pss";
import { pinnedVersion } from "../../../policies/controls/lib/pod-security";
import { control as pssBaseline } from "../../../policies/controls/workload/pss-baseline";
import type { AuditContext, KubernetesObject, ResourceView } from "../../../policies/types";
import { POD_BEARING_KINDS, type PodTemplate, compliantPod, setPath } from "./fixtures";

const deployment = POD_BEARING_KINDS.find((kind) => kind.kind === "Deployment")!;

function podWithAll(changes: Readonly<Record<string, unknown>>): PodTemplate {
  const pod = compliantPod();
  for (const [path, value] of Object.entries(changes)) setPath(pod as unknown as Record<string, unknown>, path, value);
  return pod;
}

/** Check ids reporting a violation at `level` and `v1.<minor>`. */
function failing(pod: PodTemplate, level: PssLevel, minor: number): string[] {
  return [...new Set(evaluatePodSecurity(deployment.wrap(pod), level, minor).violations.map((v) => v.message.split(":")[0]!))].sort();
}

/** Upstream `MinimumVersion` minors of every check at tag v0.37.0-alpha.2, as registered in check_<id>.go. */
const UPSTREAM_REVISIONS: Readonly<Record<string, readonly number[]>> = {
  // baseline
  hostNamespaces: [0], // check_hostNamespaces.go
  privileged: [0], // check_privileged.go
  capabilities_baseline: [0], // check_capabilities_baseline.go
  hostPathVolumes: [0], // check_hostPathVolumes.go
  hostPorts: [0], // check_hostPorts.go
  appArmorProfile: [0], // check_appArmorProfile.go
  seLinuxOptions: [0, 31], // check_seLinuxOptions.go: seLinuxOptions1_0, seLinuxOptions1_31
  procMount: [0, 35], // check_procMount_baseline.go: procMount_1_0, procMount1_35baseline
  seccompProfile_baseline: [0, 19], // check_seccompProfile_baseline.go: seccompProfileBaseline_1_0, _1_19
  sysctls: [0, 27, 29, 32, 37], // check_sysctls.go: sysctlsV1Dot0 … sysctlsV1Dot37
  windowsHostProcess: [0], // check_windowsHostProcess.go
  hostProbesAndHostLifecycle: [34], // check_hostProbesAndhostLifecycle.go
  // restricted
  restrictedVolumes: [0], // check_restrictedVolumes.go, overrides hostPathVolumes
  allowPrivilegeEscalation: [8, 25], // check_allowPrivilegeEscalation.go
  runAsNonRoot: [0, 35], // check_runAsNonRoot.go
  runAsUser: [23, 35], // check_runAsUser.go
  seccompProfile_restricted: [19, 25], // check_seccompProfile_restricted.go, overrides seccompProfile_baseline
  capabilities_restricted: [22, 25], // check_capabilities_restricted.go, overrides capabilities_baseline
  procMount_restricted: [35], // check_procMount_restricted.go, overrides procMount
};

interface Boundary {
  readonly check: string;
  /** The revision's minor: the pod is judged differently at `minor - 1` and at `minor`. */
  readonly minor: number;
  readonly level: PssLevel;
  readonly pod: () => PodTemplate;
  /** Failing check ids just below and at the boundary. */
  readonly before: readonly string[];
  readonly at: readonly string[];
}

const sysctl = (name: string) => () => podWithAll({ "spec.securityContext.sysctls": [{ name, value: "1" }] });
const windows = (changes: Record<string, unknown>) => () =>
  podWithAll({ "spec.os": { name: "windows" }, "spec.securityContext.runAsNonRoot": true, ...changes });
const userNs = (changes: Record<string, unknown>) => () => podWithAll({ "spec.hostUsers": false, ...changes });

const BOUNDARIES: readonly Boundary[] = [
  // sysctls: each revision adds names to the safe set (check_sysctls.go)
  { check: "sysctls", minor: 27, level: "baseline", pod: sysctl("net.ipv4.ip_local_reserved_ports"), before: ["sysctls"], at: [] },
  ...["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"].map(
    (name): Boundary => ({ check: "sysctls", minor: 29, level: "baseline", pod: sysctl(name), before: ["sysctls"], at: [] }),
  ),
  ...["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"].map((name): Boundary => ({ check: "sysctls", minor: 32, level: "baseline", pod: sysctl(name), before: ["sysctls"], at: [] })),
  ...["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"].map(
    (name): Boundary => ({ check: "sysctls", minor: 37, level: "baseline", pod: sysctl(name), before: ["sysctls"], at: [] }),
  ),
  // seLinuxOptions v1.31 allows container_engine_t
  {
    check: "seLinuxOptions",
    minor: 31,
    level: "baseline",
    pod: () => podWithAll({ "spec.containers[0].securityContext.seLinuxOptions": { type: "container_engine_t" } }),
    before: ["seLinuxOptions"],
    at: [],
  },
  // seccompProfile_baseline: v1.0 reads the alpha annotations, v1.19 the fields only
  {
    check: "seccompProfile_baseline",
    minor: 19,
    level: "baseline",
    pod: () => podWithAll({ "metadata.annotations": { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } }),
    before: ["seccompProfile_baseline"],
    at: [],
  },
  {
    check: "seccompProfile_baseline",
    minor: 19,
    level: "baseline",
    pod: () => podWithAll({ "metadata.annotations": { "container.seccomp.security.alpha.kubernetes.io/app": "unconfined" } }),
    before: ["seccompProfile_baseline"],
    at: [],
  },
  {
    check: "seccompProfile_baseline",
    minor: 19,
    level: "baseline",
    pod: () => podWithAll({ "spec.securityContext.seccompProfile": { type: "Unconfined" } }),
    before: [],
    at: ["seccompProfile_baseline"],
  },
  // seccompProfile_restricted exists from v1.19 (overriding seccompProfile_baseline), exempts Windows pods from v1.25
  {
    check: "seccompProfile_restricted",
    minor: 19,
    level: "restricted",
    pod: () => podWithAll({ "spec.securityContext.seccompProfile": undefined }),
    before: [],
    at: ["seccompProfile_restricted"],
  },
  {
    check: "seccompProfile_restricted",
    minor: 19,
    level: "restricted",
    pod: () => podWithAll({ "metadata.annotations": { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } }),
    before: ["seccompProfile_baseline"],
    at: [],
  },
  {
    check: "seccompProfile_restricted",
    minor: 25,
    level: "restricted",
    pod: windows({ "spec.securityContext.seccompProfile": undefined }),
    before: ["seccompProfile_restricted"],
    at: [],
  },
  // allowPrivilegeEscalation exists from v1.8, exempts Windows pods from v1.25
  {
    check: "allowPrivilegeEscalation",
    minor: 8,
    level: "restricted",
    pod: () => podWithAll({ "spec.containers[0].securityContext.allowPrivilegeEscalation": undefined }),
    before: [],
    at: ["allowPrivilegeEscalation"],
  },
  {
    check: "allowPrivilegeEscalation",
    minor: 25,
    level: "restricted",
    pod: windows({ "spec.containers[0].securityContext.allowPrivilegeEscalation": true }),
    before: ["allowPrivilegeEscalation"],
    at: [],
  },
  // capabilities_restricted exists from v1.22 (overriding capabilities_baseline), exempts Windows pods from v1.25
  {
    check: "capabilities_restricted",
    minor: 22,
    level: "restricted",
    pod: () => podWithAll({ "spec.containers[0].securityContext.capabilities": { drop: ["NET_RAW"] } }),
    before: [],
    at: ["capabilities_restricted"],
  },
  {
    check: "capabilities_restricted",
    minor: 22,
    level: "restricted",
    pod: () => podWithAll({ "spec.containers[0].securityContext.capabilities": { drop: ["ALL"], add: ["SYS_ADMIN"] } }),
    before: ["capabilities_baseline"],
    at: ["capabilities_restricted"],
  },
  {
    check: "capabilities_restricted",
    minor: 25,
    level: "restricted",
    pod: windows({ "spec.containers[0].securityContext.capabilities": undefined }),
    before: ["capabilities_restricted"],
    at: [],
  },
  // runAsUser exists from v1.23, exempts user-namespace pods from v1.35
  { check: "runAsUser", minor: 23, level: "restricted", pod: () => podWithAll({ "spec.securityContext.runAsUser": 0 }), before: [], at: ["runAsUser"] },
  { check: "runAsUser", minor: 35, level: "restricted", pod: userNs({ "spec.securityContext.runAsUser": 0 }), before: ["runAsUser"], at: [] },
  // runAsNonRoot exempts user-namespace pods from v1.35
  { check: "runAsNonRoot", minor: 35, level: "restricted", pod: userNs({ "spec.securityContext.runAsNonRoot": undefined }), before: ["runAsNonRoot"], at: [] },
  // procMount (baseline) exempts user-namespace pods from v1.35; procMount_restricted (v1.35) overrides it without the exemption
  {
    check: "procMount",
    minor: 35,
    level: "baseline",
    pod: userNs({ "spec.containers[0].securityContext.procMount": "Unmasked" }),
    before: ["procMount"],
    at: [],
  },
  {
    check: "procMount_restricted",
    minor: 35,
    level: "restricted",
    pod: userNs({ "spec.containers[0].securityContext.procMount": "Unmasked" }),
    before: ["procMount"],
    at: ["procMount_restricted"],
  },
  // hostProbesAndHostLifecycle exists from v1.34
  {
    check: "hostProbesAndHostLifecycle",
    minor: 34,
    level: "baseline",
    pod: () => podWithAll({ "spec.containers[1].livenessProbe": { httpGet: { host: "10.0.0.1", path: "/healthz", port: 8080 } } }),
    before: [],
    at: ["hostProbesAndHostLifecycle"],
  },
];

describe("Pod Security check revisions agree with upstream v0.37.0-alpha.2", () => {
  it("registers exactly upstream's checks and revisions", () => {
    const ours = Object.fromEntries([...BASELINE_CHECKS, ...RESTRICTED_CHECKS].map((c) => [c.id, c.revisions]));
    expect(ours).toEqual(UPSTREAM_REVISIONS);
    expect(LATEST_MINOR).toBe(37);
  });

  it("every revision after the first is covered by a boundary case", () => {
    for (const [id, revisions] of Object.entries(UPSTREAM_REVISIONS)) {
      for (const r of revisions) {
        if (r === 0) continue;
        expect(BOUNDARIES.some((b) => b.check === id && b.minor === r), `${id} at v1.${r}`).toBe(true);
      }
    }
  });

  it.each(BOUNDARIES.map((b) => [`${b.check} v1.${b.minor - 1} → v1.${b.minor} (${b.level})`, b] as const))(
    "%s",
    (_name, b) => {
      expect(failing(b.pod(), b.level, b.minor - 1)).toEqual([...b.before].sort());
      expect(failing(b.pod(), b.level, b.minor)).toEqual([...b.at].sort());
    },
  );

  it("checks of revision v1.0 run at v1.0 and at latest", () => {
    const v0 = (level: PssLevel) => checksFor(level, 0).map((c) => c.id);
    expect(v0("baseline")).toEqual(["hostNamespaces", "privileged", "capabilities_baseline", "hostPathVolumes", "hostPorts", "appArmorProfile", "seLinuxOptions", "procMount", "seccompProfile_baseline", "sysctls", "windowsHostProcess"]);
    expect(v0("restricted")).toEqual(["hostNamespaces", "privileged", "capabilities_baseline", "hostPorts", "appArmorProfile", "seLinuxOptions", "procMount", "seccompProfile_baseline", "sysctls", "windowsHostProcess", "restrictedVolumes", "runAsNonRoot"]);
    expect(failing(podWithAll({ "spec.hostNetwork": true }), "baseline", 0)).toEqual(["hostNamespaces"]);
    expect(failing(podWithAll({ "spec.volumes[0]": { name: "h", hostPath: { path: "/" } } }), "restricted", 0)).toEqual(["restrictedVolumes"]);
  });

  it("a version newer than upstream's newest is evaluated at the newest (registry.go clamps to maxVersion)", () => {
    const pod = sysctl("net.ipv4.tcp_notsent_lowat")();
    expect(failing(pod, "baseline", 99)).toEqual(failing(pod, "baseline", LATEST_MINOR));
    expect(failing(pod, "baseline", LATEST_MINOR)).toEqual([]);
  });

  it("parses namespace version labels as upstream's ParseVersion", () => {
    expect(parsePolicyVersion("latest")).toBe("latest");
    expect(parsePolicyVersion("v1.36")).toBe(36);
    expect(parsePolicyVersion("v1.0")).toBe(0);
    for (const bad of ["v1.036", "1.36", "v2.1", "v1.", "V1.3", " latest"]) expect(parsePolicyVersion(bad)).toBeUndefined();
  });
});

describe("the version a namespace pins", () => {
  it("reads <mode>-version for the mode that asks for the level, else enforce-version, else latest", () => {
    expect(pinnedVersion(undefined, "baseline")).toEqual({ minor: LATEST_MINOR, label: "latest" });
    expect(pinnedVersion({ "pod-security.kubernetes.io/enforce-version": "v1.30" }, "baseline")).toMatchObject({ minor: 30 });
    expect(
      pinnedVersion({ "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/warn-version": "v1.24", "pod-security.kubernetes.io/enforce-version": "v1.30" }, "restricted"),
    ).toMatchObject({ minor: 24, from: "pod-security.kubernetes.io/warn-version" });
    expect(pinnedVersion({ "pod-security.kubernetes.io/enforce-version": "nonsense" }, "baseline")).toMatchObject({ minor: LATEST_MINOR, label: "latest" });
  });

  const ctx = { today: "2026-01-01" } as unknown as AuditContext;
  const view = (obj: KubernetesObject): ResourceView => ({ type: `k8s:${obj.apiVersion}:${obj.kind}`, name: obj.metadata.name ?? "", props: {}, protect: false, k8s: obj });
  const namespace = (labels: Record<string, string>): KubernetesObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "apps", labels } });

  it("the baseline control judges a pod at its namespace's pinned version", () => {
    const pod = deployment.wrap(sysctl("net.ipv4.tcp_slow_start_after_idle")());
    const at = (labels: Record<string, string>) => pssBaseline.check([view(namespace(labels)), view(pod)], ctx).find((r) => r.resource.k8s === pod)!;
    expect(at({}).status).toBe("pass");
    expect(at({ "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/enforce-version": "v1.36" }).status).toBe("fail");
    expect(at({ "pod-security.kubernetes.io/enforce-version": "latest" }).status).toBe("pass");
  });
});
