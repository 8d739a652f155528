import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main";

describe("socle render with a malformed images lock", () => {
  it("exits 2 with the lock's problem and the fix, and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-bad-lock-"));
    const lock = join(dir, "images.lock.yaml");
    writeFileSync(lock, "apiVersion: socle.io/v1\nkind: ImagesLock\nregistry: r\nimages:\n  - name: velero\n    digest: sha256:1234\ncharts: []\n");
    const out: string[] = [];
    const err: string[] = [];
    const prev = process.env.SOCLE_IMAGES_LOCK;
    process.env.SOCLE_IMAGES_LOCK = lock;
    try {
      const code = await main(["render", "demo", "--out", join(dir, "out")], { out: (s) => void out.push(s), err: (s) => void err.push(s) });
      expect(code).toBe(2);
    } finally {
      if (prev === undefined) delete process.env.SOCLE_IMAGES_LOCK;
      else process.env.SOCLE_IMAGES_LOCK = prev;
    }
    const text = err.join("");
    expect(text).toContain("images.lock.yaml");
    expect(text).toMatch(/images\[0\]\.digest.*sha256: followed by 64/);
    expect(text).toMatch(/fix: run `socle images lock`/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
