import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Control, ResourceView } from "../../policies/types";
import { loadInput } from "../../src/audit/inputs/load";
import { runAudit } from "../../src/audit/run";
import { loadWaivers, type Waiver } from "../../src/audit/waivers";
import { TEST_CONTROLS, nonRootControl } from "./fixtures/controls";
import { stateExport } from "./fixtures/state";
import { tempFiles } from "./helpers";

async function demo() {
  const dir = tempFiles({ "state.json": stateExport() });
  return loadInput(join(dir, "state.json"), { today: "2025-06-01" });
}

const WAIVERS = `- control: test-workload-non-root
  resource: { kind: Deployment, namespace: wiki, name: xwiki }
  justification: Upstream image needs root; tracked in TICKET-1.
  approver: RSSI
  expires: 2025-12-31
- control: test-service-declared-lb
  resource: { urn: "urn:pulumi:demo::socle::*::rogue" }
  justification: Migration endpoint.
  approver: RSSI
  expires: 2025-01-31
- control: test-workload-non-root
  resource: { name: does-not-exist }
  justification: Left over.
  approver: RSSI
  expires: 2026-01-01
`;

function waivers(): readonly Waiver[] {
  const dir = tempFiles({ "waivers.yaml": WAIVERS });
  return loadWaivers(join(dir, "waivers.yaml"));
}

describe("runAudit", () => {
  it("makes one finding per violation and one per passing or not-applicable resource", async () => {
    const { views, context } = await demo();
    const result = runAudit(TEST_CONTROLS, views, context);
    const summary = result.findings.map((f) => `${f.controlId} ${f.status} ${f.resource.name} ${f.path ?? ""}`);
    expect(summary).toEqual([
      "test-provider-region notApplicable k8s ",
      "test-provider-region fail default_3_15_2 region",
      "test-service-declared-lb pass public ",
      "test-service-declared-lb fail rogue spec.type",
      "test-workload-non-root pass keycloak ",
      "test-workload-non-root fail xwiki spec.template.spec.containers[0].securityContext.runAsNonRoot",
      "test-workload-non-root fail xwiki spec.template.spec.containers[1].securityContext.runAsNonRoot",
    ]);
    expect(result.findings[0]!.message).toBe("no region");
    expect(result.findings[4]!.message).toBe("every container sets runAsNonRoot");
    expect(result.findings[5]!.resource).toEqual({
      urn: "urn:pulumi:demo::socle::socle:apps:Wiki$kubernetes:apps/v1:Deployment::xwiki",
      kind: "Deployment",
      namespace: "wiki",
      name: "xwiki",
    });
  });

  it("totals per status, per control and per chapter, with score = pass / (pass + fail)", async () => {
    const { views, context } = await demo();
    const result = runAudit(TEST_CONTROLS, views, context);
    expect(result.totals).toEqual({ pass: 2, fail: 4, waived: 0, notApplicable: 1, resources: 9, findings: 7, mandatoryFailures: 3, advisoryFailures: 1 });
    expect(result.controls.map((c) => [c.meta.id, c.status, c.counts.fail])).toEqual([
      ["test-provider-region", "fail", 1],
      ["test-service-declared-lb", "fail", 1],
      ["test-workload-non-root", "fail", 2],
    ]);
    expect(result.chapters.map((c) => [c.chapter, c.score])).toEqual([
      ["9", 1 / 3],
      ["13", 0.5],
      ["19", 0],
    ]);
    expect(result.chapters[0]!.title.en).toBe("Access control");
    expect(result.passed).toBe(false);
    expect((result.controls[0]!.meta as unknown as Record<string, unknown>).check).toBeUndefined();
  });

  it("waives matching failures, keeps failures of expired waivers, and reports unused waivers", async () => {
    const { views, context } = await demo();
    const result = runAudit(TEST_CONTROLS, views, context, waivers());
    const xwiki = result.findings.filter((f) => f.resource.name === "xwiki");
    expect(xwiki.map((f) => f.status)).toEqual(["waived", "waived"]);
    expect(xwiki[0]!.waiver).toMatchObject({ justification: "Upstream image needs root; tracked in TICKET-1.", approver: "RSSI", expires: "2025-12-31" });
    const rogue = result.findings.find((f) => f.resource.name === "rogue")!;
    expect(rogue.status).toBe("fail");
    expect(rogue.waiver).toBeUndefined();
    expect(rogue.expiredWaiver).toMatchObject({ expires: "2025-01-31", justification: "Migration endpoint." });
    expect(result.waivers.map((w) => [w.waiver.line, w.expired, w.matched])).toEqual([
      [1, false, 2],
      [6, true, 1],
      [11, false, 0],
    ]);
    expect(result.totals).toMatchObject({ fail: 2, waived: 2, mandatoryFailures: 1, advisoryFailures: 1 });
    expect(result.controls.find((c) => c.meta.id === "test-workload-non-root")!.status).toBe("waived");
    // Chapter 9 has 1 pass, 0 fail and 2 waived: a waived finding is not a pass.
    expect(result.chapters[0]!.score).toBeCloseTo(1 / 3);
    expect(result.passed).toBe(false);
  });

  it("passes when the only failures are advisory or waived", async () => {
    const { views, context } = await demo();
    const onlyNonRoot = runAudit([nonRootControl], views, context, waivers().slice(0, 1));
    expect(onlyNonRoot.passed).toBe(true);
    expect(onlyNonRoot.totals.mandatoryFailures).toBe(0);
  });

  it("orders findings the same whatever the order of controls and resources", async () => {
    const { views, context } = await demo();
    const w = waivers();
    const a = runAudit(TEST_CONTROLS, views, context, w);
    const b = runAudit([...TEST_CONTROLS].reverse(), [...views].reverse(), context, [...w].reverse());
    expect(JSON.stringify(b.findings)).toBe(JSON.stringify(a.findings));
  });

  it("rejects two controls with the same id and names a control that throws", async () => {
    const { views, context } = await demo();
    expect(() => runAudit([nonRootControl, nonRootControl], views, context)).toThrow(/two controls share the id test-workload-non-root/);
    const broken: Control = { ...nonRootControl, id: "broken", check: () => { throw new Error("boom"); } };
    expect(() => runAudit([broken], views, context)).toThrow(/control broken failed while checking: boom/);
  });

  it("turns a fail result without violations into one finding rather than dropping it", async () => {
    const { views, context } = await demo();
    const terse: Control = { ...nonRootControl, id: "terse", check: (rs: readonly ResourceView[]) => [{ resource: rs[0]!, status: "fail", violations: [] }] };
    const result = runAudit([terse], views, context);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.message).toBe("failed (the control gave no detail)");
  });
});
