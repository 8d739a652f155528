import { existsSync, readdirSync, readFileSync, statSync, chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../src/tenants/catalog";
import { commitTenantsEdit, editTenantsText, prepareTenantsEdit } from "../../src/tenants/platform-list";
import { ConfigError } from "../../src/config/issues";
import { cli, fleetRoot } from "./fleet-fixture";

/** `socle tenant add` binds the new tenant in its platform's socle:tenants (src/tenants/platform-list.ts). */
const PLATFORM = "hebergeur-plateforme";
const platformFile = (root: string) => join(root, "stacks", `Pulumi.${PLATFORM}.yaml`);
const add = (root: string, name: string, domain: string) => cli(root, ["tenant", "add", name, "--platform", PLATFORM, "--plan", "small", "--domain", domain]);

function withComments(root: string): string {
  const text = "# The hoster's platform (kept by hand)\n" + readFileSync(platformFile(root), "utf8").replace("  socle:kind: platform\n", "  socle:kind: platform # one per region\n");
  writeFileSync(platformFile(root), text);
  return text;
}

describe("socle tenant add and the platform's socle:tenants", () => {
  it("adds the tenant to the platform's list, creating it, keeping every comment and the rest of the file", async () => {
    const root = fleetRoot();
    const before = withComments(root);
    chmodSync(platformFile(root), 0o640);
    const r = await add(root, "mairie-c", "mairie-c.fr");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/hebergeur-plateforme binds mairie-c \(socle:tenants in .*Pulumi\.hebergeur-plateforme\.yaml\)/);
    const after = readFileSync(platformFile(root), "utf8");
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe("  socle:tenants:\n    - mairie-c\n");
    expect(loadStackConfig(root, PLATFORM).tenants).toEqual(["mairie-c"]);
    expect(statSync(platformFile(root)).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(root, "stacks")).filter((f) => f.includes("socle-tmp"))).toEqual([]);
  });

  it("inserts a later tenant in name order, keeping comments inside the list", async () => {
    const root = fleetRoot();
    writeFileSync(platformFile(root), readFileSync(platformFile(root), "utf8") + "  socle:tenants:\n    - alpha # first customer\n    - zulu\n");
    expect((await add(root, "mairie-c", "mairie-c.fr")).code).toBe(0);
    const text = readFileSync(platformFile(root), "utf8");
    expect(text).toContain("    - alpha # first customer\n    - mairie-c\n    - zulu\n");
  });

  it.each([
    ["a string", "  socle:tenants: tenant-exemple-a\n"],
    ["a map", "  socle:tenants:\n    a: tenant-exemple-a\n"],
    ["a list with a number", "  socle:tenants:\n    - 42\n"],
  ])("refuses (exit 2) a list edited by hand into %s, writing nothing", async (_what, tail) => {
    const root = fleetRoot();
    writeFileSync(platformFile(root), readFileSync(platformFile(root), "utf8") + tail);
    const before = readFileSync(platformFile(root), "utf8");
    const stacks = readdirSync(join(root, "stacks")).sort();
    const r = await add(root, "mairie-c", "mairie-c.fr");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/socle:tenants|stack name/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(readFileSync(platformFile(root), "utf8")).toBe(before);
    expect(readdirSync(join(root, "stacks")).sort()).toEqual(stacks);
    expect(existsSync(join(root, "stacks", "Pulumi.mairie-c.yaml"))).toBe(false);
  });

  it("refuses to replace a platform file changed since it was read, leaving it and no temporary file", () => {
    const root = fleetRoot();
    const edit = prepareTenantsEdit(platformFile(root), PLATFORM, "socle", "add", "mairie-c");
    expect(edit.changed).toBe(true);
    const changed = readFileSync(platformFile(root), "utf8") + "  socle:sizing: large\n";
    writeFileSync(platformFile(root), changed);
    expect(() => commitTenantsEdit(edit)).toThrow(/changed while socle was editing it \(socle:tenants\): nothing was written/);
    expect(readFileSync(platformFile(root), "utf8")).toBe(changed);
    expect(readdirSync(join(root, "stacks")).filter((f) => f.includes("socle-tmp"))).toEqual([]);
  });

  it("is a no-op when the list already says so, and removes the key with its last tenant", () => {
    const text = "config:\n  socle:kind: platform\n  socle:organization: h\n  socle:organizationName: H\n  socle:domain: h.test\n  socle:target: existing\n  socle:adminCidrs: [192.0.2.0/24]\n  socle:tenants:\n    - a\n";
    expect(editTenantsText(text, "f.yaml", "p", "socle", "add", "a")).toEqual({ text, changed: false });
    expect(editTenantsText(text, "f.yaml", "p", "socle", "remove", "b")).toEqual({ text, changed: false });
    expect(editTenantsText(text, "f.yaml", "p", "socle", "remove", "a")).toEqual({ text: text.replace("  socle:tenants:\n    - a\n", ""), changed: true });
  });

  it("validates the edited file with the real parser: a tenant list on a tenant stack is refused", () => {
    const tenant = "config:\n  socle:kind: tenant\n  socle:organization: t\n  socle:organizationName: T\n  socle:domain: t.test\n  socle:target: existing\n  socle:platformStack: h/socle/p\n  socle:adminCidrs: [192.0.2.0/24]\n";
    const refusal = (text: string): unknown => {
      try {
        editTenantsText(text, "f.yaml", "t", "socle", "add", "x");
      } catch (e) {
        return e;
      }
      throw new Error("not refused");
    };
    const onTenant = refusal(tenant) as ConfigError;
    expect(onTenant).toBeInstanceOf(ConfigError);
    expect(onTenant.issues.map((i) => i.path)).toEqual(["socle:tenants"]);
    // Not a stack file at all: the real reader refuses it before any edit.
    expect(refusal("config: [1]\n")).toBeInstanceOf(ConfigError);
  });
});
