import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface GeneratedTenant {
  readonly name: string;
  readonly org: string;
  readonly apps: readonly string[];
}

/**
 * Stack files of a fleet made from the demo stack (`<root>/stacks/Pulumi.demo.yaml`): a platform (kind
 * platform, organization `hebergeur`, no apps) and tenants (kind tenant, their own organization, domain and
 * apps) on it, written into `dir`. For the fleet tests and benchmark (bench/fleet.ts), never for real stacks.
 */
export function writeFleetStackFiles(root: string, dir: string, platform: string, tenants: readonly GeneratedTenant[]): void {
  const demo = readFileSync(join(root, "stacks", "Pulumi.demo.yaml"), "utf8");
  const withApps = (text: string, apps: readonly string[]) =>
    text.replace(/  socle:apps:\n(    - .*\n)+/, apps.length ? `  socle:apps:\n${apps.map((a) => `    - ${a}\n`).join("")}` : "");
  const base = (org: string) => demo.replace("socle:organization: demo", `socle:organization: ${org}`).replace(/demo\.socle\.test/g, `${org}.socle.test`);
  writeFileSync(join(dir, `Pulumi.${platform}.yaml`), withApps(base("hebergeur").replace("socle:kind: dedicated", "socle:kind: platform"), []));
  for (const t of tenants) {
    const text = withApps(base(t.org), t.apps).replace("socle:kind: dedicated", `socle:kind: tenant\n  socle:platformStack: hebergeur/socle/${platform}`);
    writeFileSync(join(dir, `Pulumi.${t.name}.yaml`), text);
  }
}
