import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { configChecks } from "../../src/checks";
import { formatConfigError } from "../../src/cli/format";
import { ConfigError, parseConfig } from "../../src/config";
import { parseStackFileText } from "../../src/config/stack-file";
import { ROOT } from "../helpers/render";

/**
 * Generated and mutated stack files: each is accepted, or refused with a ConfigError naming the
 * file and a key path, in a bounded message. Never another exception (which the CLI would print as
 * a stack trace, exit 3), never a hang. Fixed seed: a failure reproduces.
 */

const FILE = "stacks/Pulumi.prop.yaml";
const cidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(16, 20, 24, 28, 32)).map(([a, b, p]) => {
  const base = (((203 << 24) | (a << 16) | (b << 8)) >>> 0) & (p === 32 ? 0xffffffff : (0xffffffff << (32 - p)) >>> 0);
  return `${base >>> 24}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/${p}`;
});
const pool = (flavor: fc.Arbitrary<string>) => fc.record({ name: fc.constantFrom("workers", "big", "w2"), flavor, count: fc.integer({ min: 1, max: 40 }) });

const base = fc.record({
  "socle:kind": fc.constantFrom("dedicated", "platform", "tenant"),
  "socle:organization": fc.constantFrom("demo", "ministere", "org-1"),
  "socle:organizationName": fc.constantFrom("Ministère", "Demo"),
  "socle:domain": fc.constantFrom("demo.socle.test", "ministere.gouv.fr"),
  "socle:target": fc.constantFrom("existing", "openstack", "outscale"),
  "socle:region": fc.constantFrom("r1", "cloudgouv-eu-west-1"),
  "socle:apps": fc.subarray(["identity", "wiki", "docs", "chat", "mail"]),
  "socle:sizing": fc.constantFrom("small", "medium", "large"),
  "socle:adminCidrs": fc.array(cidr, { minLength: 1, maxLength: 4 }),
  "socle:platformStack": fc.constant("org/socle/platform"),
  "socle:openstack": fc.record({
    externalNetwork: fc.constant("ext"),
    qualifiedRegions: fc.constant(["r1"]),
    image: fc.constant("debian-12"),
    controlPlaneFlavor: fc.constant("m1.large"),
    objectStorageEndpoint: fc.constant("https://s3.example.test"),
    workerPools: fc.array(pool(fc.constant("m1.xlarge")), { minLength: 1, maxLength: 3 }),
  }),
  "socle:outscale": fc.record({ objectStorageEndpoint: fc.constant("https://oos.cloudgouv-eu-west-1.outscale.com"), workerPools: fc.array(pool(fc.constant("tinav6.c4r16p1")), { minLength: 1, maxLength: 3 }) }),
});

/** Paths into the generated object a mutation may hit. */
const mutation = fc.record({
  path: fc.array(fc.oneof(fc.constantFrom("socle:openstack", "socle:outscale", "socle:existing", "workerPools", "socle:adminCidrs", "socle:apps", "count", "name", "flavor"), fc.nat(3), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 4 }),
  op: fc.constantFrom("set", "delete"),
  value: fc.oneof(fc.anything({ maxDepth: 3 }), fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null), fc.constant({ secure: "v1:abc" }), cidr, fc.constant("0.0.0.0/1")),
});

function mutate(obj: Record<string, unknown>, m: { path: (string | number)[]; op: string; value: unknown }): void {
  let cur: unknown = obj;
  for (let i = 0; i < m.path.length - 1; i++) {
    if (typeof cur !== "object" || cur === null) return;
    const next = (cur as Record<string | number, unknown>)[m.path[i]!];
    if (typeof next !== "object" || next === null) {
      (cur as Record<string | number, unknown>)[m.path[i]!] = {};
    }
    cur = (cur as Record<string | number, unknown>)[m.path[i]!];
  }
  if (typeof cur !== "object" || cur === null) return;
  const last = m.path[m.path.length - 1]!;
  if (m.op === "delete") delete (cur as Record<string | number, unknown>)[last];
  else (cur as Record<string | number, unknown>)[last] = m.value;
}

type Outcome = { accepted: true; text: string } | { accepted: false };

function validate(text: string): Outcome {
  try {
    const sf = parseStackFileText(text, FILE, "prop", "socle");
    parseConfig(sf.socle, { project: "socle", stack: "prop", file: FILE, lineOf: sf.lineOf }, configChecks);
    return { accepted: true, text };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError: ${(e as Error)?.stack ?? e}`);
    const message = formatConfigError(e, ROOT);
    expect(message.startsWith(`socle: ${FILE}:`)).toBe(true);
    for (const issue of e.issues) expect(issue.path).toMatch(/^(socle:|\(file\)|\(yaml|config$)/);
    expect(message.length).toBeLessThan(20_000);
    return { accepted: false };
  }
}

describe("stack files generated and mutated (fast-check, fixed seed)", () => {
  it("are accepted or refused with a message naming the file and key path; a sample of accepted ones renders", () => {
    const accepted: string[] = [];
    let refused = 0;
    fc.assert(
      fc.property(base, fc.array(mutation, { maxLength: 3 }), fc.boolean(), (cfg, mutations, pruneTargets) => {
        const config: Record<string, unknown> = structuredClone(cfg);
        // Keep one target's settings block (the usual shape), unless pruning is off.
        if (pruneTargets) for (const t of ["openstack", "outscale", "existing"]) if (config["socle:target"] !== t) delete config[`socle:${t}`];
        if (config["socle:kind"] !== "tenant") delete config["socle:platformStack"];
        for (const m of mutations) mutate(config, m);
        const outcome = validate(stringify({ config }));
        if (outcome.accepted) {
          if (accepted.length < 200) accepted.push(outcome.text);
        } else refused++;
      }),
      { seed: 20261130, numRuns: 10_000, endOnFailure: true },
    );
    expect(refused).toBeGreaterThan(1000);
    expect(accepted.length).toBeGreaterThan(20);
    // Render a small sample of the accepted ones for real (the command line, a fresh process each).
    const dir = mkdtempSync(join(tmpdir(), "socle-prop-"));
    for (const [i, text] of [accepted[0]!, accepted[Math.floor(accepted.length / 2)]!].entries()) {
      const file = join(dir, `Pulumi.p${i}.yaml`);
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), "render", `p${i}`, "--stack-file", file, "--out", join(dir, `out${i}`)], { encoding: "utf8", timeout: 120_000 });
      expect(r.status, `${text}\n${r.stderr}`).toBe(0);
    }
  }, 300_000);
});
