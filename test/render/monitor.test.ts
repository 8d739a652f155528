import fc from "fast-check";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { SECRET_SIG, SIG_KEY, WIRE_UNKNOWN } from "../../src/render/markers";
import { isPlainWire } from "../../src/render/monitor";

// The recording monitor takes plain wire values as their own serialized state, instead of decoding and
// serializing them again as the SDK's MockMonitor does (src/render/monitor.ts): that must give back the
// same values, key for key, and anything that is not plain must take the SDK's path.

/** What the SDK's MockMonitor stores for inputs that `newResource` answers unchanged. */
async function sdkRoundTrip(wire: Record<string, unknown>): Promise<unknown> {
  // A protobuf Struct as far as the SDK's decoder reads one: its values as JavaScript (JSON values).
  const struct = { toJavaScript: () => structuredClone(wire) } as Parameters<typeof rpc.deserializeProperties>[0];
  return rpc.serializeProperties("", rpc.deserializeProperties(struct));
}

describe("recording monitor: plain wire values", () => {
  it("are what the SDK's decode-then-serialize gives back, in the same key order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), async (obj) => {
        const wire = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
        fc.pre(isPlainWire(wire));
        const back = await sdkRoundTrip(wire);
        expect(back).toStrictEqual(wire);
        expect(JSON.stringify(back)).toBe(JSON.stringify(wire));
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it("are not: secrets at any depth, unknowns, resource references (the SDK lifts or rewrites them)", async () => {
    const nested = { spec: { password: { [SIG_KEY]: SECRET_SIG, value: "x" } } };
    expect(isPlainWire(nested)).toBe(false);
    // The reason for the SDK's path: a nested secret is lifted to the property's top level.
    expect(await sdkRoundTrip(nested)).not.toStrictEqual(nested);
    expect(isPlainWire({ status: { address: WIRE_UNKNOWN } })).toBe(false);
    expect(isPlainWire({ items: [1, [WIRE_UNKNOWN]] })).toBe(false);
    expect(isPlainWire({ provider: { [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:pulumi:s::p::t::n" } })).toBe(false);
    expect(isPlainWire({ metadata: { name: "a", labels: { x: "1" } }, data: [null, true, 2, "three"] })).toBe(true);
  });
});
