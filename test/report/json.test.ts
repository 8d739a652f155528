import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import schema from "../../schemas/report.schema.json";
import { renderJson } from "../../src/report/json";
import { manifestReport, stateReport } from "./fixture";

const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

describe("report.json", () => {
  it("validates against schemas/report.schema.json", async () => {
    for (const report of [await stateReport(), await manifestReport()]) {
      const doc = JSON.parse(renderJson(report));
      const ok = validate(doc);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it("says which controls assessed nothing, and why, within the schema", async () => {
    const report = await stateReport();
    // Runs the real runner: a control that returns nothing for these resources.
    const { runAudit } = await import("../../src/audit/run");
    const { TEST_CONTROLS } = await import("../audit/fixtures/controls");
    const idle = { ...TEST_CONTROLS[0]!, id: "test-zz-idle", check: () => [] };
    const result = runAudit([...TEST_CONTROLS, idle], [], report.context);
    const doc = JSON.parse(renderJson({ ...report, ...result }));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const c = doc.controls.find((x: { id: string }) => x.id === "test-zz-idle");
    expect(c.status).toBe("notAssessed");
    expect(c.notAssessedReason).toBe("no resource of the input falls under this control");
    expect(doc.controls.every((x: { status: string }) => x.status === "notAssessed")).toBe(true);
    expect(doc.chapters.every((x: { score: number | null }) => x.score === null)).toBe(true);
  });

  it("carries findings, controls, totals and waivers", async () => {
    const doc = JSON.parse(renderJson(await stateReport()));
    expect(doc.result).toBe("fail");
    expect(doc.totals).toMatchObject({ pass: 2, fail: 2, waived: 2, notApplicable: 1, mandatoryFailures: 1 });
    expect(doc.findings[3]).toEqual({
      controlId: "test-service-declared-lb",
      status: "fail",
      resource: { urn: "urn:pulumi:demo::socle::kubernetes:core/v1:Service::rogue", kind: "Service", namespace: "wiki", name: "rogue" },
      message: "LoadBalancer wiki/rogue is not declared",
      path: "spec.type",
      expiredWaiver: expect.objectContaining({ expires: "2025-01-31" }),
    });
    expect(doc.findings[0].path).toBeNull();
    expect(doc.controls.map((c: { id: string }) => c.id)).toEqual(["test-provider-region", "test-service-declared-lb", "test-workload-non-root"]);
    expect(doc.unusedWaivers.map((w: { justification: string }) => w.justification)).toEqual(["Left over."]);
    expect(doc.expiredWaivers.map((w: { justification: string }) => w.justification)).toEqual(["Migration endpoint."]);
  });

  it("the schema rejects a document that breaks it (the test can fail)", async () => {
    const doc = JSON.parse(renderJson(await stateReport()));
    doc.findings[0].status = "ok";
    expect(validate(doc)).toBe(false);
  });
});
