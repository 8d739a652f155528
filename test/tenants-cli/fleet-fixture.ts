import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { registerTenant } from "../../src/cli/tenant";
import { registerUsage } from "../../src/cli/usage";
import { ROOT } from "../helpers/render";

/** The example fleet of issue #10's shared conventions (platform hebergeur-plateforme, tenants a and b), in a fresh project folder. */
export function fleetRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "socle-fleet-"));
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  mkdirSync(join(root, "stacks"));
  writeFileSync(
    join(root, "stacks", "Pulumi.hebergeur-plateforme.yaml"),
    ["config:", "  socle:kind: platform", "  socle:organization: hebergeur", "  socle:organizationName: Hébergeur", "  socle:domain: hebergeur.test", "  socle:target: existing", "  socle:adminCidrs: [192.0.2.0/24]", ""].join("\n"),
  );
  for (const [stack, org, plan] of [["tenant-exemple-a", "tenant-a", "small"], ["tenant-exemple-b", "tenant-b", "medium"]] as const) {
    writeFileSync(
      join(root, "stacks", `Pulumi.${stack}.yaml`),
      [
        "config:",
        "  socle:kind: tenant",
        `  socle:organization: ${org}`,
        `  socle:organizationName: Tenant ${org}`,
        `  socle:domain: ${org}.hebergeur.test`,
        "  socle:target: existing",
        "  socle:platformStack: hebergeur/socle/hebergeur-plateforme",
        "  socle:apps: [identity, wiki, mail]",
        `  socle:sizing: ${plan}`,
        "  socle:adminCidrs: [192.0.2.0/24]",
        "",
      ].join("\n"),
    );
  }
  return root;
}

/** `socle tenant …` / `socle usage …` against a project folder, as bin/socle.js runs them (exit codes included). */
export async function cli(root: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  let code = 0;
  const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) };
  const program = new Command("socle").exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerTenant(program, root, io, (c) => (code = c));
  registerUsage(program, root, io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, out, err };
    throw e;
  }
  return { code, out, err };
}
