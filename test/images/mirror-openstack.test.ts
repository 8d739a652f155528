import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chartMirrorPath, ALL_CHARTS } from "../../charts/platform/releases";
import { MIRRORED_REGISTRIES, RKE2_REGISTRIES_PATH } from "../../components/cloud/plan/cloud-init";
import { configChecks } from "../../src/checks";
import { parseConfig } from "../../src/config";
import { readStackFile } from "../../src/config/stack-file";
import { catalogRegistries } from "../../src/images/ref";
import { deploy } from "../../src/program";
import { projectName } from "../../src/render/render";
import { ofType, quiesce, recordRegistrations, settle, type Recorded } from "../cloud/mocks";

/**
 * The OpenStack example stack (VMs, RKE2) with `socle:registryMirror`: the program hands the mirror to the
 * cloud, so every node's cloud-init carries RKE2's system-default-registry and containerd's mirrors; every
 * chart and image comes from the mirror; the stack exports what docs/cloud.md tells operators to use.
 * Runs the program under value-returning mocks (test/cloud/mocks.ts) so node user data is computed.
 */

const ROOT = resolve(__dirname, "..", "..");
const MIRROR = "registry.ministere-exemple.gouv.fr/mirror";
const STACK = "ministere-exemple-openstack";
const monitor = recordRegistrations();
let records: Recorded[];
let outputs: Record<string, unknown>;

beforeAll(async () => {
  const file = join(ROOT, "stacks", `Pulumi.${STACK}.yaml`);
  const stackFile = readStackFile(file, STACK, projectName(ROOT));
  const config = parseConfig({ ...stackFile.socle, registryMirror: MIRROR, apps: (stackFile.socle.apps as string[]).filter((a) => a !== "chat") }, { project: projectName(ROOT), stack: STACK, file, lineOf: stackFile.lineOf }, configChecks);
  // Inside a root stack, as `pulumi up` and `socle render` run it (stack transformations need one).
  await pulumi.runtime.runInPulumiStack(async () => {
    outputs = deploy(config);
    return {};
  });
  await settle(outputs.apiEndpoint as pulumi.Output<string>);
  await quiesce(monitor);
  records = monitor.records;
});

const docFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === "research" ? [] : docFiles(join(dir, e.name))) : e.name.endsWith(".md") ? [join(dir, e.name)] : []));

const images = (v: unknown, out: string[] = []): string[] => {
  if (Array.isArray(v)) v.forEach((x) => images(x, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) (k === "image" && typeof x === "string" ? out.push(x) : images(x, out));
  return out;
};

describe("OpenStack example stack with socle:registryMirror", () => {
  it("writes RKE2's system-default-registry and containerd mirrors for every catalog registry into every node's cloud-init", () => {
    const nodes = ofType(records, "openstack:compute/instance:Instance");
    expect(nodes.length).toBeGreaterThanOrEqual(6);
    for (const node of nodes) {
      // User data is a secret (join token, CA keys): the engine receives it wrapped in the secret signature.
      const wrapped = node.inputs.userData as { value: string };
      expect(wrapped).toHaveProperty("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270");
      const text = wrapped.value;
      expect(text.startsWith("#cloud-config\n"), node.name).toBe(true);
      const files = parse(text).write_files as { path: string; content: string }[];
      const config = parse(files.find((f) => f.path === "/etc/rancher/rke2/config.yaml")!.content);
      expect(config["system-default-registry"], node.name).toBe(MIRROR);
      const registries = parse(files.find((f) => f.path === RKE2_REGISTRIES_PATH)!.content) as { mirrors: Record<string, { endpoint: string[]; rewrite: Record<string, string> }> };
      for (const upstream of catalogRegistries()) {
        expect(registries.mirrors[upstream], `${node.name} ${upstream}`).toEqual({ endpoint: ["https://registry.ministere-exemple.gouv.fr"], rewrite: { "^(.*)$": `mirror/${upstream}/$1` } });
      }
    }
  });

  it("keeps the nodes' mirror list and docs/mirror.md in step with the image catalog and the charts", () => {
    expect(catalogRegistries().filter((r) => !(MIRRORED_REGISTRIES as readonly string[]).includes(r))).toEqual([]);
    const page = readFileSync(join(ROOT, "docs", "mirror.md"), "utf8");
    for (const r of MIRRORED_REGISTRIES) expect(page, r).toContain(`| \`${r}\` |`);
    for (const c of Object.values(ALL_CHARTS)) expect(page, c.chart).toContain(`| \`${chartMirrorPath(c)}\` |`);
  });

  it("takes every Helm chart from oci://<mirror>/… and every image from the mirror", () => {
    const releases = ofType(records, "kubernetes:helm.sh/v3:Release");
    expect(releases.map((r) => r.inputs.chart).sort()).toEqual(
      expect.arrayContaining(Object.values(ALL_CHARTS).filter((c) => c !== ALL_CHARTS.trustManager).map((c) => `oci://${MIRROR}/${chartMirrorPath(c)}`)),
    );
    for (const r of releases) expect(r.inputs.repositoryOpts, r.name).toBeUndefined();
    const all = records.filter((r) => r.type.startsWith("kubernetes:")).flatMap((r) => images(r.inputs));
    expect(all.length).toBeGreaterThan(15);
    for (const image of all) expect(image.startsWith(`${MIRROR}/`), image).toBe(true);
  });

  it("exports the gateway address, the API endpoint and the kubeconfig (secret) that docs/cloud.md names", async () => {
    expect((await settle(outputs.gatewayAddress as pulumi.Output<string>)).value).toBe("203.0.113.10");
    expect((await settle(outputs.apiEndpoint as pulumi.Output<string>)).value).toBe("https://10.20.0.10:6443");
    const kubeconfig = await settle(outputs.kubeconfig as pulumi.Output<string>);
    expect(kubeconfig.secret).toBe(true);
    expect(kubeconfig.value).toContain("https://10.20.0.10:6443");
    // Every output a page of docs/ names ("the `x` output", "stack output `x.y`") exists: its first segment at least.
    const names = new Set<string>();
    for (const page of docFiles(join(ROOT, "docs"))) {
      const text = readFileSync(page, "utf8");
      for (const m of text.matchAll(/`([\w.]+)` (?:stack )?output|stack outputs? `([\w.]+)`/g)) names.add((m[1] ?? m[2]!).split(".")[0]!);
    }
    expect([...names]).toEqual(expect.arrayContaining(["gatewayAddress", "apiEndpoint", "kubeconfig", "socle"]));
    for (const name of names) expect(outputs, name).toHaveProperty(name);
  });

  it("registers every Secret holding the backup credentials after the contract's backup bucket", () => {
    // The credentials every backup writer receives resolve only once the contract's bucket and endpoint have.
    const bucket = records.findIndex((r) => r.type === "openstack:objectstorage/container:Container" && r.inputs.name === "ministere-exemple-backups");
    expect(bucket).toBeGreaterThanOrEqual(0);
    const holders = records.map((r, i) => ({ r, i })).filter(({ r }) => r.type.startsWith("kubernetes:") && JSON.stringify(r.inputs).includes("test-access"));
    expect(holders.length).toBeGreaterThanOrEqual(2);
    for (const { r, i } of holders) expect(i, r.name).toBeGreaterThan(bucket);
  });
});
