import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadInput } from "../../src/audit/inputs/load";
import { runCheckCommand } from "../../src/check/command";
import type { CheckFinding } from "../../src/check/types";
import { catalogImage } from "../../src/images/ref";
import { exportObjects, tenantData, verifyObject } from "../../src/tenants/export-jobs";
import { renderToTemp } from "../helpers/render";

// The offboarding Jobs of a real render (the demo stack: every app), checked by `socle check` beside the objects they use.
let manifests: string;
let objects: Record<string, unknown>[];

beforeAll(async () => {
  const result = await renderToTemp("demo");
  manifests = join(result.outDir, "manifests");
  const views = (await loadInput(join(result.outDir, "state.json"), { today: "1970-01-01" })).views;
  const data = tenantData(views);
  const curl = catalogImage("curl", "registry.demo.socle.test/mirror");
  const plan = { bucket: data.objectStore!.bucket, endpoint: data.objectStore!.endpoint, region: "on-premises", prefix: "offboarding/demo/20260101T000000Z", artifacts: [] as string[] };
  const exp = exportObjects("demo", data, plan, curl);
  const ns = data.databases[0]!.namespace;
  objects = [...exp.objects, verifyObject("demo", ns, { ...plan, artifacts: exp.artifacts }, curl)];
}, 120_000);

async function offboardFindings(objs: readonly Record<string, unknown>[]): Promise<CheckFinding[]> {
  writeFileSync(join(manifests, "offboard.yaml"), objs.map((o) => stringify(o)).join("---\n"));
  const { result } = await runCheckCommand({ input: manifests, out: () => {} });
  return result.findings.filter((f) => f.object.includes("/offboard-") || f.message.includes("socle.io/offboarding"));
}

describe("offboarding Jobs under socle check", () => {
  it("dump every database and archive every app volume of the render", () => {
    const jobs = objects.filter((o) => o["kind"] === "Job").map((o) => (o["metadata"] as { name: string }).name);
    expect(jobs).toEqual(expect.arrayContaining(["offboard-export-db-xwiki-db", "offboard-export-db-keycloak-db", "offboard-export-db-synapse-db", "offboard-export-vol-xwiki-data", "offboard-export-verify"]));
  });

  it("have no blocker, and reach their databases and the object store through the policies they bring", async () => {
    const findings = await offboardFindings(objects);
    expect(findings.filter((f) => f.severity === "blocker")).toEqual([]);
    expect(findings.filter((f) => f.rule.startsWith("flow") || f.rule.startsWith("ref-"))).toEqual([]);
  });

  it("without their NetworkPolicies, the check finds the flows denied (the test can fail)", async () => {
    const findings = await offboardFindings(objects.filter((o) => o["kind"] !== "NetworkPolicy"));
    expect(findings.some((f) => f.rule === "flow-peer" && /offboard-export-db-xwiki-db/.test(f.object))).toBe(true);
  });
});
