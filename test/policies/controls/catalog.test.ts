import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTROLS, controlById } from "../../../policies/catalog";
import { CONTROLS_DOC_PATH, renderControlsDoc } from "../../../policies/gen-docs";

const CONTROLS_DIR = join(__dirname, "..", "..", "..", "policies", "controls");

/** `controls/<area>/<topic>.ts` files, lib/ excluded. */
function controlFiles(): string[] {
  return readdirSync(CONTROLS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "lib")
    .flatMap((d) => readdirSync(join(CONTROLS_DIR, d.name)).filter((f) => f.endsWith(".ts")).map((f) => join(CONTROLS_DIR, d.name, f)));
}

describe("control catalog", () => {
  it("has one control per file, whose id is snc-<area>-<topic> of its path", async () => {
    const files = controlFiles();
    expect(files.length).toBe(CONTROLS.length);
    for (const file of files) {
      const [area, topic] = relative(CONTROLS_DIR, file).replace(/\.ts$/, "").split("/");
      const mod = (await import(file)) as { control?: { id: string } };
      expect(mod.control?.id, file).toBe(`snc-${area}-${topic}`);
      expect(controlById(`snc-${area}-${topic}`), file).toBe(mod.control);
    }
  });

  it("is sorted by id, without duplicates", () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives every control French and English titles, rationale, remediation and evidence", () => {
    for (const c of CONTROLS) {
      expect(c.title.fr.length, c.id).toBeGreaterThan(10);
      expect(c.title.en.length, c.id).toBeGreaterThan(10);
      expect(c.title.fr, c.id).not.toBe(c.title.en);
      expect(c.rationale.length, c.id).toBeGreaterThan(80);
      expect(c.remediation.length, c.id).toBeGreaterThan(40);
      expect(c.evidence.length, c.id).toBeGreaterThan(0);
    }
  });

  it("claims a verified section only with a source, and a section only inside its chapter", () => {
    for (const c of CONTROLS) {
      if (c.snc.verified) {
        expect(c.snc.section, c.id).toBeDefined();
        expect(c.snc.source, c.id).toMatch(/secnumcloud-3\.2\.yaml/);
        expect(c.snc.source, c.id).toContain(`§${c.snc.section}`);
      } else {
        expect(c.snc.section, c.id).toBeUndefined();
      }
      if (c.snc.section !== undefined) expect(c.snc.section.split(".")[0], c.id).toBe(c.snc.chapter);
    }
  });

  it("covers the required controls", () => {
    for (const id of [
      "snc-cloud-region-allowlist",
      "snc-cloud-eu-jurisdiction",
      "snc-cloud-admin-ports",
      "snc-cloud-encryption-at-rest",
      "snc-cloud-anti-affinity",
      "snc-cloud-provider-attestation",
      "snc-workload-pss-baseline",
      "snc-workload-pss-restricted",
      "snc-network-default-deny",
      "snc-data-backup-schedule",
      "snc-identity-admin-mfa",
      "snc-logs-retention",
    ]) {
      expect(controlById(id), id).toBeDefined();
    }
    expect(controlById("snc-nope")).toBeUndefined();
  });

  it("agrees with docs/controls.md (regenerate with `npx tsx policies/gen-docs.ts`)", () => {
    const onDisk = readFileSync(CONTROLS_DOC_PATH, "utf8");
    expect(onDisk).toBe(renderControlsDoc(CONTROLS));
    for (const c of CONTROLS) {
      const section = onDisk.slice(onDisk.indexOf(`## ${c.id}\n`));
      expect(section, c.id).toContain(`- Title (fr): ${c.title.fr}`);
      expect(section, c.id).toContain(`- Enforcement: ${c.enforcement}`);
      expect(section, c.id).toContain(`- Severity: ${c.severity}`);
    }
  });

  it("keeps every check pure: same input, same results", () => {
    for (const c of CONTROLS) expect(JSON.stringify(c.check([], ctx())), c.id).toBe(JSON.stringify(c.check([], ctx())));
  });
});

const ctx = () => ({ allowedRegions: [], allowedRegistries: [], minLogRetentionDays: 365, declaredLoadBalancers: [], hasStackMetadata: false, today: "2026-01-01" });
