import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runFleet, type FleetEngine } from "../../src/fleet/engine";
import { JournalError, newJournal, parseJournal, resumeJournal, serializeJournal, withStatus, type TenantStatus } from "../../src/fleet/journal";

const status = fc.constantFrom<TenantStatus>("pending", "running", "done", "failed");

describe("fleet run journal", () => {
  it("resume keeps exactly the tenants done that are still in the fleet; every other one is pending", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), status), fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/)), (prev, fleet) => {
        let j = newJournal("p", "up", Object.keys(prev));
        for (const [t, s] of Object.entries(prev)) j = withStatus(j, t, s);
        const r = resumeJournal(parseJournal(serializeJournal(j)), "p", "up", fleet);
        expect(Object.keys(r.tenants).sort()).toEqual([...fleet].sort());
        for (const t of fleet) expect(r.tenants[t].status).toBe(prev[t] === "done" ? "done" : "pending");
      }),
    );
  });

  it("refuses to resume another operation's or platform's journal, and text that is not a journal", () => {
    const j = newJournal("p", "preview", ["a"]);
    expect(() => resumeJournal(j, "p", "up", ["a"])).toThrow(JournalError);
    expect(() => resumeJournal(j, "q", "preview", ["a"])).toThrow(JournalError);
    expect(() => parseJournal("{")).toThrow(JournalError);
    expect(() => parseJournal(JSON.stringify({ socle: 1, platform: "p", operation: "up", tenants: { a: { status: "maybe" } } }))).toThrow(JournalError);
  });

  it("serializes in code-unit order, whatever the insertion order", () => {
    const a = serializeJournal(newJournal("p", "up", ["b", "B", "a", "é"]));
    expect(Object.keys(JSON.parse(a).tenants)).toEqual(["B", "a", "b", "é"]);
  });

  it("runFleet: never more than `concurrency` at once, every tenant once, a failure does not stop the others", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 11 }), async (concurrency, n, failAt) => {
        const tenants = Array.from({ length: n }, (_, i) => `t${String(i).padStart(2, "0")}`);
        let now = 0;
        let max = 0;
        const seen: string[] = [];
        const engine: FleetEngine = {
          preview: async () => ({ summary: "" }),
          up: async (stack) => {
            seen.push(stack);
            max = Math.max(max, ++now);
            await new Promise((r) => setTimeout(r, 1));
            now--;
            if (stack === tenants[failAt]) throw new Error("boom");
            return { summary: "ok" };
          },
        };
        const records: number[] = [];
        const final = await runFleet(engine, { operation: "up", concurrency, journal: newJournal("p", "up", tenants), record: (j) => records.push(Object.keys(j.tenants).length) });
        expect(max).toBeLessThanOrEqual(concurrency);
        expect([...seen].sort()).toEqual(tenants);
        for (const t of tenants) expect(final.tenants[t].status).toBe(t === tenants[failAt] ? "failed" : "done");
        // Recorded at start, then at each start and end of a tenant.
        expect(records).toHaveLength(1 + 2 * n);
      }),
      { numRuns: 40 },
    );
  });
});
