import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/render";

/**
 * Canaries: a unique marker in every secret-bearing setting (values stored `secure:`, the
 * kubeconfig socle reads), and the recognisable prefix of every secret the render generates
 * (src/render/monitor.ts: `socle-render-secret-<digest>`), in clear and base64-encoded. Every file
 * written, every report and all command output are searched: zero occurrences.
 */
const CANARY = `CANARY${process.pid}x${Date.now().toString(36)}`;
const GENERATED_PREFIX = "socle-render-secret-";

/** A string's base64 forms at the three byte alignments, minus the partial edge characters. */
function base64Forms(s: string): string[] {
  return [0, 1, 2].map((pad) => {
    const enc = Buffer.from("\0".repeat(pad) + s).toString("base64");
    const skip = Math.ceil((pad * 4) / 3) + (pad ? 1 : 0);
    return enc.slice(skip, enc.length - 4);
  });
}

const NEEDLES = [CANARY, GENERATED_PREFIX, ...base64Forms(CANARY), ...base64Forms(GENERATED_PREFIX)];

function allFiles(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(dir, `${rel}${e.name}/`) : [`${rel}${e.name}`]));
}

function socle(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("secret canaries", () => {
  it("appear nowhere: not in state, manifests, DNS records, reports, nor command output", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-canary-"));
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: ${CANARY}-kubeconfig-token\n`);
    const stackFile = join(dir, "Pulumi.canary.yaml");
    writeFileSync(
      stackFile,
      readFileSync(join(ROOT, "stacks/Pulumi.demo.yaml"), "utf8").replace("  socle:existing:\n", `  socle:existing:\n    kubeconfigPath: ${kubeconfig}\n`) +
        `  kubernetes:kubeconfig:\n    secure: v1:${CANARY}-kubernetes-kubeconfig\n  openstack:password:\n    secure: v1:${CANARY}-openstack-password\n  socle-extra:token:\n    secure: ${CANARY}-other-namespace\n`,
    );
    const out = join(dir, "out");
    const render = socle(["render", "canary", "--stack-file", stackFile, "--out", out]);
    expect(render.code, render.out).toBe(0);
    const audit = socle(["audit", join(out, "state.json"), "--out", out, "--today", "2026-01-01"]);
    expect([0, 1], audit.out).toContain(audit.code);
    const written = allFiles(out);
    expect(written).toContain("state.json");
    expect(written).toContain("report.html");
    const leaks: string[] = [];
    for (const [name, text] of [...written.map((f) => [f, readFileSync(join(out, f), "utf8")] as const), ["render output", render.out] as const, ["audit output", audit.out] as const]) {
      for (const needle of NEEDLES) if (text.includes(needle)) leaks.push(`${name}: ${needle}`);
    }
    expect(leaks).toEqual([]);
  }, 300_000);

  it("the search finds a planted canary (the test can fail)", () => {
    expect(NEEDLES.some((n) => `x${Buffer.from(`ab${CANARY}cd`).toString("base64")}`.includes(n))).toBe(true);
    expect(NEEDLES.some((n) => `token: ${CANARY}`.includes(n))).toBe(true);
  });
});
