import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCK_FILE, MARKER_FILE, OutputError, writeOwnedFiles } from "../../src/render/output-dir";
import { main } from "../../src/cli/main";
import { ROOT } from "../helpers/render";

const BIN = join(ROOT, "bin/socle.js");

function socle(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function socleAsync(args: string[], cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => done({ code, stdout, stderr }));
  });
}

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), `socle-safety-${prefix}-`));
const NO_TRACE = /\n\s+at .*:\d+:\d+/;

function tree(dir: string, rel = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? [`${rel}${e.name}/`, ...tree(join(dir, e.name), `${rel}${e.name}/`)] : [`${rel}${e.name}`]))
    .sort();
}

describe("output folders socle owns (writeOwnedFiles)", () => {
  it("creates the folder with its marker and replaces only its own files", () => {
    const out = join(tmp("own"), "out");
    writeOwnedFiles(out, "render", [["a.txt", "1"], ["sub/b.txt", "2"]]);
    expect(tree(out)).toEqual([MARKER_FILE, "a.txt", "sub/", "sub/b.txt"]);
    writeFileSync(join(out, "mine.txt"), "the operator's");
    writeFileSync(join(out, "sub", "notes.txt"), "the operator's too");
    writeOwnedFiles(out, "render", [["a.txt", "3"]]);
    // b.txt was socle's and is no longer produced: removed; the operator's files stay.
    expect(tree(out)).toEqual([MARKER_FILE, "a.txt", "mine.txt", "sub/", "sub/notes.txt"]);
    expect(readFileSync(join(out, "a.txt"), "utf8")).toBe("3");
    expect(JSON.parse(readFileSync(join(out, MARKER_FILE), "utf8")).files).toEqual({ render: ["a.txt"] });
  });

  it("keeps the files of the other writer (a render beside an audit's reports)", () => {
    const out = join(tmp("two"), "out");
    writeOwnedFiles(out, "render", [["state.json", "{}"]]);
    writeOwnedFiles(out, "audit", [["report.md", "# r"]]);
    writeOwnedFiles(out, "render", [["state.json", "{ }"]]);
    expect(tree(out)).toEqual([MARKER_FILE, "report.md", "state.json"]);
    expect(() => writeOwnedFiles(out, "audit", [["state.json", "x"]])).toThrow(/written by socle render/);
  });

  it("refuses an existing folder it did not create, unless forced, and then deletes nothing else", () => {
    const out = tmp("foreign");
    mkdirSync(join(out, ".git"));
    writeFileSync(join(out, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(out, "README"), "keep me");
    expect(() => writeOwnedFiles(out, "render", [["a.txt", "1"]])).toThrow(OutputError);
    expect(() => writeOwnedFiles(out, "render", [["a.txt", "1"]])).toThrow(/was not created by socle .*--force/);
    expect(tree(out)).toEqual([".git/", ".git/HEAD", "README"]);
    writeOwnedFiles(out, "render", [["a.txt", "1"]], { force: true });
    writeOwnedFiles(out, "render", [["b.txt", "1"]]);
    expect(tree(out)).toEqual([".git/", ".git/HEAD", MARKER_FILE, "README", "b.txt"]);
  });

  it("refuses a file where the folder should be, and a folder where a file should be", () => {
    const base = tmp("file");
    writeFileSync(join(base, "out"), "a file");
    expect(() => writeOwnedFiles(join(base, "out"), "render", [["a", "1"]])).toThrow(/exists and is not a folder/);
    expect(readFileSync(join(base, "out"), "utf8")).toBe("a file");
    expect(() => writeOwnedFiles(join(base, "out", "sub"), "render", [["a", "1"]])).toThrow(/is not a folder/);
    const out = join(base, "o2");
    writeOwnedFiles(out, "audit", [["report.md", "x"]]);
    mkdirSync(join(out, "report.json"));
    expect(() => writeOwnedFiles(out, "audit", [["report.md", "y"], ["report.json", "{}"]])).toThrow(/report\.json, which is not a regular file/);
    expect(readFileSync(join(out, "report.md"), "utf8")).toBe("x");
  });

  it("refuses a dangling or looping symbolic link as the folder", () => {
    const base = tmp("link");
    symlinkSync(join(base, "nowhere"), join(base, "dangling"));
    symlinkSync(join(base, "loop"), join(base, "loop"));
    expect(() => writeOwnedFiles(join(base, "dangling"), "render", [["a", "1"]])).toThrow(/symbolic link to nothing/);
    expect(() => writeOwnedFiles(join(base, "loop"), "render", [["a", "1"]])).toThrow(OutputError);
  });

  it("refuses an output that would contain a protected path", () => {
    const base = tmp("guard");
    writeFileSync(join(base, "Pulumi.x.yaml"), "config: {}\n");
    expect(() => writeOwnedFiles(base, "render", [["a", "1"]], { protect: [{ path: join(base, "Pulumi.x.yaml"), what: "the stack file" }] })).toThrow(
      /would contain the stack file/,
    );
    expect(() => writeOwnedFiles("/", "render", [["a", "1"]])).toThrow(/root of the file system/);
  });

  it("never deletes outside the folder, whatever its marker lists", () => {
    const base = tmp("marker");
    const out = join(base, "out");
    writeOwnedFiles(out, "render", [["a", "1"]]);
    writeFileSync(join(base, "victim"), "v");
    writeFileSync(join(out, MARKER_FILE), JSON.stringify({ socle: 1, files: { render: ["../victim", "/etc/hostname", "a"] } }));
    writeOwnedFiles(out, "render", [["b", "2"]]);
    expect(readFileSync(join(base, "victim"), "utf8")).toBe("v");
    expect(tree(out)).toEqual([MARKER_FILE, "b"]);
  });

  it("waits for the lock, takes over a stale one and fails cleanly when it is held too long", () => {
    const out = join(tmp("lock"), "out");
    writeOwnedFiles(out, "render", [["a", "1"]]);
    // A lock of a process that no longer exists on this host is stale.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: dead, host: require("node:os").hostname() }));
    writeOwnedFiles(out, "render", [["a", "2"]]);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    // A lock of a live process (this one) is waited for, then refused.
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: process.pid, host: require("node:os").hostname() }));
    expect(() => writeOwnedFiles(out, "render", [["a", "3"]], { lockWaitMs: 300 })).toThrow(/in use by another socle run/);
    expect(readFileSync(join(out, "a"), "utf8")).toBe("2");
    // A lock path that is no lock file is refused at once, not waited for.
    rmSync(join(out, LOCK_FILE));
    mkdirSync(join(out, LOCK_FILE));
    expect(() => writeOwnedFiles(out, "render", [["a", "4"]], { lockWaitMs: 60_000 })).toThrow(/is not a regular file/);
  });
});

describe("socle render and socle audit write only where socle owns the folder", () => {
  it("refuses --out . and --out .. (they would contain the repository), deleting nothing", () => {
    const before = readdirSync(ROOT).sort();
    for (const out of [".", ".."]) {
      const r = socle(["render", "demo", "--out", out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/would contain the socle repository/);
      expect(r.stderr).not.toMatch(NO_TRACE);
    }
    expect(readdirSync(ROOT).sort()).toEqual(before);
  });

  it("refuses --out . in a folder that is not socle's, and a stack named .. or with 300 characters", async () => {
    const dir = tmp("cwd");
    writeFileSync(join(dir, "keep.txt"), "k");
    const r = socle(["render", "demo", "--out", "."], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/would contain the working directory/);
    for (const name of ["..", ".", "a/b", "x".repeat(300)]) {
      let err = "";
      const code = await main(["render", name], { out: () => undefined, err: (t) => (err += t) });
      expect(code, name).toBe(2);
      expect(err).toMatch(/stack name/);
      expect(err.length).toBeLessThan(400);
    }
    expect(readdirSync(dir)).toEqual(["keep.txt"]);
  });

  it("refuses a file where the output folder should be, and a GitOps checkout, keeping them", () => {
    const dir = tmp("cli");
    writeFileSync(join(dir, "out"), "a file");
    let r = socle(["render", "demo", "--out", join(dir, "out")]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/exists and is not a folder/);
    expect(readFileSync(join(dir, "out"), "utf8")).toBe("a file");
    const git = join(dir, "gitops");
    mkdirSync(join(git, ".git"), { recursive: true });
    writeFileSync(join(git, ".git", "config"), "[core]\n");
    r = socle(["render", "demo", "--out", git]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/was not created by socle/);
    r = socle(["audit", join(ROOT, "test/policies/fixtures"), "--out", git]);
    expect(r.code).toBe(2);
    expect(tree(git)).toEqual([".git/", ".git/config"]);
  });

  it("serializes four renders into one folder, then a render beside an audit, without losing a file", async () => {
    const out = join(tmp("concurrent"), "out");
    const renders = await Promise.all([1, 2, 3, 4].map(() => socleAsync(["render", "demo", "--out", out])));
    for (const r of renders) expect(r.code, r.stderr).toBe(0);
    const rendered = tree(out);
    expect(rendered).toContain("state.json");
    expect(rendered).not.toContain(LOCK_FILE);
    const [render, audit] = await Promise.all([
      socleAsync(["render", "demo", "--out", out]),
      socleAsync(["audit", join(out, "state.json"), "--out", out, "--format", "md,json", "--today", "2026-01-01"]),
    ]);
    expect(render.code, render.stderr).toBe(0);
    expect([0, 1], audit.stderr).toContain(audit.code);
    const after = tree(out);
    expect(after).toEqual([...rendered, "report.json", "report.md"].sort());
    expect(after.some((f) => f.includes(".socle-tmp-") || f.includes("socle-new"))).toBe(false);
  }, 240_000);
});
