import { describe, expect, it } from "vitest";
import { refConfigMap } from "../../src/check/rules/ref-configmap";
import { refSecret } from "../../src/check/rules/ref-secret";
import { refServiceAccount } from "../../src/check/rules/ref-service-account";
import { refVolume } from "../../src/check/rules/ref-volume";
import { configMap, ns, run, secret, workload } from "./fixtures";

const envFromSecret = (name: string, key: string) => [{ name: "app", image: "x/app:1", env: [{ name: "V", valueFrom: { secretKeyRef: { name, key } } }] }];

describe("ref-secret", () => {
  it("fails on a missing Secret and on a missing key, naming the field path", () => {
    const f = run(refSecret, [ns("a"), secret("a", "creds", ["user"]), workload("a", "web", { containers: envFromSecret("creds", "password") }), workload("a", "api", { containers: envFromSecret("nope", "x") })]);
    expect(f.map((x) => [x.severity, x.object, x.path])).toEqual([
      ["blocker", "Deployment/a/web", "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key"],
      ["blocker", "Deployment/a/api", "spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key"],
    ]);
    expect(f[0]!.message).toContain('no key "password"');
  });

  it("passes when the Secret and key exist, or a controller creates them", () => {
    const cert = { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "c", namespace: "a" }, spec: { secretName: "web-tls" } };
    const db = { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "db", namespace: "a" }, spec: { instances: 1 } };
    const f = run(refSecret, [
      ns("a"),
      secret("a", "creds", ["password"]),
      cert,
      db,
      workload("a", "web", {
        containers: [
          { name: "app", image: "x/app:1", env: [{ name: "P", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } }, { name: "U", valueFrom: { secretKeyRef: { name: "db-app", key: "uri" } } }] },
        ],
        volumes: [{ name: "tls", secret: { secretName: "web-tls", items: [{ key: "tls.crt", path: "tls.crt" }] } }],
      }),
    ]);
    expect(f).toEqual([]);
  });

  it("says 'not checked' when the Secret's keys are sealed (state input), never passes silently", () => {
    const sealed = { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "a" }, stringData: "[secret]" };
    const f = run(refSecret, [ns("a"), sealed, workload("a", "web", { containers: envFromSecret("creds", "password") })]);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe("warning");
    expect(f[0]!.message).toMatch(/^not checked/);
  });
});

describe("ref-configmap", () => {
  it("fails on a missing ConfigMap volume", () => {
    const f = run(refConfigMap, [ns("a"), workload("a", "web", { volumes: [{ name: "c", configMap: { name: "ghost" } }] })]);
    expect(f.map((x) => x.path)).toEqual(["spec.template.spec.volumes[0].configMap.name"]);
    expect(f[0]!.severity).toBe("blocker");
  });

  it("passes for a rendered ConfigMap, a trust-manager Bundle target in a selected namespace, and an optional reference", () => {
    const bundle = { apiVersion: "trust.cert-manager.io/v1alpha1", kind: "Bundle", metadata: { name: "ca" }, spec: { sources: [], target: { configMap: { key: "ca.crt" } } } };
    const f = run(refConfigMap, [
      ns("a"),
      bundle,
      configMap("a", "conf", { k: "v" }),
      workload("a", "web", {
        volumes: [
          { name: "c", configMap: { name: "conf", items: [{ key: "k", path: "k" }] } },
          { name: "ca", configMap: { name: "ca", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { name: "o", configMap: { name: "absent", optional: true } },
        ],
      }),
    ]);
    expect(f).toEqual([]);
  });

  it("fails when the Bundle's namespaceSelector does not select the pod's namespace", () => {
    const bundle = { apiVersion: "trust.cert-manager.io/v1alpha1", kind: "Bundle", metadata: { name: "ca" }, spec: { target: { configMap: { key: "ca.crt" }, namespaceSelector: { matchLabels: { trust: "yes" } } } } };
    const f = run(refConfigMap, [ns("a"), bundle, workload("a", "web", { volumes: [{ name: "ca", configMap: { name: "ca" } }] })]);
    expect(f.map((x) => x.object)).toEqual(["Deployment/a/web"]);
  });
});

describe("ref-volume", () => {
  it("fails on a missing PVC and on a mount of an undeclared volume", () => {
    const f = run(refVolume, [
      ns("a"),
      workload("a", "web", { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "gone" } }], containers: [{ name: "app", image: "x/a:1", volumeMounts: [{ name: "cache", mountPath: "/c" }] }] }),
    ]);
    expect(f.map((x) => x.path).sort()).toEqual(["spec.template.spec.containers[0].volumeMounts[0].name", "spec.template.spec.volumes[0].persistentVolumeClaim.claimName"]);
  });

  it("passes for an existing PVC and a StatefulSet claim template", () => {
    const pvc = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: "a" } };
    const sts = workload("a", "db", { kind: "StatefulSet", containers: [{ name: "db", image: "x/db:1", volumeMounts: [{ name: "pg", mountPath: "/pg" }] }], spec: { volumeClaimTemplates: [{ metadata: { name: "pg" } }] } });
    const f = run(refVolume, [ns("a"), pvc, sts, workload("a", "web", { volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] })]);
    expect(f).toEqual([]);
  });
});

describe("ref-service-account", () => {
  it("fails when the ServiceAccount does not exist", () => {
    const f = run(refServiceAccount, [ns("a"), workload("a", "web", { serviceAccountName: "robot" })]);
    expect(f.map((x) => [x.object, x.path])).toEqual([["Deployment/a/web", "spec.template.spec.serviceAccountName"]]);
  });

  it("passes for the namespace's default ServiceAccount and a rendered one", () => {
    const sa = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "robot", namespace: "a" } };
    expect(run(refServiceAccount, [ns("a"), sa, workload("a", "web", { serviceAccountName: "robot" }), workload("a", "api")])).toEqual([]);
  });
});
