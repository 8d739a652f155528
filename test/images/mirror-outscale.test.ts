import { beforeAll, describe, expect, it } from "vitest";
import { ofType, type Recorded } from "../cloud/mocks";
import { documentedOutputs, expectChartsAndImagesFromMirror, expectNodeMirrors, runWithMirror } from "./mirror-stack";

let records: Recorded[];
let outputs: Record<string, unknown>;

beforeAll(async () => {
  ({ records, outputs } = await runWithMirror("ministere-exemple-outscale"));
});

describe("Outscale example stack (VMs) with socle:registryMirror", () => {
  it("writes RKE2's system-default-registry and containerd mirrors into every VM's cloud-init", () => {
    const vms = ofType(records, "outscale:index/vm:Vm");
    expect(vms.length).toBeGreaterThanOrEqual(6);
    for (const vm of vms) {
      const raw = vm.inputs.userData as string | { value: string };
      const b64 = typeof raw === "string" ? raw : raw.value;
      expectNodeMirrors(Buffer.from(b64, "base64").toString("utf8"), vm.name);
    }
  });

  it("takes every Helm chart and image from the mirror, and exports every output the docs name", () => {
    expectChartsAndImagesFromMirror(records);
    for (const name of documentedOutputs()) expect(outputs, name).toHaveProperty(name);
  });
});
