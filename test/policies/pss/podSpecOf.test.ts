import { describe, expect, it } from "vitest";
import { BASELINE_CHECKS, RESTRICTED_CHECKS, checksFor, evaluatePodSecurity, podSpecOf } from "../../../policies/pss";
import type { KubernetesObject } from "../../../policies/types";
import { POD_BEARING_KINDS, compliantPod } from "./fixtures";

describe("podSpecOf", () => {
  it.each(POD_BEARING_KINDS)("finds the pod spec of a $kind at $specPath", (kind) => {
    const pod = compliantPod();
    const located = podSpecOf(kind.wrap(pod));
    expect(located?.path).toBe(kind.specPath);
    expect(located?.metadataPath).toBe(kind.metadataPath);
    expect(located?.spec).toEqual(pod.spec);
    expect(located?.metadata.annotations).toEqual(pod.metadata["annotations"]);
  });

  it("finds a PodTemplate's template", () => {
    const template = compliantPod();
    const located = podSpecOf({ apiVersion: "v1", kind: "PodTemplate", metadata: { name: "t" }, template });
    expect(located?.path).toBe("template.spec");
  });

  it.each<KubernetesObject>([
    { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "ClusterIP" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web" }, data: {} },
    { apiVersion: "example.org/v1", kind: "Deployment", metadata: { name: "crd" }, spec: { template: compliantPod() } },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "no-template" }, spec: {} },
  ])("does not apply to $apiVersion $kind $metadata.name", (obj) => {
    expect(podSpecOf(obj)).toBeUndefined();
    expect(evaluatePodSecurity(obj, "restricted")).toEqual({ applies: false, violations: [] });
  });
});

describe("check registry", () => {
  it("holds upstream's baseline check ids", () => {
    expect(BASELINE_CHECKS.map((check) => check.id)).toEqual([
      "hostNamespaces",
      "privileged",
      "capabilities_baseline",
      "hostPathVolumes",
      "hostPorts",
      "appArmorProfile",
      "seLinuxOptions",
      "procMount",
      "seccompProfile_baseline",
      "sysctls",
      "windowsHostProcess",
      "hostProbesAndHostLifecycle",
    ]);
    expect(BASELINE_CHECKS.every((check) => check.level === "baseline")).toBe(true);
  });

  it("runs restricted as baseline minus the overridden checks plus the restricted checks", () => {
    expect(RESTRICTED_CHECKS.every((check) => check.level === "restricted")).toBe(true);
    expect(checksFor("restricted").map((check) => check.id)).toEqual([
      "hostNamespaces",
      "privileged",
      "hostPorts",
      "appArmorProfile",
      "seLinuxOptions",
      "sysctls",
      "windowsHostProcess",
      "hostProbesAndHostLifecycle",
      "restrictedVolumes",
      "allowPrivilegeEscalation",
      "runAsNonRoot",
      "runAsUser",
      "seccompProfile_restricted",
      "capabilities_restricted",
      "procMount_restricted",
    ]);
  });
});
