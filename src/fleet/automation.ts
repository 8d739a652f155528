import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { EngineResult, EngineRunOptions, FleetEngine } from "./engine";

/**
 * FleetEngine over the Pulumi Automation API (`@pulumi/pulumi/automation`): one LocalWorkspace per
 * tenant (workDir = the repository, whose Pulumi.yaml sets `stackConfigDir: stacks`; stack = the
 * tenant's stack name), created or selected in the self-managed backend. The Automation API spawns
 * the `pulumi` CLI: found on PATH, or under `<pulumiRoot>/bin/pulumi` (PulumiCommand.get, automation/cmd.js).
 * The CLI is looked up and its version checked once per run, not once per tenant.
 */
export interface AutomationOptions {
  /** The repository: Pulumi.yaml and stacks/. */
  readonly workDir: string;
  /** The checked, self-managed backend URL (engine.ts checkBackend), given to the CLI as PULUMI_BACKEND_URL. */
  readonly backend: string;
  /** The checked secrets provider (engine.ts checkSecretsProvider), used when a tenant's stack is created. */
  readonly secretsProvider: string;
  /** A Pulumi installation root (its bin/pulumi); default: `pulumi` on PATH. */
  readonly pulumiRoot?: string;
  /** PULUMI_HOME for the CLI (plugins, credentials); default the CLI's (~/.pulumi). */
  readonly pulumiHome?: string;
}

export class AutomationEngine implements FleetEngine {
  private command?: Promise<PulumiCommand>;

  constructor(private readonly opts: AutomationOptions) {}

  /** Finds the CLI and checks its version (PulumiCommand.get runs `pulumi version`): fails before any tenant runs. */
  async ready(): Promise<void> {
    await this.pulumi();
  }

  preview(stack: string, run: EngineRunOptions): Promise<EngineResult> {
    return this.withStack(stack, async (s) => {
      const r = await s.preview({ onOutput: run.onOutput, onError: run.onOutput, signal: run.signal });
      return { summary: changes(r.changeSummary) };
    });
  }

  up(stack: string, run: EngineRunOptions): Promise<EngineResult> {
    return this.withStack(stack, async (s) => {
      const r = await s.up({ onOutput: run.onOutput, onError: run.onOutput, signal: run.signal });
      return { summary: `${r.summary?.result ?? "unknown result"}${r.summary?.resourceChanges ? `: ${changes(r.summary.resourceChanges)}` : ""}` };
    });
  }

  /** Selects, or creates, the stack (LocalWorkspace.createOrSelectStack): nothing is updated. */
  async ensureStack(stack: string): Promise<void> {
    await this.withStack(stack, async () => ({ summary: "" }));
  }

  private pulumi(): Promise<PulumiCommand> {
    this.command ??= PulumiCommand.get(this.opts.pulumiRoot ? { root: this.opts.pulumiRoot } : undefined);
    return this.command;
  }

  private async withStack(stackName: string, fn: (s: Stack) => Promise<EngineResult>): Promise<EngineResult> {
    const pulumiCommand = await this.pulumi();
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName, workDir: this.opts.workDir },
      {
        pulumiCommand,
        ...(this.opts.pulumiHome ? { pulumiHome: this.opts.pulumiHome } : {}),
        secretsProvider: this.opts.secretsProvider,
        envVars: { PULUMI_BACKEND_URL: this.opts.backend, PULUMI_SKIP_UPDATE_CHECK: "true" },
      },
    );
    return fn(stack);
  }
}

/** `create 2, same 10`, operations in code-unit order. */
function changes(summary: Record<string, number> | undefined): string {
  const entries = Object.entries(summary ?? {}).filter(([, n]) => typeof n === "number" && n > 0);
  if (entries.length === 0) return "no changes reported";
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
}
