import { describe, expect, it } from "vitest";
import { evaluatePodSecurity } from "../../../policies/pss";
import { POD_BEARING_KINDS, type PodBearingKind, type PodTemplate, compliantPod, podWith } from "./fixtures";

/** The one violation a level must report: the upstream check id and the path, relative to the pod template. */
interface Expected {
  readonly check: string;
  readonly path: string;
}

interface SingleFieldCase {
  readonly name: string;
  readonly pod: () => PodTemplate;
  readonly baseline?: Expected;
  readonly restricted?: Expected;
}

const APPARMOR_KEY = "container.apparmor.security.beta.kubernetes.io/web";

/** Each case changes exactly one field of the compliant pod. Same expectation at both levels unless stated. */
const both = (check: string, path: string) => ({ baseline: { check, path }, restricted: { check, path } });
const restrictedOnly = (check: string, path: string) => ({ restricted: { check, path } });

const CONTAINER_SLOTS = ["spec.initContainers[0]", "spec.containers[1]", "spec.ephemeralContainers[0]"] as const;

const perContainer = (
  name: string,
  field: string,
  value: unknown,
  expect: (path: string) => Pick<SingleFieldCase, "baseline" | "restricted">,
  reportedField = field,
): SingleFieldCase[] =>
  CONTAINER_SLOTS.map((slot) => ({
    name: `${name} (${slot})`,
    pod: () => podWith(`${slot}.${field}`, value),
    ...expect(`${slot}.${reportedField}`),
  }));

const CASES: readonly SingleFieldCase[] = [
  // baseline: hostNamespaces
  ...(["hostNetwork", "hostPID", "hostIPC"] as const).map((field) => ({
    name: `${field}: true`,
    pod: () => podWith(`spec.${field}`, true),
    ...both("hostNamespaces", `spec.${field}`),
  })),
  // baseline: privileged
  ...perContainer("privileged: true", "securityContext.privileged", true, (path) => both("privileged", path)),
  // baseline: capabilities_baseline (restricted reports it as capabilities_restricted, which overrides it)
  ...perContainer("capabilities.add SYS_ADMIN", "securityContext.capabilities.add", ["SYS_ADMIN"], (path) => ({
    baseline: { check: "capabilities_baseline", path: `${path}[0]` },
    restricted: { check: "capabilities_restricted", path: `${path}[0]` },
  })),
  ...perContainer("capabilities.add CHOWN (baseline default set)", "securityContext.capabilities.add", ["CHOWN"], (path) =>
    restrictedOnly("capabilities_restricted", `${path}[0]`),
  ),
  // restricted: capabilities_restricted drop
  ...perContainer("capabilities.drop without ALL", "securityContext.capabilities.drop", ["NET_RAW"], (path) =>
    restrictedOnly("capabilities_restricted", path),
  ),
  ...perContainer("capabilities.drop lowercase all", "securityContext.capabilities.drop", ["all"], (path) =>
    restrictedOnly("capabilities_restricted", path),
  ),
  // baseline: hostPathVolumes (restricted: restrictedVolumes overrides it)
  {
    name: "hostPath volume",
    pod: () => podWith("spec.volumes[0]", { name: "data", hostPath: { path: "/var/lib" } }),
    baseline: { check: "hostPathVolumes", path: "spec.volumes[0].hostPath" },
    restricted: { check: "restrictedVolumes", path: "spec.volumes[0].hostPath" },
  },
  // restricted: restrictedVolumes
  ...["nfs", "gitRepo", "iscsi", "cephfs", "awsElasticBlockStore", "flexVolume"].map((source) => ({
    name: `${source} volume`,
    pod: () => podWith("spec.volumes[1]", { name: "config", [source]: { server: "x" } }),
    ...restrictedOnly("restrictedVolumes", `spec.volumes[1].${source}`),
  })),
  // baseline: hostPorts
  ...perContainer("hostPort 8080", "ports", [{ containerPort: 8080, hostPort: 8080 }], (path) => both("hostPorts", `${path}[0].hostPort`)),
  // baseline: appArmorProfile
  {
    name: "pod appArmorProfile Unconfined",
    pod: () => podWith("spec.securityContext.appArmorProfile", { type: "Unconfined" }),
    ...both("appArmorProfile", "spec.securityContext.appArmorProfile.type"),
  },
  ...perContainer("appArmorProfile Unconfined", "securityContext.appArmorProfile", { type: "Unconfined" }, (path) =>
    both("appArmorProfile", `${path}.type`),
  ),
  {
    name: "AppArmor annotation unconfined",
    pod: () => {
      const pod = compliantPod();
      (pod.metadata["annotations"] as Record<string, string>)[APPARMOR_KEY] = "unconfined";
      return pod;
    },
    ...both("appArmorProfile", `metadata.annotations[${JSON.stringify(APPARMOR_KEY)}]`),
  },
  // baseline: seLinuxOptions
  {
    name: "pod seLinuxOptions.type spc_t",
    pod: () => podWith("spec.securityContext.seLinuxOptions", { type: "spc_t" }),
    ...both("seLinuxOptions", "spec.securityContext.seLinuxOptions.type"),
  },
  {
    name: "pod seLinuxOptions.user",
    pod: () => podWith("spec.securityContext.seLinuxOptions", { user: "system_u" }),
    ...both("seLinuxOptions", "spec.securityContext.seLinuxOptions.user"),
  },
  ...perContainer("seLinuxOptions.role", "securityContext.seLinuxOptions", { role: "system_r" }, (path) =>
    both("seLinuxOptions", `${path}.role`),
  ),
  ...perContainer("seLinuxOptions.type unconfined_t", "securityContext.seLinuxOptions", { type: "unconfined_t" }, (path) =>
    both("seLinuxOptions", `${path}.type`),
  ),
  // baseline: procMount (restricted: procMount_restricted overrides it)
  ...perContainer("procMount Unmasked", "securityContext.procMount", "Unmasked", (path) => ({
    baseline: { check: "procMount", path },
    restricted: { check: "procMount_restricted", path },
  })),
  // baseline: seccompProfile_baseline (restricted: seccompProfile_restricted overrides it)
  {
    name: "pod seccompProfile Unconfined",
    pod: () => podWith("spec.securityContext.seccompProfile", { type: "Unconfined" }),
    baseline: { check: "seccompProfile_baseline", path: "spec.securityContext.seccompProfile.type" },
    restricted: { check: "seccompProfile_restricted", path: "spec.securityContext.seccompProfile.type" },
  },
  ...perContainer("seccompProfile Unconfined", "securityContext.seccompProfile", { type: "Unconfined" }, (path) => ({
    baseline: { check: "seccompProfile_baseline", path: `${path}.type` },
    restricted: { check: "seccompProfile_restricted", path: `${path}.type` },
  })),
  // baseline: sysctls
  {
    name: "unsafe sysctl kernel.msgmax",
    pod: () => podWith("spec.securityContext.sysctls", [{ name: "kernel.msgmax", value: "65536" }]),
    ...both("sysctls", "spec.securityContext.sysctls[0].name"),
  },
  // baseline: windowsHostProcess
  {
    name: "pod windowsOptions.hostProcess",
    pod: () => podWith("spec.securityContext.windowsOptions", { hostProcess: true }),
    ...both("windowsHostProcess", "spec.securityContext.windowsOptions.hostProcess"),
  },
  ...perContainer("windowsOptions.hostProcess", "securityContext.windowsOptions", { hostProcess: true }, (path) =>
    both("windowsHostProcess", `${path}.hostProcess`),
  ),
  // baseline: hostProbesAndHostLifecycle
  {
    name: "livenessProbe httpGet.host",
    pod: () => podWith("spec.containers[1].livenessProbe.httpGet.host", "169.254.169.254"),
    ...both("hostProbesAndHostLifecycle", "spec.containers[1].livenessProbe.httpGet.host"),
  },
  {
    name: "preStop httpGet.host",
    pod: () => podWith("spec.containers[1].lifecycle.preStop.httpGet.host", "10.0.0.1"),
    ...both("hostProbesAndHostLifecycle", "spec.containers[1].lifecycle.preStop.httpGet.host"),
  },
  ...perContainer("readinessProbe tcpSocket.host", "readinessProbe", { tcpSocket: { host: "node.local", port: 22 } }, (path) =>
    both("hostProbesAndHostLifecycle", `${path}.tcpSocket.host`),
  ),
  ...perContainer("startupProbe httpGet.host", "startupProbe", { httpGet: { host: "localhost", port: 80 } }, (path) =>
    both("hostProbesAndHostLifecycle", `${path}.httpGet.host`),
  ),
  ...perContainer("postStart tcpSocket.host", "lifecycle", { postStart: { tcpSocket: { host: "127.0.0.1", port: 80 } } }, (path) =>
    both("hostProbesAndHostLifecycle", path.replace(/lifecycle$/, "lifecycle.postStart.tcpSocket.host")),
  ),
  // restricted: allowPrivilegeEscalation
  ...perContainer("allowPrivilegeEscalation: true", "securityContext.allowPrivilegeEscalation", true, (path) =>
    restrictedOnly("allowPrivilegeEscalation", path),
  ),
  ...perContainer("allowPrivilegeEscalation unset", "securityContext.allowPrivilegeEscalation", undefined, (path) =>
    restrictedOnly("allowPrivilegeEscalation", path),
  ),
  // restricted: runAsNonRoot
  {
    name: "pod runAsNonRoot: false",
    pod: () => podWith("spec.securityContext.runAsNonRoot", false),
    ...restrictedOnly("runAsNonRoot", "spec.securityContext.runAsNonRoot"),
  },
  ...perContainer("runAsNonRoot: false overriding the pod's true", "securityContext.runAsNonRoot", false, (path) =>
    restrictedOnly("runAsNonRoot", path),
  ),
  // restricted: runAsUser
  {
    name: "pod runAsUser: 0",
    pod: () => podWith("spec.securityContext.runAsUser", 0),
    ...restrictedOnly("runAsUser", "spec.securityContext.runAsUser"),
  },
  ...perContainer("runAsUser: 0", "securityContext.runAsUser", 0, (path) => restrictedOnly("runAsUser", path)),
];

function absolute(kind: PodBearingKind, relative: string): string {
  if (relative.startsWith("spec.")) return `${kind.specPath}${relative.slice("spec".length)}`;
  if (relative.startsWith("metadata.")) return `${kind.metadataPath}${relative.slice("metadata".length)}`;
  throw new Error(`test path must start with spec. or metadata.: ${relative}`);
}

describe.each(POD_BEARING_KINDS)("single-field violations on $kind", (kind) => {
  it("the compliant pod passes both levels", () => {
    for (const level of ["baseline", "restricted"] as const) {
      expect(evaluatePodSecurity(kind.wrap(compliantPod()), level)).toEqual({ applies: true, violations: [] });
    }
  });

  describe.each(CASES)("$name", (testCase) => {
    it.each(["baseline", "restricted"] as const)("%s reports exactly the expected check", (level) => {
      const result = evaluatePodSecurity(kind.wrap(testCase.pod()), level);
      expect(result.applies).toBe(true);
      const expected = testCase[level];
      if (expected === undefined) {
        expect(result.violations).toEqual([]);
        return;
      }
      expect(result.violations).toHaveLength(1);
      const [found] = result.violations;
      expect(found!.message.startsWith(`${expected.check}: `), found!.message).toBe(true);
      expect(found!.path).toBe(absolute(kind, expected.path));
    });
  });
});
