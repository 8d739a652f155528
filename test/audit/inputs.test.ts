import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { InputError } from "../../src/audit/errors";
import { loadInput } from "../../src/audit/inputs/load";
import { FIXTURES, tempFiles } from "./helpers";
import { CIPHER_CANARY, SECRET_CANARY, checkpoint, stateExport } from "./fixtures/state";

const opts = { today: "2025-06-01" };

async function inputError(input: string, o: Parameters<typeof loadInput>[1] = opts): Promise<InputError> {
  const e = await loadInput(input, o).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe("pulumi stack export", () => {
  it("turns every resource into a view, providers and the stack included", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    const input = await loadInput(join(dir, "state.json"), opts);
    expect(input.kind).toBe("state");
    expect(input.views).toHaveLength(9);
    expect(input.views.map((v) => v.type)).toContain("pulumi:providers:openstack");
    const provider = input.views.find((v) => v.type === "pulumi:providers:openstack")!;
    expect(provider.name).toBe("default_3_15_2");
    expect(provider.props.region).toBe("us-east-1");
    expect(provider.k8s).toBeUndefined();
  });

  it("rebuilds Kubernetes objects, apiVersion and kind from the type token when the inputs lack them", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    const { views } = await loadInput(join(dir, "state.json"), opts);
    const svc = views.find((v) => v.name === "public")!;
    expect(svc.k8s).toMatchObject({ apiVersion: "v1", kind: "Service", metadata: { name: "public", namespace: "gateway" }, spec: { type: "LoadBalancer" } });
    const dep = views.find((v) => v.name === "xwiki")!;
    expect(dep.k8s?.apiVersion).toBe("apps/v1");
    expect(dep.k8s?.metadata).toMatchObject({ name: "xwiki", namespace: "wiki", uid: "x" });
    expect(dep.parent).toBe("urn:pulumi:demo::socle::pulumi:pulumi:Stack::socle-demo");
    expect(views.find((v) => v.type === "kubernetes:yaml/v2:ConfigGroup")!.k8s).toBeUndefined();
  });

  it("replaces secret envelopes (ciphertext and plaintext) by the marker", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    const { views } = await loadInput(join(dir, "state.json"), opts);
    const text = JSON.stringify(views);
    expect(text).not.toContain(SECRET_CANARY);
    expect(text).not.toContain(CIPHER_CANARY);
    const secret = views.find((v) => v.name === "db")!;
    expect(secret.props.stringData).toBe("[secret]");
    expect((secret.k8s as unknown as { data: unknown }).data).toEqual({ password: "[secret]" });
  });

  it("builds the context from the stack's socle output; the command line wins for log retention", async () => {
    const dir = tempFiles({ "state.json": stateExport() });
    const a = await loadInput(join(dir, "state.json"), opts);
    expect(a.context).toMatchObject({ allowedRegions: ["fr-par-1"], declaredLoadBalancers: ["gateway/public"], minLogRetentionDays: 400, hasStackMetadata: true, today: "2025-06-01" });
    expect(a.context.provider?.name).toBe("Example Cloud");
    expect(a.stack).toEqual({ name: "demo", project: "socle", kind: "dedicated", target: "openstack", region: "fr-par-1" });
    const b = await loadInput(join(dir, "state.json"), { ...opts, minLogRetentionDays: 90 });
    expect(b.context.minLogRetentionDays).toBe(90);
  });

  it("falls back to defaults without stack metadata", async () => {
    const dir = tempFiles({ "state.json": stateExport({ metadata: false }) });
    const { context } = await loadInput(join(dir, "state.json"), opts);
    expect(context).toEqual({ allowedRegions: ["cloudgouv-eu-west-1"], allowedRegistries: [], minLogRetentionDays: 365, declaredLoadBalancers: [], hasStackMetadata: false, today: "2025-06-01" });
  });
});

describe("backend checkpoint", () => {
  it("reads checkpoint.latest and the stack name of a fully qualified stack", async () => {
    const dir = tempFiles({ ".pulumi/stacks/socle/demo.json": checkpoint() });
    const input = await loadInput(join(dir, ".pulumi/stacks/socle/demo.json"), opts);
    expect(input.kind).toBe("checkpoint");
    expect(input.views).toHaveLength(9);
    expect(input.stack.name).toBe("demo");
    expect(input.context.hasStackMetadata).toBe(true);
  });

  it("refuses a stack that was never deployed (no latest): nothing to audit is no pass", async () => {
    const dir = tempFiles({ "empty.json": { version: 3, checkpoint: { stack: "dev" } } });
    await expect(loadInput(join(dir, "empty.json"), opts)).rejects.toThrow(/nothing to audit: checkpoint\.latest\.resources holds no resource/);
  });
});

describe("Kubernetes manifests", () => {
  it("reads a folder recursively, sorted, multi-document, expanding Lists, skipping other files", async () => {
    const input = await loadInput(join(FIXTURES, "manifests"), opts);
    expect(input.kind).toBe("manifests");
    const root = join(FIXTURES, "manifests").replace(/\\/g, "/");
    expect(input.views.map((v) => v.file!.slice(root.length + 1))).toEqual([
      "apps/wiki.yaml#1",
      "apps/wiki.yaml#3",
      "auth.yml#1",
      "base/list.json#1.items[0]",
      "base/list.json#1.items[1]",
    ]);
    expect(input.views.map((v) => v.type)).toEqual(["k8s:apps/v1:Deployment", "k8s:v1:Service", "k8s:apps/v1:Deployment", "k8s:v1:Namespace", "k8s:v1:Secret"]);
    expect(input.lines.get(`${root}/apps/wiki.yaml#1`)).toBe(2);
    expect(input.lines.get(`${root}/apps/wiki.yaml#3`)).toBe(15);
    expect(input.context.hasStackMetadata).toBe(false);
  });

  it("keeps a Secret manifest's keys but not its values", async () => {
    const { views } = await loadInput(join(FIXTURES, "manifests"), opts);
    const secret = views.find((v) => v.k8s?.kind === "Secret")!;
    expect((secret.k8s as unknown as { data: unknown }).data).toEqual({ password: "[secret]" });
    expect(JSON.stringify(views)).not.toContain("Y2FuYXJ5LW1hbmlmZXN0LXNlY3JldA==");
  });

  it("reads a single YAML file", async () => {
    const input = await loadInput(join(FIXTURES, "manifests", "auth.yml"), opts);
    expect(input.views).toHaveLength(1);
    expect(input.views[0]!.name).toBe("keycloak");
    expect(input.views[0]!.file).toMatch(/auth\.yml#1$/);
  });
});

describe("stack name", () => {
  it("renders the stack first, then audits its state.json", async () => {
    const dir = tempFiles({ "stacks/Pulumi.demo.yaml": "config: {}\n", "out/demo/state.json": stateExport() });
    const renderStack = vi.fn(async (stack: string) => join(dir, "out", stack, "state.json"));
    const input = await loadInput("demo", { ...opts, projectDir: dir, renderStack });
    expect(renderStack).toHaveBeenCalledWith("demo");
    expect(input.kind).toBe("state");
    expect(input.views).toHaveLength(9);
  });

  it("explains what inputs are accepted when the name is neither a file nor a stack", async () => {
    const dir = tempFiles({ "stacks/Pulumi.demo.yaml": "config: {}\n" });
    const e = await inputError("prod", { ...opts, projectDir: dir });
    expect(e.message).toMatch(/^prod: does not exist: give a state file/);
    expect(e.message).toContain("stacks/Pulumi.<name>.yaml");
  });
});

describe("malformed input", () => {
  it("reports the line and column of a JSON syntax error", async () => {
    const dir = tempFiles({ "state.json": '{\n  "version": 3,\n  "deployment": {\n    "resources": [,]\n  }\n}\n' });
    const e = await inputError(join(dir, "state.json"));
    expect(e.message).toMatch(/state\.json:4:19: is not valid JSON: unexpected character ","$/);
    expect(e.position).toEqual({ line: 4, column: 19 });
  });

  it("reports a trailing comma and an unterminated document at their position", async () => {
    const dir = tempFiles({ "a.json": '{"version": 3,\n "deployment": {},\n}', "b.json": '{"version": 3,\n "deployment": {' });
    expect((await inputError(join(dir, "a.json"))).message).toMatch(/a\.json:3:1: is not valid JSON: expected a double-quoted property name, found character "}"/);
    expect((await inputError(join(dir, "b.json"))).message).toMatch(/b\.json:2:17: is not valid JSON: expected a double-quoted property name, found end of input/);
  });

  it("names the JSON path of a structural problem", async () => {
    const state = stateExport() as { deployment: { resources: Record<string, unknown>[] } };
    delete state.deployment.resources[4]!.type;
    const dir = tempFiles({ "state.json": state });
    const e = await inputError(join(dir, "state.json"));
    expect(e.message).toMatch(/state\.json: deployment\.resources\[4\]\.type is missing$/);
    expect(e.position?.path).toBe("deployment.resources[4].type");
  });

  it("rejects a resource whose inputs are not an object, without printing the value", async () => {
    const state = stateExport() as { deployment: { resources: Record<string, unknown>[] } };
    state.deployment.resources[2]!.inputs = "hunter2";
    const dir = tempFiles({ "state.json": state });
    const e = await inputError(join(dir, "state.json"));
    expect(e.message).toMatch(/deployment\.resources\[2\]\.inputs must be an object, found a string$/);
    expect(e.message).not.toContain("hunter2");
  });

  it("rejects other export versions", async () => {
    const dir = tempFiles({ "state.json": { version: 2, deployment: { resources: [] } } });
    expect((await inputError(join(dir, "state.json"))).message).toMatch(/state\.json: version is 2: only version 3/);
  });

  it("rejects invalid socle metadata with its path", async () => {
    const state = stateExport() as { deployment: { resources: { outputs: { socle: Record<string, unknown> } }[] } };
    state.deployment.resources[0]!.outputs.socle.allowedRegions = "fr-par-1";
    const dir = tempFiles({ "state.json": state });
    const e = await inputError(join(dir, "state.json"));
    expect(e.message).toMatch(/deployment\.resources\[0\]\.outputs\.socle\.allowedRegions is invalid stack metadata/);
  });

  it("rejects an unrecognised JSON document and an unsupported extension", async () => {
    const dir = tempFiles({ "x.json": { hello: "world" }, "x.toml": "a = 1" });
    expect((await inputError(join(dir, "x.json"))).message).toMatch(/x\.json: is not a recognised input: expected a `pulumi stack export`/);
    expect((await inputError(join(dir, "x.toml"))).message).toMatch(/x\.toml: has an unsupported extension ".toml"/);
  });

  it("reports the line and column of a YAML syntax error", async () => {
    const dir = tempFiles({ "m/bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n" });
    const e = await inputError(join(dir, "m"));
    expect(e.message).toMatch(/m\/bad\.yaml:\d+:\d+: is not valid YAML \(document 1\): /);
    expect(e.position?.line).toBeGreaterThanOrEqual(4);
  });

  it("reports a duplicate key at its line", async () => {
    const dir = tempFiles({ "dup.yaml": "apiVersion: v1\nkind: ConfigMap\nkind: Secret\n" });
    const e = await inputError(join(dir, "dup.yaml"));
    expect(e.message).toMatch(/dup\.yaml:3:1: is not valid YAML \(document 1\): Map keys must be unique$/);
  });

  it("names the document and line of a manifest without kind", async () => {
    const dir = tempFiles({ "m.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata:\n  name: b\n" });
    const e = await inputError(join(dir, "m.yaml"));
    expect(e.message).toMatch(/m\.yaml:5:1: document 2 has no kind \(every Kubernetes object needs apiVersion and kind\)$/);
  });

  it("names the list item of a bad List entry", async () => {
    const dir = tempFiles({ "l.yaml": "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n  - apiVersion: 3\n    kind: Namespace\n" });
    const e = await inputError(join(dir, "l.yaml"));
    expect(e.message).toMatch(/l\.yaml:6:17: document 1 items\[1\]\.apiVersion must be a non-empty string$/);
  });

  it("rejects a folder without manifests", async () => {
    const dir = tempFiles({ "notes.txt": "nothing" });
    expect((await inputError(dir)).message).toMatch(/contains no Kubernetes manifest/);
  });
});
