/**
 * The policy pack is standalone (policies/ imports nothing outside itself and declares its own dependencies)
 * and loads as Pulumi's policy runner loads it: `pulumi-analyzer-policy` runs
 * `node @pulumi/pulumi/cmd/run-policy-pack <engine address> <pack dir>` in the pack's folder
 * (node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js and run.js: ts-node, then `require(<pack dir>)`,
 * which resolves package.json `main`); the PolicyPack reads `package.json` there and serves gRPC, printing its port
 * (node_modules/@pulumi/policy/policy.js and server.js). The test asks the running pack for its analyzer info.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CONTROLS } from "../../policies/catalog";
import { ROOT } from "../helpers/render";

const PACK = join(ROOT, "policies");
const pkg = JSON.parse(readFileSync(join(PACK, "package.json"), "utf8")) as { main?: string; version?: string; dependencies?: Record<string, string> };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name.startsWith(".")) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.[cm]?[jt]s$/.test(name) ? [path] : [];
  });
}

/** Every module specifier of a file: static imports and re-exports, require() and import(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const re of [/\bfrom\s+["']([^"']+)["']/g, /\bimport\s+["']([^"']+)["']/g, /\brequire\(\s*["']([^"']+)["']\s*\)/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g]) {
    for (const m of text.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

const packageName = (spec: string) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);

describe("the policy pack is standalone", () => {
  it("declares its entry point and dependencies", () => {
    expect(pkg.main).toBe("index.ts");
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    for (const [name, version] of Object.entries(pkg.dependencies ?? {})) expect(root.dependencies[name], `${name} pinned as in the root package.json`).toBe(version);
  });

  it("imports nothing outside policies/ and only packages it declares", () => {
    const problems: string[] = [];
    const files = sources(PACK);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, "utf8"))) {
        const where = relative(ROOT, file);
        if (spec.startsWith(".")) {
          const target = resolve(dirname(file), spec);
          if (relative(PACK, target).startsWith("..")) problems.push(`${where} imports ${spec}, outside policies/`);
        } else if (spec.startsWith("node:") || builtinModules.includes(spec)) {
          continue;
        } else if (!(packageName(spec) in (pkg.dependencies ?? {}))) {
          problems.push(`${where} imports ${spec}, not a dependency of policies/package.json`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("the checker does catch an import from outside", () => {
    expect(specifiers('import { x } from "../src/audit/inputs/context";\nconst y = require("yaml");')).toEqual(["../src/audit/inputs/context", "yaml"]);
  });
});

describe("the policy pack under Pulumi's policy runner", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGTERM");
  });

  it("starts, serves gRPC and lists one policy per control", async () => {
    const runner = join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
    child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: PACK, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const port = await new Promise<number>((done, fail) => {
      let out = "";
      child!.stdout!.on("data", (d) => {
        out += d;
        const m = /^(\d+)\n/.exec(out);
        if (m) done(Number(m[1]));
      });
      child!.on("exit", (code) => fail(new Error(`the pack exited (${code}) before serving: ${stderr}`)));
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const grpc = require("@grpc/grpc-js");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const info = await new Promise<{ getName(): string; getVersion(): string; getPoliciesList(): { getName(): string }[] }>((done, fail) =>
      client.getAnalyzerInfo(new Empty(), (err: Error | null, reply: never) => (err ? fail(err) : done(reply))),
    );
    client.close();
    expect(info.getName()).toBe("socle-secnumcloud");
    expect(info.getVersion()).toBe(pkg.version);
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual(CONTROLS.map((c) => c.id));
  }, 180_000);
});
