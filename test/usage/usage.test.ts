import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseQuantity } from "../../src/usage/quantity";
import { ROOT } from "../helpers/render";
import { cli, fleetRoot } from "../tenants-cli/fleet-fixture";
import { tenantAState, tenantBState } from "./fixture";
import { openCostReads } from "./opencost-reader";

const PRICES = join(ROOT, "examples", "prices.yaml");

function withStates(): string {
  const root = fleetRoot();
  for (const [t, s] of [["tenant-exemple-a", tenantAState()], ["tenant-exemple-b", tenantBState()]] as const) {
    mkdirSync(join(root, "out", t), { recursive: true });
    writeFileSync(join(root, "out", t, "state.json"), JSON.stringify(s));
  }
  return root;
}

interface Row {
  tenant: string;
  users: number;
  requested: { cpuMillicores: number; memoryBytes: number; blockBytes: number; object: { metered: boolean } };
  eurPerMonth: { cpu: number; ram: number; block: number; object: number; total: number };
  eurPerUserYear: number;
  withinTarget: boolean;
  excluded: string[];
}

describe("socle usage", () => {
  it("matches the figure computed by hand for tenant A (examples/prices.yaml: 12 €/vCPU, 3 €/GiB RAM, 0.10 €/GiB block)", async () => {
    const r = await cli(withStates(), ["usage", "tenant-exemple-a", "--prices", PRICES, "--format", "json"]);
    expect(r.code, r.err).toBe(0);
    const [a] = (JSON.parse(r.out) as { tenants: Row[] }).tenants;
    // CPU: wiki 2 × (500m + 100m) = 1200m; stalwart 1 × 1000m; wiki-db 2 × 250m = 500m → 2700m = 2.7 vCPU.
    expect(a!.requested.cpuMillicores).toBe(2700);
    // Memory: 2 × 1.25 GiB + 2 GiB + 2 × 0.5 GiB = 5.5 GiB.
    expect(a!.requested.memoryBytes).toBe(5.5 * 2 ** 30);
    // Block: stalwart 20 GiB + wiki-db 2 × 10 GiB + wiki-files 5 GiB = 45 GiB.
    expect(a!.requested.blockBytes).toBe(45 * 2 ** 30);
    expect(a!.requested.object.metered).toBe(false);
    // 2.7 × 12 = 32.40; 5.5 × 3 = 16.50; 45 × 0.10 = 4.50 → 53.40 € per month.
    expect(a!.eurPerMonth).toEqual({ cpu: 32.4, ram: 16.5, block: 4.5, object: 0, total: 53.4 });
    // 53.40 × 12 / 500 users (plan small's ceiling) = 1.2816 → 1.28 € per user per year, within 50 €.
    expect(a!.users).toBe(500);
    expect(a!.eurPerUserYear).toBe(1.28);
    expect(a!.withinTarget).toBe(true);
    expect(a!.excluded).toEqual([
      "DaemonSet/tenant-a-wiki/agent: a DaemonSet is the platform's (one pod per node)",
      "Job/tenant-a-wiki/migrate: a Job runs to completion, it reserves nothing month-long",
    ]);
  });

  it("divides by --users and judges against --target-per-user", async () => {
    const r = await cli(withStates(), ["usage", "tenant-exemple-a", "--prices", PRICES, "--format", "json", "--users", "10", "--target-per-user", "60"]);
    const [a] = (JSON.parse(r.out) as { tenants: Row[] }).tenants;
    // 53.40 × 12 / 10 = 64.08 > 60.
    expect(a!.eurPerUserYear).toBe(64.08);
    expect(a!.withinTarget).toBe(false);
  });

  it("meters the fleet of a platform, as CSV and as a table", async () => {
    const root = withStates();
    const csv = await cli(root, ["usage", "--fleet", "--platform", "hebergeur-plateforme", "--prices", PRICES, "--format", "csv"]);
    expect(csv.code, csv.err).toBe(0);
    // B: 1 vCPU × 12 + 1 GiB × 3 = 15 € per month; × 12 / 5,000 (medium) = 0.036 → 0.04.
    expect(csv.out).toBe(
      [
        "tenant,plan,users,vcpu,ram_gib,block_gib,object_gib,eur_per_month,eur_per_user_year,target_eur_per_user_year,within_target",
        "tenant-exemple-a,small,500,2.700,5.500,45.000,not metered,53.40,1.28,50.00,yes",
        "tenant-exemple-b,medium,5000,1.000,1.000,0.000,not metered,15.00,0.04,50.00,yes",
        "",
      ].join("\r\n"),
    );
    const table = await cli(root, ["usage", "--fleet", "--platform", "hebergeur-plateforme", "--prices", PRICES]);
    expect(table.out).toMatch(/tenant-exemple-a\s+small\s+500\s+2\.700\s+5\.500\s+45\.000\s+not metered\s+53\.40\s+1\.28\s+50\.00\s+yes/);
    expect(table.out).toMatch(/ILLUSTRATIVE/);
  });

  const bad: [string, string, RegExp][] = [
    ["a currency that is not EUR", "currency: USD\nprices: {vcpuMonth: 1, ramGiBMonth: 1, blockGiBMonth: 1, objectGiBMonth: 1}\n", /currency/],
    ["a missing price", "currency: EUR\nprices: {vcpuMonth: 1, ramGiBMonth: 1, blockGiBMonth: 1}\n", /prices.objectGiBMonth/],
    ["a negative price", "currency: EUR\nprices: {vcpuMonth: -1, ramGiBMonth: 1, blockGiBMonth: 1, objectGiBMonth: 1}\n", /prices.vcpuMonth/],
    ["an unknown key", "currency: EUR\ntax: 20\nprices: {vcpuMonth: 1, ramGiBMonth: 1, blockGiBMonth: 1, objectGiBMonth: 1}\n", /tax|unrecognized/i],
    ["a duplicated key", "currency: EUR\ncurrency: EUR\n", /repeats the key "currency"/],
    ["alias expansion", `a: &a [1]\nb: [${Array.from({ length: 200 }, () => "*a").join(",")}]\n`, /aliases/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses a price sheet with ${what} (exit 2, no report)`, async () => {
      const root = withStates();
      const sheet = join(root, "prices.yaml");
      writeFileSync(sheet, text);
      const r = await cli(root, ["usage", "tenant-exemple-a", "--prices", sheet]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.out).toBe("");
    });
  }

  it("refuses an unknown tenant, a fleet without platform, and --users on a fleet", async () => {
    const root = withStates();
    expect((await cli(root, ["usage", "nobody", "--prices", PRICES])).err).toMatch(/tenant nobody does not exist/);
    expect((await cli(root, ["usage", "--fleet", "--prices", PRICES])).err).toMatch(/--fleet needs --platform/);
    expect((await cli(root, ["usage", "--fleet", "--platform", "hebergeur-plateforme", "--users", "3", "--prices", PRICES])).code).toBe(2);
  });

  it("prints OpenCost's custom pricing from the same sheet: one data key per pricing field, monthly prices (OpenCost divides by 730)", async () => {
    const r = await cli(withStates(), ["usage", "--prices", PRICES, "--opencost-configmap", "opencost"]);
    expect(r.code, r.err).toBe(0);
    const cm = parse(r.out) as { kind: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect(cm.kind).toBe("ConfigMap");
    expect(cm.metadata).toMatchObject({ name: "socle-custom-pricing", namespace: "opencost" });
    expect(cm.data["provider"]).toBe("custom");
    // 12 € per vCPU-month, 3 € per GiB-month of memory, 0.10 € per GiB-month of block storage, as the sheet says.
    expect(cm.data).toMatchObject({ CPU: "12", spotCPU: "12", RAM: "3", spotRAM: "3", storage: "0.1", GPU: "0" });
    // What OpenCost makes of them (test/usage/opencost-reader.ts replays its reading): 12 / 730 per vCPU-hour.
    expect(openCostReads(cm.data).CPU).toBe("0.016438");
    expect((await cli(withStates(), ["usage", "--prices", PRICES, "--opencost-configmap", "Not_A_Namespace"])).code).toBe(2);
  });

  it("without --prices, prices with the platform stack's socle:opencost.priceSheet: the same figures as the same sheet from a file", async () => {
    const root = withStates();
    const platform = join(root, "stacks", "Pulumi.hebergeur-plateforme.yaml");
    // No sheet on the platform: refused with the way out, nothing printed.
    const none = await cli(root, ["usage", "tenant-exemple-a", "--format", "csv"]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no --prices given, and platform hebergeur-plateforme has no socle:opencost\.priceSheet: give --prices/);
    expect(none.out).toBe("");
    writeFileSync(platform, readFileSync(platform, "utf8") + ["  socle:opencost:", "    priceSheet:", "      currency: EUR", "      illustrative: true", "      prices: {vcpuMonth: 12, ramGiBMonth: 3, blockGiBMonth: 0.1, objectGiBMonth: 0.02}", ""].join("\n"));
    const fromStack = await cli(root, ["usage", "tenant-exemple-a", "--format", "csv"]);
    expect(fromStack.code, fromStack.err).toBe(0);
    expect(fromStack.out).toBe((await cli(root, ["usage", "tenant-exemple-a", "--prices", PRICES, "--format", "csv"])).out);
    expect(fromStack.out).toContain("tenant-exemple-a,small,500,2.700,5.500,45.000,not metered,53.40,1.28,50.00,yes");
    const fleet = await cli(root, ["usage", "--fleet", "--platform", "hebergeur-plateforme", "--format", "csv"]);
    expect(fleet.code, fleet.err).toBe(0);
    expect(fleet.out.split("\r\n")).toHaveLength(4);
    // A platform that does not exist, given for a tenant's sheet: exit 2.
    expect((await cli(root, ["usage", "tenant-exemple-a", "--platform", "nowhere"])).err).toMatch(/platform stack nowhere does not exist/);
  });

  it("says the default 50 € target is unsourced, and names the operator's own target as such", async () => {
    const root = withStates();
    const table = await cli(root, ["usage", "tenant-exemple-a", "--prices", PRICES]);
    expect(table.out).toMatch(/Target: 50 € per user per year is socle's default target, unsourced: set your own with --target-per-user/);
    const json = JSON.parse((await cli(root, ["usage", "tenant-exemple-a", "--prices", PRICES, "--format", "json"])).out) as { targetSource: string };
    expect(json.targetSource).toMatch(/^default: .*unsourced/);
    const own = await cli(root, ["usage", "tenant-exemple-a", "--prices", PRICES, "--target-per-user", "40"]);
    expect(own.out).not.toMatch(/unsourced/);
    expect(JSON.parse((await cli(root, ["usage", "tenant-exemple-a", "--prices", PRICES, "--target-per-user", "40", "--format", "json"])).out).targetSource).toBe("--target-per-user");
  });

  it("reads Kubernetes quantities as the API server does", () => {
    expect(parseQuantity("250m")).toBeCloseTo(0.25);
    expect(parseQuantity("1Gi")).toBe(2 ** 30);
    expect(parseQuantity("1G")).toBe(1e9);
    expect(parseQuantity("1e3")).toBe(1000);
    expect(parseQuantity("1.5")).toBe(1.5);
    expect(parseQuantity("abc")).toBeUndefined();
    expect(parseQuantity("-1")).toBeUndefined();
  });
});
