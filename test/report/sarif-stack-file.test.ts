/** SARIF locates deployment-level findings of a stack input in the stack file, at the setting's line. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { settingLines } from "../../src/audit/stack-settings";
import { renderSarif } from "../../src/report/sarif";
import { ROOT } from "../helpers/render";
import { stateReport } from "./fixture";

const STACK = join(ROOT, "stacks", "Pulumi.ministere-exemple-outscale.yaml");

describe("settings of the stack file", () => {
  it("finds the line of a setting, else of its closest parent; nothing for what the file does not set", () => {
    const lines = settingLines(STACK, ["socle.provider.qualificationExpires", "socle.provider.nonsense", "socle.provider", "socle.registryMirror", "socle.acmeServer", "apps.wiki"]);
    expect(lines.get("socle.provider.qualificationExpires")).toBe(39);
    expect(lines.get("socle.provider.nonsense")).toBe(36); // the closest setting the file writes: socle:provider
    expect(lines.get("socle.provider")).toBe(36);
    expect(lines.get("socle.registryMirror")).toBe(12);
    expect(lines.has("socle.acmeServer")).toBe(false);
    expect(lines.has("apps.wiki")).toBe(false);
    expect(settingLines(join(ROOT, "no-such-file.yaml"), ["socle.provider"]).size).toBe(0);
  });

  it("SARIF points such a finding at the stack file", async () => {
    const report = await stateReport();
    const target = report.findings.find((f) => f.status === "fail")!;
    const findings = report.findings.map((f) => (f === target ? { ...f, path: "socle.provider.qualificationExpires" } : f));
    const sarif = JSON.parse(renderSarif({ ...report, findings, stackSettings: { file: "stacks/Pulumi.prod.yaml", lines: new Map([["socle.provider.qualificationExpires", 36]]) } }));
    const located = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation);
    expect(located).toContainEqual({ artifactLocation: { uri: "stacks/Pulumi.prod.yaml" }, region: { startLine: 36 } });
    expect(located.filter((l: any) => l.artifactLocation.uri === "stacks/Pulumi.prod.yaml")).toHaveLength(1);
  });
});

describe("socle audit <stack>", () => {
  it("passes the stack file's setting lines to SARIF", async () => {
    const { tempFiles } = await import("../audit/helpers");
    const { runAuditCommand } = await import("../../src/audit/command");
    const { control } = await import("../../policies/controls/cloud/provider-attestation");
    const { readFileSync } = await import("node:fs");
    const socle = { kind: "dedicated", target: "existing", region: "on-premises", allowedRegions: ["on-premises"], allowedRegistries: [], declaredLoadBalancers: [] };
    const dir = tempFiles({
      "stacks/Pulumi.prod.yaml": "config:\n  socle:kind: dedicated\n  socle:provider:\n    name: x\n",
      "rendered/state.json": { version: 3, deployment: { resources: [{ urn: "urn:pulumi:prod::socle::pulumi:pulumi:Stack::socle-prod", custom: false, type: "pulumi:pulumi:Stack", outputs: { socle } }, { urn: "urn:pulumi:prod::socle::kubernetes:core/v1:ConfigMap::cm", custom: true, id: "ns/cm", type: "kubernetes:core/v1:ConfigMap", inputs: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "ns" } }, outputs: {} }] } },
    });
    await runAuditCommand({
      input: "prod",
      formats: ["sarif"],
      outDir: join(dir, "out"),
      today: "2026-01-01",
      controls: [control],
      projectDir: dir,
      renderStack: async () => join(dir, "rendered", "state.json"),
      log: () => {},
    });
    const sarif = JSON.parse(readFileSync(join(dir, "out", "report.sarif"), "utf8"));
    const r = sarif.runs[0].results.find((x: any) => x.properties.path === "socle.provider");
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/stacks\/Pulumi\.prod\.yaml$/);
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 3 });
  });
});
