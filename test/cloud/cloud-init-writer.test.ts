import { describe, expect, it } from "vitest";
import { NODE_CLOUD_INIT_TYPE } from "../../components/cloud/bootstrap";
import { collectCloudInit, cloudInitFiles } from "../../src/render/cloud-init";
import type { Registration } from "../../src/render/monitor";

const reg = (mockUrn: string, type = NODE_CLOUD_INIT_TYPE): Registration => ({
  mockUrn,
  type,
  name: mockUrn,
  custom: false,
  protect: false,
  retainOnDelete: false,
  dependencies: [],
  inputs: {},
  additionalSecretOutputs: [],
});

describe("socle render: reviewable cloud-init", () => {
  it("collects the nodes' documents in name order and writes one file each", () => {
    const outputs = new Map([
      ["b", { nodeName: "org-workers-0", role: "agent", cloudInit: "#cloud-config\nhostname: org-workers-0\n" }],
      ["a", { nodeName: "org-cp-0", role: "server", cloudInit: "#cloud-config\nhostname: org-cp-0\n" }],
    ]);
    const nodes = collectCloudInit([reg("b"), reg("a"), reg("c", "socle:cloud:Other")], outputs, new Set());
    expect(nodes.map((n) => n.nodeName)).toEqual(["org-cp-0", "org-workers-0"]);
    const files = cloudInitFiles(nodes);
    expect(files.map(([path]) => path)).toEqual(["cloud-init/org-cp-0.yaml", "cloud-init/org-workers-0.yaml"]);
    expect(files[0]![1]).toBe("#cloud-config\nhostname: org-cp-0\n");
  });

  it("refuses a document holding a generated secret, a node name that is not a DNS label, and a missing document", () => {
    const secret = "socle-render-secret-0123";
    expect(() => collectCloudInit([reg("a")], new Map([["a", { nodeName: "cp-0", role: "server", cloudInit: `token: ${secret}` }]]), new Set([secret]))).toThrow(/holds a generated secret/);
    expect(() => collectCloudInit([reg("a")], new Map([["a", { nodeName: "../etc", role: "server", cloudInit: "x" }]]), new Set())).toThrow(/not a DNS label/);
    expect(() => collectCloudInit([reg("a")], new Map(), new Set())).toThrow(/registered no cloud-init document/);
  });

  it("writes no folder when there is no node (managed clusters, existing)", () => {
    expect(cloudInitFiles([])).toEqual([]);
  });
});
