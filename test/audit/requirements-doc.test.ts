/** docs/requirements.md's node table is the sizing code's (components/cloud/plan/sizing.ts). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTROL_PLANE_NODES, sizingPlan } from "../../components/cloud/plan/sizing";
import { SIZING_PROFILES } from "../../src/config/schema";
import { ROOT } from "../helpers/render";

describe("docs/requirements.md", () => {
  it("gives each profile's nodes and disks as the sizing plan does", () => {
    const text = readFileSync(join(ROOT, "docs", "requirements.md"), "utf8");
    const block = text.slice(text.indexOf("<!-- sizing-plan:start -->"), text.indexOf("<!-- sizing-plan:end -->"));
    for (const profile of SIZING_PROFILES) {
      const p = sizingPlan(profile);
      expect(block).toContain(`| ${profile} | ${CONTROL_PLANE_NODES} | ${p.controlPlaneDiskGb} | ${p.minWorkers} | ${p.workerDiskGb} | ${p.etcdSnapshots} |`);
    }
  });
});
