import { z } from "zod";

const price = z.number().finite().min(0).max(1_000_000);

/**
 * A hoster's price sheet: unit prices per month, in euros (docs/hosters.md, "Plans and prices"). One schema for
 * the two places a sheet is read: a file given to `socle usage --prices` (src/usage/prices.ts, read with the
 * bounded reader), and a platform stack's `socle:opencost.priceSheet` (src/config/schema.ts), from which the
 * platform renders OpenCost's custom pricing (charts/platform/opencost.ts) and `socle usage` prices tenants.
 */
export const priceSheetSchema = z
  .object({
    currency: z.literal("EUR"),
    /** Free text: where the prices come from (a contract, a tariff), or that they are illustrative. */
    source: z.string().min(1).max(500).optional(),
    illustrative: z.boolean().default(false),
    prices: z
      .object({
        vcpuMonth: price,
        ramGiBMonth: price,
        blockGiBMonth: price,
        objectGiBMonth: price,
      })
      .strict(),
  })
  .strict();

export type PriceSheet = z.infer<typeof priceSheetSchema>;
