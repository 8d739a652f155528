import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderStack, type RenderResult } from "../../src/render/render";
import { ROOT } from "../helpers/render";

let result: RenderResult;

/** The demo stack moved to Outscale: the backup bucket then comes from the cloud, not from Garage. */
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "socle-cloud-"));
  const demo = readFileSync(join(ROOT, "stacks/Pulumi.demo.yaml"), "utf8");
  const stack = demo.replace("socle:target: existing", "socle:target: outscale").replace(/  socle:existing:\n(    .*\n)+/, "  socle:outscale:\n    imageId: ami-00000000\n    objectStorageEndpoint: https://oos.example.invalid\n");
  expect(stack).toContain("socle:target: outscale");
  expect(stack).not.toContain("socle:existing");
  const stackFile = join(dir, "Pulumi.cloud.yaml");
  writeFileSync(stackFile, stack);
  result = await renderStack({ root: ROOT, stack: "cloud", stackFile, outDir: join(dir, "out") });
});

describe("socle render on a cloud target: platform", () => {
  it("deploys no Garage and no socle-storage namespace", () => {
    const resources = result.state.deployment.resources;
    expect(resources.some((r) => r.urn.includes("ObjectStorage"))).toBe(false);
    expect(resources.some((r) => r.type === "kubernetes:core/v1:Namespace" && r.id === "socle-storage")).toBe(false);
    expect([...result.manifestFiles.keys()]).not.toContain("manifests/object-storage.yaml");
  });

  it("still deploys every other platform service", () => {
    expect([...result.resourcesByComponent.keys()]).toEqual(expect.arrayContaining(["backups", "databases", "edge", "observability", "platform-namespaces"]));
  });
});
