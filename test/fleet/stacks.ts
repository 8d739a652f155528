import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/**
 * Stack files of a fleet, made from the demo stack (stacks/Pulumi.demo.yaml): a platform (kind platform,
 * no apps) and tenants (kind tenant, their own organization, domain and apps) on it. Used by the fleet
 * tests and the fleet benchmark (bench/fleet.ts).
 */
export function fleetStackFiles(dir: string, platform: string, tenants: readonly { name: string; org: string; apps: readonly string[] }[]): void {
  const demo = readFileSync(join(ROOT, "stacks", "Pulumi.demo.yaml"), "utf8");
  const withApps = (text: string, apps: readonly string[]) =>
    text.replace(/  socle:apps:\n(    - .*\n)+/, apps.length ? `  socle:apps:\n${apps.map((a) => `    - ${a}\n`).join("")}` : "");
  const base = (org: string) => demo.replace("socle:organization: demo", `socle:organization: ${org}`).replace(/demo\.socle\.test/g, `${org}.socle.test`);
  writeFileSync(join(dir, `Pulumi.${platform}.yaml`), withApps(base("hebergeur").replace("socle:kind: dedicated", "socle:kind: platform"), []));
  for (const t of tenants) {
    const text = withApps(base(t.org), t.apps).replace("socle:kind: dedicated", `socle:kind: tenant\n  socle:platformStack: hebergeur/socle/${platform}`);
    writeFileSync(join(dir, `Pulumi.${t.name}.yaml`), text);
  }
}
