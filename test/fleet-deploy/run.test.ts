import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fleet, lines, makeFakePulumi, makeRepo } from "./helpers";

const TENANTS = ["t-a", "t-b", "t-c"];

function journalOf(root: string) {
  return JSON.parse(readFileSync(join(root, "out", "fleet", "plat", "journal.json"), "utf8")) as {
    platform: string;
    operation: string;
    tenants: Record<string, { status: string; error?: string }>;
  };
}

/** The largest number of tenants the fake saw running at once, from its start/end lines. */
function maxOverlap(events: string[]): number {
  let now = 0;
  let max = 0;
  for (const e of events) {
    now += e.startsWith("start ") ? 1 : -1;
    max = Math.max(max, now);
  }
  return max;
}

describe("socle fleet preview|up through the Automation API (fake pulumi CLI)", () => {
  it("up: every tenant of the platform, through its own workspace and the self-managed backend; journal and logs", async () => {
    const root = makeRepo(TENANTS);
    const fake = makeFakePulumi();
    const r = await fleet(root, ["up", "--platform", "plat", "--backend", "file:///var/lib/socle/state", "--pulumi-root", fake]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = journalOf(root);
    expect(j).toEqual({ socle: 1, platform: "plat", operation: "up", tenants: { "t-a": { status: "done" }, "t-b": { status: "done" }, "t-c": { status: "done" } } });
    const calls = lines(join(fake, "calls.log"));
    // The CLI is looked up once per run, each stack is created (absent from the backend) then updated in the repository.
    expect(calls.filter((c) => c.startsWith("version"))).toHaveLength(1);
    for (const t of TENANTS) {
      expect(calls.some((c) => c.startsWith(`stack init ${t} --secrets-provider passphrase`))).toBe(true);
      expect(calls.some((c) => c.startsWith("up --yes --skip-preview") && c.includes(`--stack ${t} `))).toBe(true);
    }
    expect(calls.some((c) => c.includes("elsewhere"))).toBe(false);
    for (const c of calls.filter((c) => !c.startsWith("version"))) {
      expect(c).toContain("backend=file:///var/lib/socle/state");
      expect(c.endsWith(`cwd=${root}`) || c.includes(`cwd=${root}`)).toBe(true);
    }
    const log = readFileSync(join(root, "out", "fleet", "plat", "logs", "t-b.log"), "utf8");
    expect(log).toContain("Previewing update (t-b)");
    expect(log).toContain("succeeded: succeeded: create 1, same 7");
    expect(r.out).toContain("3 done, 0 failed, 0 not run");
  });

  it("preview: the change summary comes from the engine's event log", async () => {
    const root = makeRepo(["t-a"]);
    const fake = makeFakePulumi();
    const r = await fleet(root, ["preview", "--backend", "file:///state", "--pulumi-root", fake, "--platform", "plat"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("t-a: done: create 2, same 5");
    expect(lines(join(fake, "calls.log")).some((c) => c.startsWith("preview ") && c.includes("--event-log "))).toBe(true);
  });

  it("one tenant fails: the others still run, exit 1, the journal says which; --resume runs only that one", async () => {
    const root = makeRepo(TENANTS);
    const fake = makeFakePulumi();
    writeFileSync(join(fake, "fail"), "t-b\n");
    const args = ["up", "--platform", "plat", "--backend", "file:///state", "--pulumi-root", fake, "--concurrency", "1"];
    const r = await fleet(root, args);
    expect(r.code).toBe(1);
    const j = journalOf(root);
    expect(j.tenants["t-a"]).toEqual({ status: "done" });
    expect(j.tenants["t-c"]).toEqual({ status: "done" });
    expect(j.tenants["t-b"].status).toBe("failed");
    expect(j.tenants["t-b"].error).toContain("Deployment (t-b-wiki) failed: timed out");
    expect(readFileSync(join(root, "out", "fleet", "plat", "logs", "t-b.log"), "utf8")).toContain("failed");
    expect(r.out).toContain("--resume");

    writeFileSync(join(fake, "fail"), "");
    writeFileSync(join(fake, "events.log"), "");
    const again = await fleet(root, [...args, "--resume"]);
    expect(again.code).toBe(0);
    expect(lines(join(fake, "events.log"))).toEqual(["start t-b", "end t-b"]);
    expect(Object.values(journalOf(root).tenants).map((e) => e.status)).toEqual(["done", "done", "done"]);
    // Logs of the tenants done in the first run are kept.
    for (const t of TENANTS) expect(existsSync(join(root, "out", "fleet", "plat", "logs", `${t}.log`)), t).toBe(true);
  });

  it("resume after an interruption (SIGINT) runs only the tenants not done", async () => {
    const root = makeRepo(TENANTS);
    const fake = makeFakePulumi();
    writeFileSync(join(fake, "delay-t-b"), "30");
    const args = ["up", "--platform", "plat", "--backend", "file:///state", "--pulumi-root", fake, "--concurrency", "1"];
    const before = process.listeners("SIGINT");
    const running = fleet(root, args);
    const deadline = Date.now() + 20_000;
    while (!lines(join(fake, "events.log")).includes("start t-b")) {
      if (Date.now() > deadline) throw new Error("the fake never started t-b");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(journalOf(root).tenants["t-b"]).toEqual({ status: "running" });
    // The run's own SIGINT handler, called as the signal would (emitting SIGINT would also reach the test runner's).
    const added = process.listeners("SIGINT").filter((l) => !before.includes(l) && l.name === "onSigint");
    expect(added).toHaveLength(1);
    (added[0] as () => void)();
    const r = await running;
    expect(r.code).toBe(1);
    expect(lines(join(fake, "events.log"))).toContain("interrupted t-b");
    const j = journalOf(root);
    expect(j.tenants).toEqual({ "t-a": { status: "done" }, "t-b": { status: "pending" }, "t-c": { status: "pending" } });

    writeFileSync(join(fake, "delay-t-b"), "0.1");
    writeFileSync(join(fake, "events.log"), "");
    const resumed = await fleet(root, [...args, "--resume"]);
    expect(resumed.code).toBe(0);
    expect(lines(join(fake, "events.log")).filter((e) => e.startsWith("start "))).toEqual(["start t-b", "start t-c"]);
    expect(resumed.out).toContain("1 already done (skipped)");
  }, 30_000);

  it("respects the concurrency bound, and uses it", async () => {
    const tenants = ["t1", "t2", "t3", "t4", "t5", "t6"];
    const root = makeRepo(tenants);
    const fake = makeFakePulumi();
    writeFileSync(join(fake, "delay"), "0.4");
    const r = await fleet(root, ["up", "--platform", "plat", "--backend", "file:///state", "--pulumi-root", fake, "--concurrency", "2"]);
    expect(r.code).toBe(0);
    const events = lines(join(fake, "events.log"));
    expect(events.filter((e) => e.startsWith("start "))).toHaveLength(6);
    expect(maxOverlap(events)).toBe(2);
  }, 30_000);

  it("refuses Pulumi Cloud, a missing backend, a bad concurrency, a missing journal: exit 2, nothing run or written", async () => {
    const root = makeRepo(TENANTS);
    const fake = makeFakePulumi();
    const base = ["up", "--platform", "plat", "--pulumi-root", fake];
    const saved = process.env.PULUMI_BACKEND_URL;
    delete process.env.PULUMI_BACKEND_URL;
    try {
      for (const [extra, message] of [
        [["--backend", "https://api.pulumi.com"], "US-hosted"],
        [["--backend", "https://app.pulumi.com/acme"], "US-hosted"],
        [["--backend", "s3://bucket"], "endpoint="],
        [["--backend", "gs://bucket"], "US-hosted"],
        [[], "no state backend"],
        [["--backend", "file:///s", "--concurrency", "0"], "--concurrency"],
        [["--backend", "file:///s", "--secrets-provider", "awskms://alias/x"], "not allowed"],
        [["--backend", "file:///s", "--resume"], "no journal"],
      ] as const) {
        const r = await fleet(root, [...base, ...extra]);
        expect(r.code, extra.join(" ")).toBe(2);
        expect(r.err).toContain(message);
        expect(r.err).not.toMatch(/\n\s+at /);
      }
      process.env.PULUMI_BACKEND_URL = "https://api.pulumi.com";
      expect((await fleet(root, base)).code).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.PULUMI_BACKEND_URL;
      else process.env.PULUMI_BACKEND_URL = saved;
    }
    expect(existsSync(join(root, "out"))).toBe(false);
    expect(lines(join(fake, "calls.log"))).toEqual([]);
  });

  it("a platform without tenants, several platforms without --platform, no pulumi CLI: exit 2 with the fix", async () => {
    const root = makeRepo(TENANTS);
    expect((await fleet(root, ["up", "--backend", "file:///s"])).err).toContain("several platform stacks (other-plat, plat)");
    const none = await fleet(root, ["up", "--platform", "t-a", "--backend", "file:///s"]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("has no tenant");
    const noCli = await fleet(root, ["up", "--platform", "plat", "--backend", "file:///s", "--pulumi-root", join(root, "nowhere")]);
    expect(noCli.code).toBe(2);
    expect(noCli.err).toContain("the pulumi CLI cannot be used");
  });
});
