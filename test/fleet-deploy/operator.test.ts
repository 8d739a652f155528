import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { operatorObjects } from "../../src/fleet/operator";
import { ManifestValidator } from "../../src/validate/manifests";
import { fleet, makeRepo } from "./helpers";

const CRDS = "/work/shared/crds/pulumi-operator";
const GIT = "https://git.hebergeur.example/mirrors/socle.git";
const IMAGE = "registry.hebergeur.example/pulumi/pulumi-nodejs:3.150.0-nonroot";
const S3 = "s3://socle-state?endpoint=garage.hebergeur.internal:3900&s3ForcePathStyle=true";

let shared: ManifestValidator | undefined;
/** Compiling the operator's CRD schemas takes seconds: once per file. */
const validatorOf = () => (shared ??= new ManifestValidator([CRDS]));

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, any> };

describe("socle fleet export --operator", () => {
  it("writes one Stack per tenant (program from the Git mirror, self-managed backend, secrets from a Secret), valid against the operator's CRDs", async () => {
    const root = makeRepo(["t-a", "t-b"]);
    const r = await fleet(root, ["export", "--operator", "--platform", "plat", "--git-url", GIT, "--image", IMAGE, "--backend", S3]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const file = join(root, "out", "fleet", "plat", "operator", "pulumi-operator.yaml");
    const text = readFileSync(file, "utf8");
    const objects = parseAllDocuments(text).map((d) => d.toJS() as Obj);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Namespace/socle-fleet",
      "ServiceAccount/socle-fleet-t-a",
      "ClusterRoleBinding/socle-fleet:socle-fleet-t-a:system:auth-delegator",
      "Stack/t-a",
      "ServiceAccount/socle-fleet-t-b",
      "ClusterRoleBinding/socle-fleet:socle-fleet-t-b:system:auth-delegator",
      "Stack/t-b",
    ]);
    const validator = validatorOf();
    for (const o of objects) {
      expect(validator.knows(o), `${o.kind}`).toBe(true);
      expect(validator.validate(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
    }
    const stack = objects.find((o) => o.kind === "Stack" && o.metadata.name === "t-b")!;
    expect(stack.apiVersion).toBe("pulumi.com/v1");
    expect(stack.spec).toMatchObject({
      stack: "t-b",
      projectRepo: GIT,
      branch: "main",
      backend: S3,
      secretsProvider: "passphrase",
      serviceAccountName: "socle-fleet-t-b",
      destroyOnFinalize: false,
      workspaceTemplate: { spec: { image: IMAGE, securityProfile: "restricted", serviceAccountName: "socle-fleet-t-b" } },
    });
    expect(stack.spec!.envRefs.PULUMI_CONFIG_PASSPHRASE).toEqual({ type: "Secret", secret: { name: "socle-fleet", key: "passphrase" } });
    expect(stack.spec!.envRefs.AWS_SECRET_ACCESS_KEY).toEqual({ type: "Secret", secret: { name: "socle-fleet", key: "backend-secret-access-key" } });
    expect(text).not.toMatch(/pulumi\.com\b(?!\/v1)|app\.pulumi|docker\.io|github\.com/);
    // Same inputs, same bytes.
    await fleet(root, ["export", "--operator", "--platform", "plat", "--git-url", GIT, "--image", IMAGE, "--backend", S3]);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("a Vault/OpenBao transit key: VAULT_ADDR literal, VAULT_TOKEN from the Secret; valid against the CRD", () => {
    const objects = operatorObjects({
      platform: "plat",
      tenants: ["t-a"],
      gitUrl: "ssh://git@git.hebergeur.example/socle.git",
      branch: "release/2026.11",
      backend: "postgres://pulumi@db.hebergeur.internal:5432/state",
      secretsProvider: "hashivault://socle-fleet",
      vaultAddr: "https://openbao.hebergeur.internal:8200",
      image: IMAGE,
      namespace: "socle-fleet",
      secretName: "socle-fleet",
    });
    const stack = objects.find((o) => o.kind === "Stack") as unknown as Obj;
    expect(stack.spec!.envRefs).toEqual({
      PULUMI_BACKEND_URL: { type: "Literal", literal: { value: "postgres://pulumi@db.hebergeur.internal:5432/state" } },
      VAULT_ADDR: { type: "Literal", literal: { value: "https://openbao.hebergeur.internal:8200" } },
      VAULT_TOKEN: { type: "Secret", secret: { name: "socle-fleet", key: "vault-token" } },
      PGPASSWORD: { type: "Secret", secret: { name: "socle-fleet", key: "backend-password" } },
    });
    expect(validatorOf().validate(stack)).toEqual([]);
  });

  it("the Stack schema would catch a wrong field (the validation can fail)", () => {
    const validator = validatorOf();
    const bad = { apiVersion: "pulumi.com/v1", kind: "Stack", metadata: { name: "x" }, spec: { projectRepo: GIT } };
    expect(validator.validate(bad).map((p) => p.message).join(" ")).toContain("stack");
  });

  it("refuses: no --operator, no --git-url, a public image, Pulumi Cloud, a file:// backend, a password in the backend URL: exit 2, nothing written", async () => {
    const root = makeRepo(["t-a"]);
    const ok = ["export", "--operator", "--platform", "plat", "--git-url", GIT, "--image", IMAGE];
    for (const [args, message] of [
      [["export", "--platform", "plat", "--git-url", GIT, "--image", IMAGE, "--backend", S3], "--operator"],
      [["export", "--operator", "--platform", "plat", "--image", IMAGE, "--backend", S3], "--git-url is required"],
      [["export", "--operator", "--platform", "plat", "--git-url", GIT, "--backend", S3], "--image is required"],
      [[...ok.slice(0, 6), "--image", "pulumi/pulumi-nodejs:3.150.0", "--backend", S3], "US-hosted"],
      [[...ok, "--backend", "https://api.pulumi.com"], "Pulumi Cloud"],
      [[...ok, "--backend", "file:///var/lib/state"], "not reachable from the workspace pods"],
      [[...ok, "--backend", "postgres://u:secret@db/state"], "holds a password"],
      [[...ok, "--backend", S3, "--secrets-provider", "hashivault://k"], "--vault-addr"],
      [[...ok, "--backend", S3, "--git-url", "not a url"], "not a Git URL"],
      [[...ok, "--backend", S3, "--git-url", "https://bot:secret@git.hebergeur.example/socle.git"], "password or token"],
      [[...ok, "--backend", "https://u:secret@api.pulumi.com"], "Pulumi Cloud"],
    ] as const) {
      const r = await fleet(root, [...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toContain(message);
      expect(r.err).not.toContain("secret@");
    }
    expect(existsSync(join(root, "out"))).toBe(false);
  });
});

describe("workspace image", () => {
  const base = { platform: "p", tenants: ["t"], gitUrl: GIT, branch: "main", backend: S3, secretsProvider: "passphrase", namespace: "socle-fleet", secretName: "socle-fleet" };
  it("accepts the organisation's registry (with or without a port), refuses public US-hosted registries and bare Docker Hub names", () => {
    for (const image of [IMAGE, "registry.internal:5000/pulumi:3", "localhost/pulumi:3"]) expect(() => operatorObjects({ ...base, image }), image).not.toThrow();
    for (const image of ["pulumi/pulumi:3", "pulumi", "docker.io/pulumi/pulumi:3", "ghcr.io/pulumi/pulumi:3", "quay.io/x/y", "europe-docker.pkg.dev/x/y"]) {
      expect(() => operatorObjects({ ...base, image }), image).toThrow(/US-hosted/);
    }
  });
});
