/**
 * socle's Pod Security evaluator against upstream Pod Security Admission's own fixtures, at every level and
 * policy version upstream ships them for (kubernetes/pod-security-admission test/testdata at v0.37.0-alpha.2;
 * see upstream/SOURCES.md): every `pass` fixture passes and every `fail` fixture fails.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { createPodSecurityCache, evaluatePodSecurity } from "../../../policies/pss";
import type { PssLevel } from "../../../policies/pss";
import type { KubernetesObject } from "../../../policies/types";

const archive = JSON.parse(gunzipSync(readFileSync(join(__dirname, "upstream", "testdata-v0.37.0-alpha.2.json.gz"))).toString("utf8")) as {
  commit: string;
  files: Record<string, string>;
};

describe("upstream Pod Security Admission fixtures (v0.37.0-alpha.2)", () => {
  const entries = Object.entries(archive.files);

  it("holds upstream's fixtures for both levels and every version v1.0 to v1.37", () => {
    expect(archive.commit).toBe("648066d9bc612e44cd1b33ab96187e9ae4588a65");
    expect(entries.length).toBeGreaterThan(4000);
    const versions = new Set(entries.map(([name]) => name.split("/").slice(0, 2).join("/")));
    for (const level of ["baseline", "restricted"]) for (let v = 0; v <= 37; v++) expect(versions.has(`${level}/v1.${v}`), `${level}/v1.${v}`).toBe(true);
  });

  it("agrees on every fixture", () => {
    const disagreements: string[] = [];
    for (const [name, text] of entries) {
      const m = /^(baseline|restricted)\/v1\.(\d+)\/(pass|fail)\/[^/]+\.yaml$/.exec(name);
      if (!m) throw new Error(`unexpected fixture path ${name}`);
      const pod = parse(text) as KubernetesObject;
      const result = evaluatePodSecurity(pod, m[1] as PssLevel, Number(m[2]));
      const passed = result.applies && result.violations.length === 0;
      if (passed !== (m[3] === "pass")) disagreements.push(`${name}: upstream ${m[3]}, socle ${passed ? "pass" : `fail (${result.violations.map((v) => v.message).join("; ")})`}`);
    }
    expect(disagreements).toEqual([]);
  });

  it("gives the same outcome through the audit's structural cache, for each fixture and its copies", () => {
    // The audit evaluates pods of one structure once (policies/pss/index.ts): every fixture, copied three times
    // (three objects, one structure), evaluated at its level and version, then at the other level at latest,
    // must get exactly what it gets alone.
    const cache = createPodSecurityCache();
    const differences: string[] = [];
    for (const [name, text] of entries) {
      const m = /^(baseline|restricted)\/v1\.(\d+)\//.exec(name)!;
      const level = m[1] as PssLevel;
      const other: PssLevel = level === "baseline" ? "restricted" : "baseline";
      const pod = parse(text) as KubernetesObject;
      for (const [l, v] of [[level, Number(m[2])], [other, undefined]] as const) {
        const alone = evaluatePodSecurity(structuredClone(pod), l, v);
        for (let copy = 0; copy < 2; copy++) {
          const shared = evaluatePodSecurity(structuredClone(pod), l, v, cache);
          if (JSON.stringify(shared) !== JSON.stringify(alone)) differences.push(`${name} at ${l} v${v ?? "latest"}`);
        }
      }
    }
    expect(differences).toEqual([]);
    expect(cache.byStructure.size).toBeLessThan(entries.length);
  });
});
