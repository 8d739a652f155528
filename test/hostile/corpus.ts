/**
 * Hostile inputs for every reader of socle, each with the exit code and the one-line message it
 * must give. Files are made in a fresh folder; `{dir}` in an argument is that folder.
 */

/** A valid stack file (target existing); cases change one thing in it. */
export const BASE_STACK = `config:
  socle:kind: dedicated
  socle:organization: demo
  socle:organizationName: Demo
  socle:domain: demo.socle.test
  socle:target: existing
  socle:adminCidrs:
    - 192.0.2.0/24
`;

const openstack = (pools: string) => `config:
  socle:kind: dedicated
  socle:organization: demo
  socle:organizationName: Demo
  socle:domain: demo.socle.test
  socle:target: openstack
  socle:region: r1
  socle:adminCidrs: [192.0.2.0/24]
  socle:openstack:
    externalNetwork: ext
    qualifiedRegions: [r1]
    image: debian
    controlPlaneFlavor: m1.large
    objectStorageEndpoint: https://s3.example.test
    workerPools:
${pools}`;

/** A Kubernetes object in a minimal `pulumi stack export`. */
export const stateWith = (outputs: Record<string, unknown>, type = "kubernetes:core/v1:Pod") =>
  JSON.stringify({ version: 3, deployment: { resources: [{ urn: `urn:pulumi:dev::p::${type}::x`, type, custom: true, outputs }] } });

const VALID_STATE = stateWith({ apiVersion: "v1", kind: "Namespace", metadata: { name: "ns" } }, "kubernetes:core/v1:Namespace");

export type FileSpec = string | { fifo: true } | { dir: true } | { symlink: string };

export interface HostileCase {
  readonly name: string;
  readonly files: Readonly<Record<string, FileSpec>>;
  /** CLI arguments; `{dir}` is replaced by the case's folder. */
  readonly args: readonly string[];
  readonly code: number;
  /** What the error output must say. */
  readonly message: RegExp;
  /** Text the output must never contain (a secret, a long value). */
  readonly never?: string;
}

const render = (file = "Pulumi.h.yaml") => ["render", "h", "--stack-file", `{dir}/${file}`, "--out", "{dir}/out"];
const audit = (input: string, ...more: string[]) => ["audit", `{dir}/${input}`, "--out", "{dir}/out", "--today", "2026-01-01", ...more];

export const CASES: readonly HostileCase[] = [
  // Stack files.
  { name: "undefined YAML alias", files: { "Pulumi.h.yaml": BASE_STACK + "  socle:apps: *nope\n" }, args: render(), code: 2, message: /YAML alias that cannot be resolved/ },
  { name: "self-referencing YAML alias", files: { "Pulumi.h.yaml": BASE_STACK + "  socle:existing: &x\n    storageClass: [*x]\n" }, args: render(), code: 2, message: /refers to itself|cannot be resolved/ },
  {
    name: "a plain list of 101 aliases",
    files: { "Pulumi.h.yaml": BASE_STACK + "  socle:region: &a r1\n  socle:apps: [" + Array(101).fill("*a").join(", ") + "]\n" },
    args: render(),
    code: 2,
    message: /expands more than 100 YAML aliases \(the limit\)/,
  },
  { name: "YAML nested 9,000 levels in a stack file", files: { "Pulumi.h.yaml": BASE_STACK + "  socle:apps: " + "[".repeat(9000) + "]".repeat(9000) + "\n" }, args: render(), code: 2, message: /nested too deeply \(the limit is 256 levels\)|nested more than 256 levels/ },
  { name: "YAML nested 300 levels in a stack file", files: { "Pulumi.h.yaml": BASE_STACK + "  socle:apps: " + "[".repeat(300) + "]".repeat(300) + "\n" }, args: render(), code: 2, message: /nested more than 256 levels deep \(the limit\)/ },
  { name: "a folder as stack file", files: { "Pulumi.h.yaml": { dir: true } }, args: render(), code: 2, message: /is a folder, not a stack file/ },
  { name: "a FIFO as stack file (must not hang)", files: { "Pulumi.h.yaml": { fifo: true } }, args: render(), code: 2, message: /is not a regular file/ },
  { name: "a dangling symlink as stack file", files: { "Pulumi.h.yaml": { symlink: "nowhere.yaml" } }, args: render(), code: 2, message: /does not exist/ },
  { name: "a looping symlink as stack file", files: { "Pulumi.h.yaml": { symlink: "Pulumi.h.yaml" } }, args: render(), code: 2, message: /does not exist|loops/ },
  { name: "a duplicated key", files: { "Pulumi.h.yaml": BASE_STACK + "  socle:sizing: small\n  socle:sizing: large\n" }, args: render(), code: 2, message: /repeats the key "socle:sizing"/ },
  { name: "a stack file over 1 MiB", files: { "Pulumi.h.yaml": BASE_STACK + "  socle:organizationName: " + "x".repeat(1_100_000) + "\n" }, args: render(), code: 2, message: /more than the limit of 1048576 bytes for a stack file/ },
  {
    name: "a missing existing.kubeconfigPath",
    files: { "Pulumi.h.yaml": BASE_STACK + "  socle:existing:\n    kubeconfigPath: /nonexistent/socle/kubeconfig\n" },
    args: render(),
    code: 2,
    message: /socle:existing\.kubeconfigPath .*does not exist/,
  },
  {
    name: "a relative existing.kubeconfigPath",
    files: { "Pulumi.h.yaml": BASE_STACK + "  socle:existing:\n    kubeconfigPath: kube/config\n" },
    args: render(),
    code: 2,
    message: /socle:existing\.kubeconfigPath .*must be an absolute path/,
  },
  { name: "a 300-character stack name", files: {}, args: ["render", "s".repeat(300)], code: 2, message: /stack name \(300 characters\) is longer than 100 characters/ },
  { name: "a stack named ..", files: {}, args: ["render", ".."], code: 2, message: /stack name "\.\." is not valid/ },
  {
    name: "50 pools of 100 nodes",
    files: { "Pulumi.h.yaml": openstack(Array.from({ length: 50 }, (_, i) => `      - {name: p${i}, flavor: m1.large, count: 100}\n`).join("")) },
    args: render(),
    code: 2,
    message: /socle:openstack\.workerPools .*(Too big|too big|at most 10)/i,
  },
  {
    name: "3 pools of 50 nodes (over the node limit)",
    files: { "Pulumi.h.yaml": openstack(Array.from({ length: 3 }, (_, i) => `      - {name: p${i}, flavor: m1.large, count: 50}\n`).join("")) },
    args: render(),
    code: 2,
    message: /asks for 150 worker nodes; socle plans at most 100 nodes per cluster/,
  },
  {
    name: "eight admin ranges covering every IPv4 address but 10/8",
    files: { "Pulumi.h.yaml": BASE_STACK.replace("    - 192.0.2.0/24\n", ["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1"].map((c) => `    - ${c}\n`).join("")) },
    args: render(),
    code: 2,
    message: /socle:adminCidrs\[0\] .*is larger than a \/16/,
  },
  {
    name: "credentials in the object storage endpoint",
    files: { "Pulumi.h.yaml": openstack("      - {name: w, flavor: m1.large, count: 3}\n").replace("https://s3.example.test", "https://ak:CANARY-s3-pass@s3.example.test") },
    args: render(),
    code: 2,
    message: /socle:openstack\.objectStorageEndpoint .*must not carry credentials/,
    never: "CANARY-s3-pass",
  },
  {
    name: "credentials in the ACME server",
    files: { "Pulumi.h.yaml": BASE_STACK + "  socle:tlsIssuer: acme\n  socle:acmeServer: https://u:CANARY-acme-pass@acme.example.test/directory\n" },
    args: render(),
    code: 2,
    message: /socle:acmeServer .*must not carry credentials/,
    never: "CANARY-acme-pass",
  },
  {
    name: "secure: on a setting that is not secret",
    files: { "Pulumi.h.yaml": BASE_STACK.replace("  socle:domain: demo.socle.test\n", "  socle:domain:\n    secure: v1:CANARYciphertext\n") },
    args: render(),
    code: 2,
    message: /socle:domain .*is stored encrypted \(secure:\), but it is not a secret setting/,
    never: "CANARYciphertext",
  },
  {
    name: "a 200 KB bad value is echoed as a short excerpt",
    files: { "Pulumi.h.yaml": BASE_STACK.replace("socle:domain: demo.socle.test", `socle:domain: ${"Z".repeat(200_000)}`) },
    args: render(),
    code: 2,
    message: /socle:domain .*= "Z{40}…" \(200000 characters\)/,
    never: "Z".repeat(100),
  },
  {
    name: "5,000 unknown keys give a bounded message",
    files: { "Pulumi.h.yaml": BASE_STACK + Array.from({ length: 5000 }, (_, i) => `  socle:unknown${i}: ${i}\n`).join("") },
    args: render(),
    code: 2,
    message: /5000 configuration errors[\s\S]*… and 4980 more/,
  },

  // Audit inputs.
  { name: "a stack export with an empty deployment", files: { "s.json": '{"version":3,"deployment":{}}' }, args: audit("s.json"), code: 2, message: /nothing to audit/ },
  { name: "a null checkpoint", files: { "s.json": '{"version":3,"checkpoint":null}' }, args: audit("s.json"), code: 2, message: /checkpoint is null: nothing to audit/ },
  { name: "a checkpoint never deployed", files: { "s.json": '{"version":3,"checkpoint":{"stack":"dev"}}' }, args: audit("s.json"), code: 2, message: /nothing to audit/ },
  { name: "a Pod whose spec is a string (manifest)", files: { "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: hello\n" }, args: audit("pod.yaml"), code: 2, message: /spec must be a mapping: this Pod is not what it claims to be/ },
  { name: "a Pod whose spec is a string (state)", files: { "s.json": stateWith({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: "hello" }) }, args: audit("s.json"), code: 2, message: /outputs\.spec must be a mapping/ },
  { name: "a Deployment whose containers are a map", files: { "d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers: {a: 1}\n" }, args: audit("d.yaml"), code: 2, message: /spec\.template\.spec\.containers must be a list/ },
  { name: "JSON nested 9,000 levels", files: { "s.json": "[".repeat(9000) + "]".repeat(9000) }, args: audit("s.json"), code: 2, message: /nested more than 256 levels deep \(the limit\)/ },
  { name: "YAML nested 9,000 levels in a manifest", files: { "m.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: " + "[".repeat(9000) + "]".repeat(9000) + "\n" }, args: audit("m.yaml"), code: 2, message: /nested too deeply \(the limit is 256 levels\)/ },
  { name: "only empty YAML documents", files: { "m.yaml": "---\n---\n" }, args: audit("m.yaml"), code: 2, message: /nothing to audit/ },
  { name: "an undefined alias in a manifest", files: { "m.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: *nope}\n" }, args: audit("m.yaml"), code: 2, message: /alias that cannot be resolved/ },
  {
    name: "101 aliases in a manifest",
    files: { "m.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: &n x}\ndata:\n" + Array.from({ length: 101 }, (_, i) => `  k${i}: *n\n`).join("") },
    args: audit("m.yaml"),
    code: 2,
    message: /expands more than 100 YAML aliases/,
  },
  { name: "a dangling symlink in a manifest folder", files: { "m/ok.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n", "m/gone.yaml": { symlink: "nowhere.yaml" } }, args: audit("m"), code: 2, message: /m\/gone\.yaml: is a symbolic link to nothing/ },
  { name: "a looping symlink in a manifest folder", files: { "m/ok.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n", "m/loop.yaml": { symlink: "loop.yaml" } }, args: audit("m"), code: 2, message: /m\/loop\.yaml: is a symbolic link that loops/ },
  { name: "a FIFO as audit input (must not hang)", files: { "s.json": { fifo: true } }, args: audit("s.json"), code: 2, message: /is not a regular file/ },
  { name: "a FIFO as waiver file (must not hang)", files: { "s.json": VALID_STATE, "w.yaml": { fifo: true } }, args: audit("s.json", "--waivers", "{dir}/w.yaml"), code: 2, message: /w\.yaml: is not a regular file/ },
  { name: "a folder as waiver file", files: { "s.json": VALID_STATE, "w.yaml": { dir: true } }, args: audit("s.json", "--waivers", "{dir}/w.yaml"), code: 2, message: /w\.yaml: is a folder/ },
  {
    name: "101 aliases in a waiver file",
    files: { "s.json": VALID_STATE, "w.yaml": "- &w {control: x, resource: {name: y}, justification: j, approver: a, expires: 2030-01-01}\n" + "- *w\n".repeat(101) },
    args: audit("s.json", "--waivers", "{dir}/w.yaml"),
    code: 2,
    message: /expands more than 100 YAML aliases/,
  },
];
