import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ALL_CHARTS, chartMirrorPath } from "../../charts/platform/releases";
import { MIRRORED_REGISTRIES } from "../../components/cloud/plan/cloud-init";
import { catalogRegistries } from "../../src/images/ref";
import { ofType, settle, type Recorded } from "../cloud/mocks";
import { documentedOutputs, expectChartsAndImagesFromMirror, expectNodeMirrors, ROOT, runWithMirror } from "./mirror-stack";

/**
 * The OpenStack example stack (VMs, RKE2) with `socle:registryMirror`: the program hands the mirror to the
 * cloud, so every node's cloud-init carries RKE2's system-default-registry and containerd's mirrors; every
 * chart and image comes from the mirror; the stack exports what the docs tell operators to use.
 */

let records: Recorded[];
let outputs: Record<string, unknown>;

beforeAll(async () => {
  ({ records, outputs } = await runWithMirror("ministere-exemple-openstack"));
});

describe("OpenStack example stack (VMs) with socle:registryMirror", () => {
  it("writes RKE2's system-default-registry and containerd mirrors for every catalog registry into every node's cloud-init", () => {
    const nodes = ofType(records, "openstack:compute/instance:Instance");
    expect(nodes.length).toBeGreaterThanOrEqual(6);
    for (const node of nodes) {
      // User data is a secret (join token, CA keys): the engine receives it wrapped in the secret signature.
      const wrapped = node.inputs.userData as { value: string };
      expect(wrapped).toHaveProperty("4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270");
      expectNodeMirrors(wrapped.value, node.name);
    }
  });

  it("keeps the nodes' mirror list and docs/mirror.md in step with the image catalog and the charts", () => {
    expect(catalogRegistries().filter((r) => !(MIRRORED_REGISTRIES as readonly string[]).includes(r))).toEqual([]);
    const page = readFileSync(join(ROOT, "docs", "mirror.md"), "utf8");
    for (const r of MIRRORED_REGISTRIES) expect(page, r).toContain(`| \`${r}\` |`);
    for (const c of Object.values(ALL_CHARTS)) expect(page, c.chart).toContain(`| \`${chartMirrorPath(c)}\` |`);
  });

  it("takes every Helm chart from oci://<mirror>/… and every image from the mirror", () => {
    expectChartsAndImagesFromMirror(records);
  });

  it("exports the gateway address, the API endpoint and the kubeconfig (secret), and every output the docs name", async () => {
    expect((await settle(outputs.gatewayAddress as pulumi.Output<string>)).value).toBe("203.0.113.10");
    expect((await settle(outputs.apiEndpoint as pulumi.Output<string>)).value).toBe("https://10.20.0.10:6443");
    const kubeconfig = await settle(outputs.kubeconfig as pulumi.Output<string>);
    expect(kubeconfig.secret).toBe(true);
    expect(kubeconfig.value).toContain("https://10.20.0.10:6443");
    const names = documentedOutputs();
    expect(names).toEqual(expect.arrayContaining(["apiEndpoint", "gatewayAddress", "kubeconfig", "socle"]));
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
