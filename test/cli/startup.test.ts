import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { stateExport } from "../audit/fixtures/state";
import { ROOT } from "../helpers/render";

// What a `socle` process loads (bin/socle.js, src/render/preload.js, docs/render.md "Start-up and speed").
// Speed itself is measured by `npm run bench`; these tests keep the structure that makes it possible.

const preload = require("../../src/render/preload.js") as {
  DEFERRED: Record<string, string[]>;
  DEFERRED_ZOD: Record<string, string[]>;
  pruneCache(dir: string, now?: number): void;
};

function run(args: string[]): { code: number | null; stderr: string; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "socle-startup-"));
  const usageFile = join(dir, "usage.json");
  const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, SOCLE_USAGE_FILE: usageFile },
  });
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { modules: string[] };
  return { code: r.status, stderr: r.stderr, modules: usage.modules };
}

const has = (modules: readonly string[], fragment: string) => modules.some((m) => m.includes(fragment));

describe("process start-up", () => {
  it("the deferred SDK modules export exactly the names their forwarding modules forward", () => {
    const sdk = dirname(require.resolve("@pulumi/pulumi/package.json"));
    for (const [rel, names] of Object.entries(preload.DEFERRED)) {
      const real = require(join(sdk, rel)) as Record<string, unknown>;
      const exported = Object.keys(real).filter((k) => k !== "__esModule").sort();
      expect(exported, rel).toEqual([...names].sort());
      for (const n of names) expect(typeof real[n], `${rel} ${n}`).toBe("function");
    }
  });

  it("zod's deferred locales module exports exactly the names its forwarding module forwards, all functions", () => {
    const zod = dirname(require.resolve("zod/package.json"));
    for (const [rel, names] of Object.entries(preload.DEFERRED_ZOD)) {
      const real = require(join(zod, rel)) as Record<string, unknown>;
      const exported = Object.keys(real).filter((k) => k !== "__esModule").sort();
      expect(exported, rel).toEqual([...names].sort());
      for (const n of names) expect(typeof real[n], `${rel} ${n}`).toBe("function");
    }
  });

  it("zod with its locales deferred loads none of them until one is used, then answers as without", () => {
    const script = `
      const preload = require(${JSON.stringify(join(ROOT, "src/render/preload.js"))});
      preload.deferZodLocales();
      const { z } = require("zod");
      const count = () => Object.keys(require.cache).filter((k) => k.includes("/locales/")).length;
      const before = count();
      const english = z.string().safeParse(1).error.issues[0].message;
      const afterParse = count();
      const french = z.locales.fr().localeError({ code: "invalid_type", expected: "string", input: 1 });
      process.stdout.write(JSON.stringify({ before, afterParse, loaded: count() > 2, english, french }));`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { before: number; afterParse: number; loaded: boolean; english: string; french: string };
    // The forwarding module and en.cjs (which zod requires directly) only.
    expect(out.before).toBeLessThanOrEqual(2);
    expect(out.afterParse).toBe(out.before);
    expect(out.english).toBe("Invalid input: expected string, received number");
    expect(out.loaded).toBe(true);
    expect(out.french).toMatch(/^Entrée invalide/);
  });

  it("a forwarding module loads the real one on first call and answers as it does", () => {
    const script = `
      const preload = require(${JSON.stringify(join(ROOT, "src/render/preload.js"))});
      preload.deferClosureSerializer();
      const pulumi = require("@pulumi/pulumi");
      const before = Object.keys(require.cache).some((k) => k.includes("/typescript/"));
      pulumi.runtime.serializeFunction(() => 42).then((s) => {
        const after = Object.keys(require.cache).some((k) => k.includes("/typescript/"));
        process.stdout.write(JSON.stringify({ before, after, text: s.text.includes("42") }));
      });`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ before: false, after: true, text: true });
  });

  it("an audit of a state file loads neither the Pulumi SDK nor the render engine nor the program", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-startup-audit-"));
    const state = join(dir, "state.json");
    writeFileSync(state, JSON.stringify(stateExport()));
    const r = run(["audit", state, "--out", join(dir, "reports"), "--today", "2026-01-01"]);
    expect([0, 1], r.stderr).toContain(r.code);
    expect(has(r.modules, "/policies/catalog.ts")).toBe(true);
    expect(has(r.modules, "/@pulumi/")).toBe(false);
    expect(has(r.modules, "/typescript/")).toBe(false);
    expect(has(r.modules, "/src/render/render.ts")).toBe(false);
    expect(has(r.modules, "/src/program/")).toBe(false);
    expect(has(r.modules, "/cdk8s")).toBe(false);
  });

  it("a render compiles socle's TypeScript once per source text, keeps TypeScript positions, and recompiles an edited file", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-ts-loader-"));
    const cache = join(dir, "cache");
    const file = join(dir, "thrower.ts");
    const script = `
      const preload = require(${JSON.stringify(join(ROOT, "src/render/preload.js"))});
      if (!preload.registerTypeScript(${JSON.stringify(ROOT)})) throw new Error("esbuild not found");
      try { require(${JSON.stringify(file)}).fail(); } catch (err) { process.stdout.write(err.stack); }`;
    const runIt = (cacheDir = cache) => {
      const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SOCLE_TS_CACHE: cacheDir } });
      expect(r.status, r.stderr).toBe(0);
      return { stack: r.stdout, cached: readdirSync(cacheDir).filter((f) => f.endsWith(".js")) };
    };
    writeFileSync(file, `interface Shape { readonly n: number }\nconst shape: Shape = { n: 1 };\n\nexport function fail(): never {\n  throw new Error("failed at line five " + shape.n);\n}\n`);
    const first = runIt();
    expect(first.stack).toContain("failed at line five 1");
    expect(first.stack).toContain(`${file}:5:`);
    expect(first.cached).toHaveLength(1);
    // Same source: the cached compilation is used (the cache entry is not rewritten).
    const entry = join(cache, first.cached[0]!);
    const mtime = statSync(entry).mtimeMs;
    expect(runIt().cached).toEqual(first.cached);
    expect(statSync(entry).mtimeMs).toBe(mtime);
    // An edited source is compiled again, whatever the cache holds.
    writeFileSync(file, readFileSync(file, "utf8").replace("line five", "line five, edited"));
    const edited = runIt();
    expect(edited.stack).toContain("failed at line five, edited 1");
    expect(edited.cached).toHaveLength(2);
    // A cache folder others may write to is not used: what it holds would run as code.
    const shared = join(dir, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const unshared = runIt(shared);
    expect(unshared.stack).toContain("failed at line five, edited 1");
    expect(unshared.cached).toEqual([]);
  });

  it("a render's npm dependencies run through V8's code cache: the same module behaviour, data written once, bad data rejected", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-code-cache-"));
    const cache = join(dir, "cache");
    const pkg = join(dir, "node_modules", "pkg");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "other.js"), `module.exports = "other";\n`);
    // A file that may import() is left to Node's own loader (code cache data would lose its import callback).
    writeFileSync(join(pkg, "dynamic.js"), `exports.dynamic = () => import("node:path").then((m) => typeof m.join);\n`);
    writeFileSync(
      join(pkg, "index.js"),
      [
        `"use strict";`,
        `exports.self = this === module.exports;`,
        `exports.where = [__filename, __dirname];`,
        `exports.other = require("./other");`,
        `exports.resolved = require.resolve("./other");`,
        `exports.cached = require.cache[__filename] === module;`,
        `exports.dynamic = require("./dynamic").dynamic;`,
        `exports.fail = () => { throw new Error("failed at line eight"); };`,
      ].join("\n") + "\n",
    );
    const script = `
      const preload = require(${JSON.stringify(join(ROOT, "src/render/preload.js"))});
      if (!preload.useCodeCache()) throw new Error("no code cache");
      const m = require(${JSON.stringify(join(pkg, "index.js"))});
      let stack = ""; try { m.fail(); } catch (err) { stack = err.stack; }
      m.dynamic().then((d) => process.stdout.write(JSON.stringify({ self: m.self, where: m.where, other: m.other, resolved: m.resolved, cached: m.cached, dynamic: d, stack })));`;
    const runIt = () => {
      const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SOCLE_TS_CACHE: cache } });
      expect(r.status, r.stderr).toBe(0);
      return { out: JSON.parse(r.stdout) as Record<string, unknown>, data: readdirSync(cache).filter((f) => f.startsWith("v8-")) };
    };
    const first = runIt();
    expect(first.out).toMatchObject({ self: true, where: [join(pkg, "index.js"), pkg], other: "other", resolved: join(pkg, "other.js"), cached: true, dynamic: "function" });
    expect(String(first.out.stack)).toContain(`${join(pkg, "index.js")}:8:`);
    expect(first.data).toHaveLength(2); // index.js and other.js (not dynamic.js), written at exit
    // Accepted data is not written again.
    const entry = join(cache, first.data[0]!);
    const mtime = statSync(entry).mtimeMs;
    expect(runIt().out).toEqual(first.out);
    expect(statSync(entry).mtimeMs).toBe(mtime);
    // Data V8 rejects (here: garbage) costs a compilation and is written again; the module behaves the same.
    for (const f of first.data) writeFileSync(join(cache, f), "not V8 code cache data");
    const rejected = runIt();
    expect(rejected.out).toEqual(first.out);
    expect(readFileSync(entry).toString("utf8")).not.toBe("not V8 code cache data");
  });

  it("a render writes the same bytes with V8's code cache as without it", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-code-cache-render-"));
    const render = (out: string, env: Record<string, string>) => {
      const r = spawnSync(process.execPath, [join(ROOT, "bin/socle.js"), "render", "demo", "--out", join(dir, out)], { cwd: ROOT, encoding: "utf8", env: { ...process.env, SOCLE_TS_CACHE: join(dir, "cache"), ...env } });
      expect(r.status, r.stderr).toBe(0);
      const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)).map((f) => `${e.name}/${f}`) : [e.name])).sort();
      return files(join(dir, out)).map((f) => [f, readFileSync(join(dir, out, f), "utf8")]);
    };
    const without = render("without", { SOCLE_NO_CODE_CACHE: "1" });
    render("cold", {});
    expect(readdirSync(join(dir, "cache")).some((f) => f.startsWith("v8-"))).toBe(true);
    expect(render("warm", {})).toEqual(without);
  });

  it("the compile cache is pruned at most once a day, of its own entries older than 30 days only", () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-prune-"));
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    const hex = (c: string) => c.repeat(64);
    const files: Record<string, number> = {
      [`${hex("a")}.js`]: 31, // compiled source, unused for 31 days: removed
      [`${hex("b")}.js`]: 29, // 29 days: kept
      [`v8-${hex("c")}.bin`]: 40, // V8 code cache, 40 days: removed
      [`${hex("d")}.js.1234.tmp`]: 2, // partial write of a dead process: removed after a day
      [`${hex("e")}.js.1234.tmp`]: 0.5, // a write maybe in progress: kept
      "notes.txt": 400, // not the cache's: never removed
      [`${hex("f")}.js.bak`]: 400,
    };
    for (const [name, age] of Object.entries(files)) {
      writeFileSync(join(dir, name), "x");
      utimesSync(join(dir, name), (now - age * day) / 1000, (now - age * day) / 1000);
    }
    preload.pruneCache(dir, now);
    expect(readdirSync(dir).sort()).toEqual([".pruned", `${hex("b")}.js`, `${hex("e")}.js.1234.tmp`, `${hex("f")}.js.bak`, "notes.txt"].sort());
    // Stamped: another process within the day removes nothing, even an entry old enough.
    writeFileSync(join(dir, `${hex("9")}.js`), "x");
    utimesSync(join(dir, `${hex("9")}.js`), (now - 100 * day) / 1000, (now - 100 * day) / 1000);
    const fresh = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(join(ROOT, "src/render/preload.js"))}).pruneCache(${JSON.stringify(dir)}, ${now + day / 2})`]);
    expect(fresh.status).toBe(0);
    expect(readdirSync(dir)).toContain(`${hex("9")}.js`);
    // A day later, it is pruned again.
    const later = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(join(ROOT, "src/render/preload.js"))}).pruneCache(${JSON.stringify(dir)}, ${now + 2 * day})`]);
    expect(later.status).toBe(0);
    expect(readdirSync(dir)).not.toContain(`${hex("9")}.js`);
  });

  it("a render loads neither TypeScript nor the closure serializer's package tooling nor the audit", () => {
    const out = join(mkdtempSync(join(tmpdir(), "socle-startup-render-")), "out");
    const r = run(["render", "demo", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(has(r.modules, "/@pulumi/pulumi/index.js")).toBe(true);
    expect(has(r.modules, "/typescript/")).toBe(false);
    expect(has(r.modules, "/@npmcli/arborist/")).toBe(false);
    expect(has(r.modules, "/src/audit/command.ts")).toBe(false);
    expect(has(r.modules, "/policies/catalog.ts")).toBe(false);
    // socle's TypeScript is loaded without tsx's hooks (src/render/preload.js, registerTypeScript).
    expect(has(r.modules, "/src/render/render.ts")).toBe(true);
    expect(has(r.modules, "/tsx/dist/")).toBe(false);
  });
});
