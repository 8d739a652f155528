import { beforeAll, describe, expect, it } from "vitest";
import type { StateResource } from "../../src/render/state";
import { renderFixture } from "../helpers/render-fixture";

let resources: StateResource[];
beforeAll(async () => {
  resources = (await renderFixture("platform")).state.deployment.resources;
});

describe("a platform stack", () => {
  it("runs the platform services and no app", () => {
    expect(resources.some((r) => r.type.startsWith("socle:platform:"))).toBe(true);
    expect(resources.some((r) => r.type.startsWith("socle:apps:"))).toBe(false);
  });

  it("publishes its kind in the stack metadata", () => {
    expect((resources[0].outputs!.socle as { kind: string }).kind).toBe("platform");
  });
});
