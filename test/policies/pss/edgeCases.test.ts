import { describe, expect, it } from "vitest";
import { evaluatePodSecurity } from "../../../policies/pss";
import type { PssLevel } from "../../../policies/pss";
import { POD_BEARING_KINDS, type PodTemplate, compliantPod, podWith, setPath } from "./fixtures";

const deployment = POD_BEARING_KINDS.find((kind) => kind.kind === "Deployment")!;

function evaluate(pod: PodTemplate, level: PssLevel) {
  return evaluatePodSecurity(deployment.wrap(pod), level).violations;
}

/** Applies several field changes to the compliant pod. */
function podWithAll(changes: Readonly<Record<string, unknown>>): PodTemplate {
  const pod = compliantPod();
  for (const [path, value] of Object.entries(changes)) setPath(pod as unknown as Record<string, unknown>, path, value);
  return pod;
}

const ALL_CONTAINERS = ["spec.initContainers[0]", "spec.containers[0]", "spec.containers[1]", "spec.ephemeralContainers[0]"];
const SPEC = "spec.template.spec";

describe("runAsNonRoot: pod and container precedence (upstream check_runAsNonRoot_test.go cases)", () => {
  it("accepts the pod-level true inherited by containers that leave it unset", () => {
    expect(evaluate(compliantPod(), "restricted")).toEqual([]);
  });

  it("accepts every container setting true when the pod leaves it unset", () => {
    const changes: Record<string, unknown> = { "spec.securityContext.runAsNonRoot": undefined };
    for (const slot of ALL_CONTAINERS) changes[`${slot}.securityContext.runAsNonRoot`] = true;
    expect(evaluate(podWithAll(changes), "restricted")).toEqual([]);
  });

  it("rejects a container overriding the pod's true with false, pointing at the container", () => {
    const violations = evaluate(podWith("spec.containers[0].securityContext.runAsNonRoot", false), "restricted");
    expect(violations.map((v) => v.path)).toEqual([`${SPEC}.containers[0].securityContext.runAsNonRoot`]);
  });

  it("rejects a pod-level false even when every container sets true", () => {
    const changes: Record<string, unknown> = { "spec.securityContext.runAsNonRoot": false };
    for (const slot of ALL_CONTAINERS) changes[`${slot}.securityContext.runAsNonRoot`] = true;
    expect(evaluate(podWithAll(changes), "restricted").map((v) => v.path)).toEqual([`${SPEC}.securityContext.runAsNonRoot`]);
  });

  it("reports every container, init and ephemeral included, when nothing sets runAsNonRoot", () => {
    const violations = evaluate(podWith("spec.securityContext.runAsNonRoot", undefined), "restricted");
    expect(violations.map((v) => v.path)).toEqual(ALL_CONTAINERS.map((slot) => `spec.template.${slot}.securityContext.runAsNonRoot`));
    expect(violations.every((v) => v.message.startsWith("runAsNonRoot: pod or container"))).toBe(true);
  });

  it("reports only the explicit false, not the containers that merely inherit nothing (as upstream)", () => {
    const pod = podWithAll({ "spec.securityContext.runAsNonRoot": undefined, "spec.containers[1].securityContext.runAsNonRoot": false });
    expect(evaluate(pod, "restricted").map((v) => v.path)).toEqual([`${SPEC}.containers[1].securityContext.runAsNonRoot`]);
  });

  it("does not check baseline", () => {
    expect(evaluate(podWith("spec.securityContext.runAsNonRoot", false), "baseline")).toEqual([]);
  });
});

describe("runAsUser", () => {
  it("rejects a pod-level 0 even when a container overrides it", () => {
    const pod = podWithAll({ "spec.securityContext.runAsUser": 0, "spec.containers[0].securityContext.runAsUser": 1000 });
    expect(evaluate(pod, "restricted").map((v) => v.path)).toEqual([`${SPEC}.securityContext.runAsUser`]);
  });

  it("accepts a non-zero user and an unset one", () => {
    expect(evaluate(podWith("spec.securityContext.runAsUser", 65532), "restricted")).toEqual([]);
  });
});

describe("seccomp: pod and container precedence", () => {
  it("accepts Localhost at pod level with containers unset", () => {
    const pod = podWith("spec.securityContext.seccompProfile", { type: "Localhost", localhostProfile: "profiles/app.json" });
    expect(evaluate(pod, "restricted")).toEqual([]);
  });

  it("accepts containers each setting RuntimeDefault or Localhost with the pod unset", () => {
    const changes: Record<string, unknown> = { "spec.securityContext.seccompProfile": undefined };
    ALL_CONTAINERS.forEach((slot, index) => {
      changes[`${slot}.securityContext.seccompProfile`] =
        index % 2 === 0 ? { type: "RuntimeDefault" } : { type: "Localhost", localhostProfile: "p.json" };
    });
    expect(evaluate(podWithAll(changes), "restricted")).toEqual([]);
  });

  it("rejects an Unconfined container override of a RuntimeDefault pod at both levels", () => {
    const pod = podWith("spec.containers[1].securityContext.seccompProfile", { type: "Unconfined" });
    expect(evaluate(pod, "baseline").map((v) => v.path)).toEqual([`${SPEC}.containers[1].securityContext.seccompProfile.type`]);
    expect(evaluate(pod, "restricted").map((v) => v.message)).toEqual([
      'seccompProfile_restricted: container "web" must not set securityContext.seccompProfile.type to "Unconfined" (allowed: "RuntimeDefault", "Localhost")',
    ]);
  });

  it("rejects a pod-level Unconfined even when every container overrides it", () => {
    const changes: Record<string, unknown> = { "spec.securityContext.seccompProfile": { type: "Unconfined" } };
    for (const slot of ALL_CONTAINERS) changes[`${slot}.securityContext.seccompProfile`] = { type: "RuntimeDefault" };
    for (const level of ["baseline", "restricted"] as const) {
      expect(evaluate(podWithAll(changes), level).map((v) => v.path)).toEqual([`${SPEC}.securityContext.seccompProfile.type`]);
    }
  });

  it("baseline accepts an unset profile; restricted requires one for every container", () => {
    const pod = podWith("spec.securityContext.seccompProfile", undefined);
    expect(evaluate(pod, "baseline")).toEqual([]);
    expect(evaluate(pod, "restricted").map((v) => v.path)).toEqual(
      ALL_CONTAINERS.map((slot) => `spec.template.${slot}.securityContext.seccompProfile`),
    );
  });
});

describe("capabilities", () => {
  it("restricted accepts NET_BIND_SERVICE in add", () => {
    expect(evaluate(podWith("spec.containers[1].securityContext.capabilities.add", ["NET_BIND_SERVICE"]), "restricted")).toEqual([]);
  });

  it("baseline accepts every capability of the default set", () => {
    const defaults = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];
    expect(evaluate(podWith("spec.containers[1].securityContext.capabilities.add", defaults), "baseline")).toEqual([]);
  });

  it("baseline rejects NET_RAW, which the runtime default set no longer holds, and a CAP_-prefixed name", () => {
    const violations = evaluate(podWith("spec.containers[1].securityContext.capabilities.add", ["NET_RAW", "CAP_CHOWN"]), "baseline");
    expect(violations.map((v) => v.path)).toEqual([
      `${SPEC}.containers[1].securityContext.capabilities.add[0]`,
      `${SPEC}.containers[1].securityContext.capabilities.add[1]`,
    ]);
  });

  it("restricted accepts ALL among other dropped capabilities", () => {
    expect(evaluate(podWith("spec.containers[0].securityContext.capabilities.drop", ["NET_RAW", "ALL"]), "restricted")).toEqual([]);
  });

  it("restricted reports a container without securityContext on every restricted container field", () => {
    const violations = evaluate(podWith("spec.containers[0].securityContext", undefined), "restricted");
    expect(violations.map((v) => v.message.split(":")[0])).toEqual(["allowPrivilegeEscalation", "capabilities_restricted"]);
  });
});

describe("host ports, probes, volumes, sysctls", () => {
  it("accepts hostPort 0", () => {
    const pod = podWith("spec.containers[1].ports", [{ containerPort: 8080, hostPort: 0 }]);
    expect(evaluate(pod, "restricted")).toEqual([]);
  });

  it("accepts an empty probe or lifecycle host", () => {
    const pod = podWithAll({
      "spec.containers[1].livenessProbe.httpGet.host": "",
      "spec.containers[1].lifecycle.preStop.httpGet.host": "",
    });
    expect(evaluate(pod, "restricted")).toEqual([]);
  });

  it.each(["image", "csi", "ephemeral", "persistentVolumeClaim", "projected", "secret", "downwardAPI"])(
    "restricted accepts a %s volume",
    (source) => {
      expect(evaluate(podWith("spec.volumes[1]", { name: "config", [source]: { reference: "x" } }), "restricted")).toEqual([]);
    },
  );

  it("accepts a volume without a source, which the API server defaults to emptyDir", () => {
    expect(evaluate(podWith("spec.volumes[1]", { name: "scratch" }), "restricted")).toEqual([]);
  });

  it.each([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
  ])("accepts the safe sysctl %s", (name) => {
    expect(evaluate(podWith("spec.securityContext.sysctls", [{ name, value: "1" }]), "restricted")).toEqual([]);
  });

  it.each(["net.core.somaxconn", "kernel.msgmax", "net.ipv4.ip_forward"])(
    "rejects the sysctl %s",
    (name) => {
      expect(evaluate(podWith("spec.securityContext.sysctls", [{ name, value: "1" }]), "baseline").map((v) => v.message)).toEqual([
        expect.stringContaining(`sysctls: pod must not set sysctl "${name}"`),
      ]);
    },
  );
});

describe("AppArmor and SELinux allowed values", () => {
  it.each(["runtime/default", "localhost/web-profile", ""])("accepts the annotation value %j", (value) => {
    const pod = compliantPod();
    (pod.metadata["annotations"] as Record<string, string>)["container.apparmor.security.beta.kubernetes.io/web"] = value;
    expect(evaluate(pod, "restricted")).toEqual([]);
  });

  it.each(["RuntimeDefault", "Localhost"])("accepts the field type %s", (type) => {
    expect(evaluate(podWith("spec.containers[1].securityContext.appArmorProfile", { type }), "restricted")).toEqual([]);
  });

  it.each(["container_t", "container_init_t", "container_kvm_t", "container_engine_t", ""])("accepts SELinux type %j with a level", (type) => {
    const pod = podWith("spec.securityContext.seLinuxOptions", { type, level: "s0:c123,c456" });
    expect(evaluate(pod, "restricted")).toEqual([]);
  });
});

describe("Windows pods (spec.os.name: windows)", () => {
  const windowsPod = () =>
    podWithAll(
      Object.fromEntries([
        ["spec.os", { name: "windows" }],
        ["spec.securityContext.seccompProfile", undefined],
        ...ALL_CONTAINERS.map((slot) => [`${slot}.securityContext`, undefined]),
      ]),
    );

  it("are exempt from allowPrivilegeEscalation, seccompProfile_restricted and capabilities_restricted", () => {
    expect(evaluate(windowsPod(), "restricted")).toEqual([]);
  });

  it("still need runAsNonRoot", () => {
    const pod = windowsPod();
    setPath(pod as unknown as Record<string, unknown>, "spec.securityContext.runAsNonRoot", undefined);
    expect(new Set(evaluate(pod, "restricted").map((v) => v.message.split(":")[0]))).toEqual(new Set(["runAsNonRoot"]));
  });

  it("still may not run as HostProcess", () => {
    const pod = windowsPod();
    setPath(pod as unknown as Record<string, unknown>, "spec.securityContext.windowsOptions", { hostProcess: true });
    expect(evaluate(pod, "baseline").map((v) => v.message.split(":")[0])).toEqual(["windowsHostProcess"]);
  });

  it("a Linux pod gets no such exemption", () => {
    const pod = podWith("spec.os", { name: "linux" });
    setPath(pod as unknown as Record<string, unknown>, "spec.containers[0].securityContext", undefined);
    expect(evaluate(pod, "restricted")).toHaveLength(2);
  });
});

describe("user-namespace pods (spec.hostUsers: false, policy v1.35)", () => {
  it("are exempt from runAsNonRoot and runAsUser", () => {
    const pod = podWithAll({ "spec.hostUsers": false, "spec.securityContext.runAsNonRoot": undefined, "spec.securityContext.runAsUser": 0 });
    expect(evaluate(pod, "restricted")).toEqual([]);
  });

  it("may unmask /proc at baseline but not at restricted", () => {
    const pod = podWithAll({ "spec.hostUsers": false, "spec.containers[0].securityContext.procMount": "Unmasked" });
    expect(evaluate(pod, "baseline")).toEqual([]);
    expect(evaluate(pod, "restricted").map((v) => v.message.split(":")[0])).toEqual(["procMount_restricted"]);
  });

  it("hostUsers: true relaxes nothing", () => {
    const pod = podWithAll({ "spec.hostUsers": true, "spec.securityContext.runAsUser": 0 });
    expect(evaluate(pod, "restricted").map((v) => v.message.split(":")[0])).toEqual(["runAsUser"]);
  });

  it("accepts procMount Default", () => {
    expect(evaluate(podWith("spec.containers[0].securityContext.procMount", "Default"), "restricted")).toEqual([]);
  });
});

describe("reporting", () => {
  it("reports every violation of a badly configured pod, in check order, with the offending value", () => {
    const pod = podWithAll({
      "spec.hostPID": true,
      "spec.containers[0].securityContext.privileged": true,
      "spec.containers[0].securityContext.capabilities.add": ["SYS_ADMIN"],
      "spec.securityContext.runAsUser": 0,
    });
    const violations = evaluate(pod, "restricted");
    expect(violations.map((v) => v.message)).toEqual([
      "hostNamespaces: pod must not set hostPID=true",
      'privileged: container "app" must not set securityContext.privileged=true',
      "runAsUser: pod must not set securityContext.runAsUser=0",
      'capabilities_restricted: container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add (allowed: "NET_BIND_SERVICE")',
    ]);
    expect(evaluate(pod, "restricted")).toEqual(violations);
  });

  it("rejects an unknown level with the allowed values", () => {
    expect(() => evaluatePodSecurity(deployment.wrap(compliantPod()), "privileged" as PssLevel)).toThrow(/use "baseline" or "restricted"/);
  });
});
