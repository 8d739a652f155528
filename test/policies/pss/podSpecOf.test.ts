import { describe, expect, it } from "vitest";
import { BASELINE_CHECKS, RESTRICTED_CHECKS, checksFor, evaluatePodSecurity, podSpecOf } from "../../../policies/pss";
import { POD_BEARING_KINDS as POD_SPEC_KINDS } from "../../../policies/pss";
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

describe("POD_BEARING_KINDS", () => {
  it("lists exactly the kinds podSpecOf finds a pod spec in (the audit evaluates only those)", () => {
    const template = { metadata: {}, spec: { containers: [] } };
    const body = { template, spec: { template, jobTemplate: { spec: { template } } } };
    const kinds = ["Pod", "PodTemplate", "ReplicationController", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Service", "ConfigMap", "Namespace"];
    for (const apiVersion of ["v1", "apps/v1", "batch/v1", "extensions/v1beta1", "example.com/v1"]) {
      for (const kind of kinds) {
        const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
        const listed = POD_SPEC_KINDS.some(([g, k]) => g === group && k === kind);
        expect(podSpecOf({ apiVersion, kind, metadata: {}, ...body }) !== undefined, `${apiVersion} ${kind}`).toBe(listed);
      }
    }
  });
});
