import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { registerFleetDeploy, type EngineFactory } from "../../src/cli/fleet-deploy";

export const ROOT = join(__dirname, "..", "..");

/** A repository with a platform stack `plat`, tenants on it, and one stack on another platform. */
export function makeRepo(tenants: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), "socle-fleet-deploy-"));
  mkdirSync(join(root, "stacks"));
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  writeFileSync(join(root, "stacks", "Pulumi.plat.yaml"), "config:\n  socle:kind: platform\n  socle:organization: hebergeur\n");
  writeFileSync(join(root, "stacks", "Pulumi.other-plat.yaml"), "config:\n  socle:kind: platform\n  socle:organization: autre\n");
  for (const t of tenants) {
    writeFileSync(join(root, "stacks", `Pulumi.${t}.yaml`), `config:\n  socle:kind: tenant\n  socle:platformStack: hebergeur/socle/plat\n  socle:organization: ${t}\n`);
  }
  writeFileSync(join(root, "stacks", "Pulumi.elsewhere.yaml"), "config:\n  socle:kind: tenant\n  socle:platformStack: autre/socle/other-plat\n");
  return root;
}

/** A fake Pulumi installation: <dir>/bin/pulumi, its state beside it. */
export function makeFakePulumi(): string {
  const dir = mkdtempSync(join(tmpdir(), "socle-fake-pulumi-"));
  mkdirSync(join(dir, "bin"));
  copyFileSync(join(__dirname, "fake-pulumi.sh"), join(dir, "bin", "pulumi"));
  chmodSync(join(dir, "bin", "pulumi"), 0o755);
  return dir;
}

export function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

/** Runs `socle fleet …` against `root`, as main() does (exit codes 0/1/2). */
export async function fleet(root: string, args: string[], engineFactory?: EngineFactory): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  let code = 0;
  const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s) };
  const program = new Command("socle").exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerFleetDeploy(program, root, io, (c) => (code = c), engineFactory);
  try {
    await program.parseAsync(["fleet", ...args], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, out, err };
    throw e;
  }
  return { code, out, err };
}
