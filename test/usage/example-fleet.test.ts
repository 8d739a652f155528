/** `socle usage` metering on the example fleet of stacks/ (hebergeur-plateforme, tenant-exemple-a, tenant-exemple-b). */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadInput } from "../../src/audit/inputs/load";
import { meter, type Usage } from "../../src/usage/meter";
import { cents, price } from "../../src/usage/cost";
import { readPriceSheet } from "../../src/usage/prices";
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

  it("matches the figure computed by hand for tenant-exemple-a (plan small, examples/prices.yaml)", () => {
    // By hand, from the requests in the rendered manifests (out/tenant-exemple-a/manifests/*.yaml), per replica or
    // instance: workload, replicas, CPU (m), memory (MiB), block storage (GiB: data + WAL of a database cluster).
    const MI = 2 ** 20;
    const GI = 2 ** 30;
    const byHand: [string, number, number, number, number][] = [
      ["Cluster/tenant-a-chat/synapse-db", 2, 250, 512, 10],
      ["Cluster/tenant-a-docs/docs-db", 2, 250, 512, 10],
      ["Cluster/tenant-a-identity/keycloak-db", 2, 250, 512, 10],
      ["Cluster/tenant-a-mail/roundcube-db", 2, 100, 256, 2],
      ["Cluster/tenant-a-mail/stalwart-db", 2, 250, 512, 50],
      ["Cluster/tenant-a-wiki/xwiki-db", 2, 250, 512, 10],
      ["Deployment/tenant-a-chat/element-web", 1, 25, 32, 0],
      ["Deployment/tenant-a-chat/synapse", 1, 250, 512, 0],
      ["Deployment/tenant-a-docs/docs-backend", 1, 250, 512, 0],
      ["Deployment/tenant-a-docs/docs-frontend", 1, 50, 32, 0],
      ["Deployment/tenant-a-docs/docs-valkey", 1, 50, 64, 0],
      ["Deployment/tenant-a-docs/docs-worker", 1, 100, 256, 0],
      ["Deployment/tenant-a-docs/docs-y-provider", 1, 100, 256, 0],
      ["Deployment/tenant-a-identity/keycloak", 1, 500, 1024, 0],
      ["Deployment/tenant-a-mail/roundcube", 1, 100, 128, 0],
      ["Deployment/tenant-a-mail/stalwart", 1, 250, 512, 0],
      ["Deployment/tenant-a-wiki/xwiki", 1, 500, 2048, 0],
      ["PersistentVolumeClaim/tenant-a-chat/synapse-media", 1, 0, 0, 20],
      ["PersistentVolumeClaim/tenant-a-wiki/xwiki-data", 1, 0, 0, 10],
    ];
    const u = usage.get("tenant-exemple-a")!;
    expect(u.counted).toEqual(byHand.map(([w, n]) => `${w} × ${n}`));
    // CPU: databases 2 × (250 × 5 + 100) = 2,700 m; deployments 2,175 m → 4,875 m.
    expect(u.cpuMillicores).toBe(4875);
    // Memory: databases 2 × (512 × 5 + 256) = 5,632 MiB; deployments 5,376 MiB → 11,008 MiB = 10.75 GiB.
    expect(u.memoryBytes).toBe(11008 * MI);
    // Block: databases 2 × (10 + 10 + 10 + 2 + 50 + 10) = 184 GiB; claims 20 + 10 = 30 GiB → 214 GiB.
    expect(u.blockBytes).toBe(214 * GI);
    const sum = (i: 2 | 3 | 4) => byHand.reduce((n, row) => n + row[1] * row[i], 0);
    expect([sum(2), sum(3), sum(4)]).toEqual([4875, 11008, 214]);
    // Priced: 4.875 × 12 = 58.50; 10.75 × 3 = 32.25; 214 × 0.10 = 21.40 → 112.15 € per month;
    // × 12 ÷ 500 users (plan small's ceiling) = 2.6916 → 2.69 € per user per year, within 50 €.
    const cost = price("tenant-exemple-a", "small", u, readPriceSheet(join(ROOT, "examples", "prices.yaml")), 500, "plan ceiling", 50);
    // (The cost is kept unrounded; the reports round to the cent, as here.)
    const m = cost.monthly;
    expect([m.cpu, m.ram, m.block, m.object, m.total].map(cents)).toEqual([58.5, 32.25, 21.4, 0, 112.15]);
    expect(cents(cost.perUserYear)).toBe(2.69);
    expect(cost.withinTarget).toBe(true);
  });
});
