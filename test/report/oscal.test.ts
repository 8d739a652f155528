import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderOscal } from "../../src/report/oscal";
import { uuidV5 } from "../../src/report/uuid";
import { manifestReport, stateReport } from "./fixture";

const SCHEMA = "/work/shared/schemas/oscal/oscal_assessment-results_schema.json";
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, "utf8")));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("report.oscal.json", () => {
  it("validates against the OSCAL 1.2.1 assessment-results schema", async () => {
    for (const report of [await stateReport(), await manifestReport()]) {
      validate(JSON.parse(renderOscal(report)));
      expect(validate.errors ?? []).toEqual([]);
    }
  });

  it("the schema check can fail: a finding without target is rejected", async () => {
    const doc = JSON.parse(renderOscal(await stateReport()));
    delete doc["assessment-results"].results[0].findings[0].target;
    expect(validate(doc)).toBe(false);
  });

  it("uses version 5 UUIDs, unique, derived from content only", async () => {
    const a = renderOscal(await stateReport());
    const b = renderOscal(await stateReport());
    expect(b).toBe(a);
    const uuids = [...a.matchAll(/"(?:uuid|subject-uuid|observation-uuid|risk-uuid)": "([^"]+)"/g)].map((m) => m[1]!);
    expect(uuids.length).toBeGreaterThan(10);
    for (const u of uuids) expect(u).toMatch(UUID);
    const own = [...a.matchAll(/"uuid": "([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(own).size).toBe(own.length);
  });

  it("computes RFC 4122 version 5 UUIDs (Python's uuid5 reference value)", () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_URL, "http://python.org/")
    expect(uuidV5("http://python.org/", "6ba7b811-9dad-11d1-80b4-00c04fd430c8")).toBe("4c565f0d-3f5a-5890-b41b-20cf47701c5e");
  });

  it("derives the UUID RFC 4122 section 4.3 describes for any name, short or long, in any script", () => {
    const ns = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
    const reference = (name: string) => {
      const h = createHash("sha1").update(Buffer.from(ns.replace(/-/g, ""), "hex")).update(name, "utf8").digest();
      h[6] = (h[6]! & 0x0f) | 0x50;
      h[8] = (h[8]! & 0x3f) | 0x80;
      const x = h.subarray(0, 16).toString("hex");
      return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
    };
    fc.assert(fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme", minLength: 300, maxLength: 1500 })), (name) => {
      expect(uuidV5(name, ns)).toBe(reference(name));
    }), { numRuns: 500 });
  });

  it("reports each control as a finding, waivers as approved deviations, unused and expired waivers in remarks", async () => {
    const ar = JSON.parse(renderOscal(await stateReport()))["assessment-results"];
    expect(ar.metadata["oscal-version"]).toBe("1.2.1");
    expect(ar.metadata["last-modified"]).toBe("2025-06-01T00:00:00Z");
    expect(ar["import-ap"].href).toBe(`#${ar["back-matter"].resources[0].uuid}`);
    const result = ar.results[0];
    expect(result.findings.map((f: any) => [f.target["target-id"], f.target.status.state])).toEqual([
      ["test-provider-region", "not-satisfied"],
      ["test-service-declared-lb", "not-satisfied"],
      ["test-workload-non-root", "not-satisfied"],
    ]);
    expect(result.risks).toHaveLength(1);
    expect(result.risks[0].status).toBe("deviation-approved");
    expect(result.risks[0].description).toContain("Upstream image needs root <until 17.1> & tracked in TICKET-1");
    expect(result.findings[2]["related-risks"]).toEqual([{ "risk-uuid": result.risks[0].uuid }]);
    expect(result.remarks).toMatch(/Expired waivers \(they waive nothing\): .*waivers\.yaml:7/);
    expect(result.remarks).toMatch(/Unused waivers \(they match no failing finding\): .*waivers\.yaml:12/);
    const rogue = result.observations.find((o: any) => o.title === "test-service-declared-lb: Service wiki/rogue");
    expect(rogue.remarks).toContain("expired on 2025-01-31");
  });

  it("claims satisfied or not-satisfied only for controls that assessed something; the others get a not-assessed observation", async () => {
    const report = await stateReport();
    // A catalog control with nothing to assess in this input, next to the fixture's controls.
    const idle = { ...report.controls[0]!, meta: { ...report.controls[0]!.meta, id: "test-zz-idle" }, status: "notAssessed" as const, counts: { pass: 0, fail: 0, waived: 0, notApplicable: 0 }, notAssessedReason: "no resource of the input falls under this control" };
    const doc = JSON.parse(renderOscal({ ...report, controls: [...report.controls, idle] }));
    validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    const result = doc["assessment-results"].results[0];
    expect(result.findings.map((f: any) => f.target["target-id"])).not.toContain("test-zz-idle");
    const observation = result.observations.find((o: any) => o.props?.some((p: any) => p.name === "control-id" && p.value === "test-zz-idle"));
    expect(observation.props).toContainEqual({ name: "status", value: "not-assessed", ns: "urn:socle:audit" });
    expect(observation.description).toContain("no resource of the input falls under this control");
    // No satisfied objective without an assessed (pass or fail) subject behind it.
    for (const f of result.findings.filter((x: any) => x.target.status.state === "satisfied")) {
      const related = new Set((f["related-observations"] ?? []).map((r: any) => r["observation-uuid"]));
      const subjects = result.observations.filter((o: any) => related.has(o.uuid)).flatMap((o: any) => o.subjects ?? []);
      expect(subjects.some((sub: any) => sub.props?.some((p: any) => p.value === "pass"))).toBe(true);
    }
  });
});
