import { beforeAll, describe, expect, it } from "vitest";
import { ofType, type Recorded } from "../cloud/mocks";
import { expectChartsAndImagesFromMirror, runWithMirror } from "./mirror-stack";

let records: Recorded[];

beforeAll(async () => {
  ({ records } = await runWithMirror("ministere-exemple-outscale-oks"));
});

describe("Outscale OKS example stack with socle:registryMirror", () => {
  it("has no VM of its own to configure (OKS manages the nodes: docs/mirror.md), and pulls every chart and image from the mirror", () => {
    expect(ofType(records, "outscale:index/vm:Vm")).toEqual([]);
    expectChartsAndImagesFromMirror(records);
  });
});
