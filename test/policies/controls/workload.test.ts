import { describe, expect, it } from "vitest";
import { control as imageDigest, repositoryOf } from "../../../policies/controls/workload/image-digest";
import { control as secrets } from "../../../policies/controls/workload/plaintext-secrets";
import { control as probes } from "../../../policies/controls/workload/probes";
import { control as baseline } from "../../../policies/controls/workload/pss-baseline";
import { control as restricted } from "../../../policies/controls/workload/pss-restricted";
import { control as resourcesControl } from "../../../policies/controls/workload/resources";
import { control as saToken } from "../../../policies/controls/workload/service-account-token";
import { isSecretName, secretLines } from "../../../policies/controls/lib/secret-names";
import { withField } from "../fixtures/edit";
import { configMap, cronJob, deployment, IMAGE, serviceAccount, statefulSet, TEST_DIGEST } from "../fixtures/kubernetes";
import { context, failed, k8s, run, violationsOf } from "../fixtures/views";

const C0 = "spec.template.spec.containers[0]";

describe("snc-workload-resources", () => {
  it("passes a workload whose containers have cpu/memory requests and a memory limit", () => {
    expect(run(resourcesControl, [k8s(deployment()), k8s(cronJob()), k8s(statefulSet())]).map((r) => r.status)).toEqual(["pass", "pass", "pass"]);
  });

  it.each([
    ["requests.cpu", "container app sets no cpu request"],
    ["requests.memory", "container app sets no memory request"],
    ["limits.memory", "container app sets no memory limit"],
  ])("fails a container without %s", (field, message) => {
    const d = withField(deployment(), `${C0}.resources.${field}`, undefined);
    expect(violationsOf(run(resourcesControl, [k8s(d)]))).toEqual([{ resource: "wiki-wiki", message, path: `${C0}.resources.${field}` }]);
  });

  it("checks init containers too, and ignores non-workloads", () => {
    const d = withField(deployment(), "spec.template.spec.initContainers", [{ name: "migrate", image: IMAGE }]);
    expect(violationsOf(run(resourcesControl, [k8s(d), k8s(configMap("c", "wiki", {}))])).length).toBe(3);
  });
});

describe("snc-workload-probes", () => {
  it("passes long-running containers with both probes and skips CronJobs", () => {
    expect(run(probes, [k8s(deployment()), k8s(cronJob())]).map((r) => [r.resource.name, r.status])).toEqual([["wiki-wiki", "pass"]]);
  });

  it.each(["livenessProbe", "readinessProbe"])("fails a container without %s", (probe) => {
    expect(violationsOf(run(probes, [k8s(withField(deployment(), `${C0}.${probe}`, undefined))]))).toEqual([
      { resource: "wiki-wiki", message: `container app has no ${probe}`, path: `${C0}.${probe}` },
    ]);
  });

  it("does not ask probes of a bare Pod that never restarts", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "once", namespace: "wiki" }, spec: { restartPolicy: "Never", containers: [{ name: "x", image: IMAGE }] } };
    expect(run(probes, [k8s(pod)])).toEqual([]);
  });
});

describe("snc-workload-image-digest", () => {
  it("passes digest-pinned images from an allowed registry", () => {
    expect(run(imageDigest, [k8s(deployment())]).map((r) => r.status)).toEqual(["pass"]);
  });

  it("fails an image pinned by tag only", () => {
    const d = withField(deployment(), `${C0}.image`, "registry.socle.test/wiki/xwiki:16.10");
    expect(violationsOf(run(imageDigest, [k8s(d)]))).toEqual([{ resource: "wiki-wiki", message: "container app image registry.socle.test/wiki/xwiki:16.10 is not pinned by a sha256 digest: run `socle images lock` to record the digest the registry serves in images.lock.yaml, then render again", path: `${C0}.image` }]);
  });

  it("fails an image from a registry that is not allowed, Docker Hub's implicit name included", () => {
    const d = withField(deployment(), `${C0}.image`, `nginx@${TEST_DIGEST}`);
    expect(violationsOf(run(imageDigest, [k8s(d)]))).toEqual([
      { resource: "wiki-wiki", message: "container app image docker.io/library/nginx is not from an allowed registry (registry.socle.test)", path: `${C0}.image` },
    ]);
  });

  it("does not treat a look-alike host as an allowed registry", () => {
    const d = withField(deployment(), `${C0}.image`, `registry.socle.test.evil.example/x@${TEST_DIGEST}`);
    expect(failed(run(imageDigest, [k8s(d)])).length).toBe(1);
  });

  it("checks only digests when no registry is declared, and says so", () => {
    const [r] = run(imageDigest, [k8s(withField(deployment(), `${C0}.image`, `quay.io/x/y@${TEST_DIGEST}`))], context({ allowedRegistries: [] }));
    expect(r).toMatchObject({ status: "pass", note: expect.stringMatching(/registries not checked/) });
  });

  it("normalizes image references", () => {
    expect(repositoryOf("nginx:1.27")).toBe("docker.io/library/nginx");
    expect(repositoryOf("bitnami/redis")).toBe("docker.io/bitnami/redis");
    expect(repositoryOf(`localhost:5000/a/b:1@${TEST_DIGEST}`)).toBe("localhost:5000/a/b");
  });
});

describe("snc-workload-plaintext-secrets", () => {
  it("passes secrets referenced from Secrets and non-secret literals", () => {
    const cm = configMap("settings", "wiki", { "xwiki.cfg": "xwiki.db=postgres\npassword = ${DB_PASSWORD}\nkeycloak_url = https://id.socle.test" });
    expect(run(secrets, [k8s(deployment()), k8s(cm)]).map((r) => r.status)).toEqual(["pass", "pass"]);
  });

  it("fails a secret-named environment variable with a literal value, without quoting it", () => {
    const d = withField(deployment(), `${C0}.env[1]`, { name: "DB_PASSWORD", value: "hunter2-canary" });
    const found = violationsOf(run(secrets, [k8s(d)]));
    expect(found).toEqual([{ resource: "wiki-wiki", message: "container app sets DB_PASSWORD as a literal value: use valueFrom.secretKeyRef", path: `${C0}.env[1].value` }]);
    expect(JSON.stringify(found)).not.toContain("hunter2-canary");
  });

  it("fails a ConfigMap with a secret-named key or a literal secret line or a private key", () => {
    const cm = configMap("settings", "wiki", { API_TOKEN: "abc", "app.ini": "user = wiki\nsecret_key = s3cr3t-canary\n", "tls.pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n" });
    const found = violationsOf(run(secrets, [k8s(cm)]));
    expect(found.map((v) => v.message)).toEqual([
      "key API_TOKEN looks like a secret: store it in a Secret",
      "key app.ini, line 2: secret_key is set to a literal value",
      "key tls.pem, line 1: a PEM private key",
    ]);
    expect(JSON.stringify(found)).not.toContain("canary");
  });

  it("tells secret names from names that point at secrets", () => {
    for (const n of ["DB_PASSWORD", "jwtSecret", "API_KEY", "aws-secret-access-key", "SMTP_PASS", "clientSecret"]) expect(isSecretName(n), n).toBe(true);
    for (const n of ["DB_PASSWORD_FILE", "KEYCLOAK_URL", "TOKEN_ISSUER", "passwordPolicy", "secretName", "ACCESS_KEY_ID", "MONKEY", "accessTokenLifespan", "trusted_key_servers"]) expect(isSecretName(n), n).toBe(false);
    // Durations and empty collections hold no secret; a literal token still does.
    expect(secretLines('"accessTokenLifespan": 300,\ntrusted_key_servers: []')).toEqual([]);
    expect(secretLines('"registrationToken": "abc123"')).toHaveLength(1);
    expect(secretLines('"secret": "${CLIENT_SECRET}",\n"password": "",\ntoken: {{ .Values.token }}')).toEqual([]);
  });
});

describe("snc-workload-service-account-token", () => {
  it("passes a pod that disables the token, or whose ServiceAccount does", () => {
    const viaAccount = withField(withField(deployment(), "spec.template.spec.automountServiceAccountToken", undefined), "spec.template.spec.serviceAccountName", "wiki");
    expect(run(saToken, [k8s(deployment()), k8s(viaAccount), k8s(serviceAccount("wiki", "wiki", false))]).map((r) => r.status)).toEqual(["pass", "pass"]);
  });

  it("fails a pod that mounts the default token", () => {
    const d = withField(deployment(), "spec.template.spec.automountServiceAccountToken", undefined);
    expect(violationsOf(run(saToken, [k8s(d)]))).toEqual([
      {
        resource: "wiki-wiki",
        message: "Deployment wiki/wiki mounts a service-account token: neither the pod spec nor ServiceAccount default (not in the input) sets automountServiceAccountToken: false",
        path: "spec.template.spec.automountServiceAccountToken",
      },
    ]);
  });

  it("passes a pod that declares its API use with a reason, fails one without reason", () => {
    const uses = withField(deployment(), "spec.template.spec.automountServiceAccountToken", true);
    const declared = withField(uses, "spec.template.metadata.annotations", { "socle.io/uses-api": "true", "socle.io/uses-api-reason": "watches ConfigMaps for hot reload" });
    expect(run(saToken, [k8s(declared)]).map((r) => r.status)).toEqual(["pass"]);
    const noReason = withField(uses, "metadata.annotations", { "socle.io/uses-api": "true" });
    expect(violationsOf(run(saToken, [k8s(noReason)]))[0]!.message).toBe('Deployment wiki/wiki is annotated socle.io/uses-api: "true" but gives no socle.io/uses-api-reason');
  });
});

describe("snc-workload-pss-baseline and -restricted", () => {
  it("passes the hardened workload at both levels", () => {
    expect(run(baseline, [k8s(deployment())]).map((r) => r.status)).toEqual(["pass"]);
    expect(run(restricted, [k8s(deployment())]).map((r) => r.status)).toEqual(["pass"]);
  });

  it("fails a privileged container at baseline (hence restricted)", () => {
    const d = withField(deployment(), `${C0}.securityContext.privileged`, true);
    expect(failed(run(baseline, [k8s(d)])).length).toBe(1);
    expect(violationsOf(run(baseline, [k8s(d)])).some((v) => /privileged/i.test(v.message))).toBe(true);
  });

  it("fails a root-allowed container at restricted only", () => {
    const d = withField(deployment(), `${C0}.securityContext.runAsNonRoot`, undefined);
    expect(failed(run(baseline, [k8s(d)]))).toEqual([]);
    expect(failed(run(restricted, [k8s(d)])).length).toBe(1);
  });

  it("returns nothing for objects without a pod spec", () => {
    expect(run(baseline, [k8s(configMap("c", "wiki", {}))])).toEqual([]);
  });
});
