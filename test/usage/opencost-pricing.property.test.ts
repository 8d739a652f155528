import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OPENCOST_HOURS_PER_MONTH, openCostPricingConfigMap } from "../../src/usage/opencost";
import { priceSheetSchema, type PriceSheet } from "../../src/usage/prices";
import { openCostReads } from "./opencost-reader";

const price = fc.double({ min: 0, max: 1_000_000, noNaN: true, noDefaultInfinity: true });
const sheet: fc.Arbitrary<PriceSheet> = fc
  .record({ vcpuMonth: price, ramGiBMonth: price, blockGiBMonth: price, objectGiBMonth: price, illustrative: fc.boolean() })
  .map(({ illustrative, ...prices }) => priceSheetSchema.parse({ currency: "EUR", illustrative, prices }));

describe("OpenCost's pricing ConfigMap from any valid price sheet", () => {
  it("is read by OpenCost without error, at the sheet's prices per hour (monthly ÷ 730, six decimals), in euros", () => {
    fc.assert(
      fc.property(sheet, (s) => {
        const cm = openCostPricingConfigMap(s, { name: "p", namespace: "n" }) as { data: Record<string, string> };
        const read = openCostReads(cm.data);
        const hourly = (m: number) => Number((m / OPENCOST_HOURS_PER_MONTH).toFixed(6));
        expect(Number(read.CPU)).toBe(hourly(s.prices.vcpuMonth));
        expect(Number(read.SpotCPU)).toBe(hourly(s.prices.vcpuMonth));
        expect(Number(read.RAM)).toBe(hourly(s.prices.ramGiBMonth));
        expect(Number(read.Storage)).toBe(hourly(s.prices.blockGiBMonth));
        expect(read.Provider).toBe("custom");
        expect(read.CurrencyCode).toBe("EUR");
        for (const v of Object.values(cm.data)) expect(typeof v).toBe("string");
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same bytes for the same sheet", () => {
    fc.assert(fc.property(sheet, (s) => JSON.stringify(openCostPricingConfigMap(s, { name: "p", namespace: "n" })) === JSON.stringify(openCostPricingConfigMap(structuredClone(s), { name: "p", namespace: "n" }))));
  });

  it("the replay refuses what OpenCost refuses: a key that names no pricing field, a price that is not a number", () => {
    expect(() => openCostReads({ "default.json": "{}" })).toThrow(/no such field: Default\.json/);
    expect(() => openCostReads({ CPU: "twelve" })).toThrow(/parse/);
    expect(openCostReads({ zoneNetworkEgress: "0.01" })).toEqual({ ZoneNetworkEgress: "0.01" });
  });
});
