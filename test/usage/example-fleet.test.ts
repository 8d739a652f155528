/** `socle usage` metering on the example fleet of stacks/ (hebergeur-plateforme, tenant-exemple-a, tenant-exemple-b). */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadInput } from "../../src/audit/inputs/load";
import { meter, type Usage } from "../../src/usage/meter";
import { renderToTemp, ROOT } from "../helpers/render";

const usage = new Map<string, Usage>();

beforeAll(async () => {
  for (const stack of ["tenant-exemple-a", "tenant-exemple-b"]) {
    const rendered = await renderToTemp(stack);
    const input = await loadInput(join(rendered.outDir, "state.json"), { today: "2026-11-30", projectDir: ROOT });
    usage.set(stack, meter(input.views));
  }
}, 180_000);

describe("socle usage on the example fleet", () => {
  it("meters what each tenant requests: compute, memory and block storage, nothing of the platform's", () => {
    for (const [stack, u] of usage) {
      expect(u.cpuMillicores, stack).toBeGreaterThan(0);
      expect(u.memoryBytes, stack).toBeGreaterThan(0);
      expect(u.blockBytes, stack).toBeGreaterThan(0);
      const org = stack === "tenant-exemple-a" ? "tenant-a" : "tenant-b";
      // Every workload counted lives in the tenant's own namespaces.
      for (const c of u.counted) expect(c.split("/")[1], c).toMatch(new RegExp(`^${org}-`));
    }
  });

  it("gives two tenants with the same apps and plan the same figures", () => {
    const [a, b] = [usage.get("tenant-exemple-a")!, usage.get("tenant-exemple-b")!];
    expect({ cpu: a.cpuMillicores, memory: a.memoryBytes, block: a.blockBytes }).toEqual({ cpu: b.cpuMillicores, memory: b.memoryBytes, block: b.blockBytes });
    expect(a.counted.map((c) => c.replace("tenant-a-", "tenant-x-"))).toEqual(b.counted.map((c) => c.replace("tenant-b-", "tenant-x-")));
  });
});
