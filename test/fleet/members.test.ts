import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fleetOf, platformStacks } from "../../src/fleet/members";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function root(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "socle-fleet-"));
  mkdirSync(join(dir, "stacks"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "stacks", name), text);
  return dir;
}

describe("fleetOf", () => {
  it("lists the stacks whose socle:platformStack names the platform, sorted by byte order", () => {
    const r = root({
      "Pulumi.tenant-b.yaml": "config:\n  socle:kind: tenant\n  socle:platformStack: hebergeur/socle/plateforme\n",
      "Pulumi.Tenant-c.yaml": "config:\n  socle:platformStack: hebergeur/socle/plateforme\n",
      "Pulumi.tenant-a.yaml": "config:\n  socle:platformStack: hebergeur/socle/plateforme\n",
      "Pulumi.other.yaml": "config:\n  socle:platformStack: hebergeur/socle/autre-plateforme\n",
      "Pulumi.prefix.yaml": "config:\n  socle:platformStack: hebergeur/socle/x-plateforme\n",
      "Pulumi.plateforme.yaml": "config:\n  socle:kind: platform\n",
      "Pulumi.broken.yaml": "config: [\n",
      "notes.yaml": "config:\n  socle:platformStack: hebergeur/socle/plateforme\n",
    });
    expect(fleetOf(r, "plateforme")).toEqual(["Tenant-c", "tenant-a", "tenant-b"]);
    expect(fleetOf(r, "autre-plateforme")).toEqual(["other"]);
    expect(fleetOf(r, "nobody")).toEqual([]);
  });

  it("reads another folder when given one", () => {
    const r = root({});
    mkdirSync(join(r, "elsewhere"));
    writeFileSync(join(r, "elsewhere", "Pulumi.t.yaml"), "config:\n  socle:platformStack: o/p/plateforme\n");
    expect(fleetOf(r, "plateforme", join(r, "elsewhere"))).toEqual(["t"]);
  });

  it("skips a FIFO, a folder and an oversized file without blocking, and finds platform stacks the same way", () => {
    const r = root({
      "Pulumi.t.yaml": "config:\n  socle:platformStack: o/p/plateforme\n",
      "Pulumi.plateforme.yaml": "config:\n  socle:kind: platform\n",
      "Pulumi.huge.yaml": `config:\n  socle:platformStack: o/p/plateforme\n#${"x".repeat(2 * 1024 * 1024)}\n`,
    });
    execFileSync("mkfifo", [join(r, "stacks", "Pulumi.fifo.yaml")]);
    mkdirSync(join(r, "stacks", "Pulumi.folder.yaml"));
    expect(fleetOf(r, "plateforme")).toEqual(["t"]);
    expect(platformStacks(r)).toEqual(["plateforme"]);
  });
});
