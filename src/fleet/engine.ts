import { newJournal, withStatus, type Journal, type Operation } from "./journal";

/**
 * What `socle fleet preview|up` needs from Pulumi, for one tenant stack at a time. The real
 * implementation (src/fleet/automation.ts) drives the Pulumi CLI through the Automation API; tests
 * drive it with a fake `pulumi` executable.
 */
export interface FleetEngine {
  preview(stack: string, opts: EngineRunOptions): Promise<EngineResult>;
  up(stack: string, opts: EngineRunOptions): Promise<EngineResult>;
  /**
   * Creates the stack in the backend when it is missing, without updating it: a platform's StackReference to a
   * tenant it binds (src/fleet/binding-order.ts) fails on a stack that does not exist, not on one without outputs.
   */
  ensureStack?(stack: string): Promise<void>;
}

export interface EngineRunOptions {
  /** Every line the CLI prints (stdout and stderr), for the tenant's log. */
  readonly onOutput: (text: string) => void;
  /** Aborted when the run is interrupted: the CLI is sent SIGINT and stops cleanly. */
  readonly signal?: AbortSignal;
}

/** A one-line summary of what changed (or would change), e.g. `create 3, same 120`. */
export interface EngineResult {
  readonly summary: string;
}

export interface FleetRunOptions {
  readonly operation: Operation;
  /** At most this many tenants at once (≥ 1). */
  readonly concurrency: number;
  /** The journal to start from: a fresh one, or resumeJournal's (tenants already done are skipped). */
  readonly journal: Journal;
  /**
   * Called after every change of the journal, synchronously, with the log of the tenant that just
   * finished (when one did): the caller writes both (src/cli/fleet-deploy.ts).
   */
  readonly record: (journal: Journal, finished?: { tenant: string; log: string }) => void;
  /** Called when a tenant finishes, for progress lines. */
  readonly onFinished?: (tenant: string, ok: boolean, detail: string) => void;
  /** Stops handing out tenants; those running are interrupted and stay not done. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `operation` over every tenant of the journal that is not done, at most `concurrency` at
 * once. A failing tenant does not stop the others. Returns the final journal.
 */
export async function runFleet(engine: FleetEngine, opts: FleetRunOptions): Promise<Journal> {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new Error(`internal: concurrency ${opts.concurrency} is not a positive integer`);
  let journal = opts.journal;
  const queue = Object.keys(journal.tenants)
    .filter((t) => journal.tenants[t].status !== "done")
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  opts.record(journal);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length && !opts.signal?.aborted) {
      const tenant = queue[next++];
      journal = withStatus(journal, tenant, "running");
      opts.record(journal);
      const lines: string[] = [];
      const onOutput = (text: string) => lines.push(text);
      try {
        const result = await engine[opts.operation](tenant, { onOutput, signal: opts.signal });
        lines.push(`\nsocle: ${opts.operation} of ${tenant} succeeded: ${result.summary}\n`);
        if (opts.signal?.aborted) throw new Error("interrupted");
        journal = withStatus(journal, tenant, "done");
        opts.record(journal, { tenant, log: lines.join("") });
        opts.onFinished?.(tenant, true, result.summary);
      } catch (e) {
        const message = opts.signal?.aborted ? "interrupted before the end: run again with --resume" : errorText(e);
        lines.push(`\nsocle: ${opts.operation} of ${tenant} failed: ${message}\n`);
        journal = withStatus(journal, tenant, opts.signal?.aborted ? "pending" : "failed", opts.signal?.aborted ? undefined : message);
        opts.record(journal, { tenant, log: lines.join("") });
        opts.onFinished?.(tenant, false, message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, Math.max(queue.length, 1)) }, worker));
  return journal;
}

function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // The Automation API's CommandError carries the whole stderr: keep its meaningful first lines.
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("code:") && !l.startsWith("stdout:"));
  return lines.slice(0, 4).join(" ") || "failed (no message)";
}

export { newJournal };

/** A backend or secrets provider socle refuses: exit 2 with what to do. */
export class FleetOptionError extends Error {}

/**
 * The state backend of a fleet run: `--backend`, else PULUMI_BACKEND_URL. Pulumi's own default is
 * Pulumi Cloud (https://api.pulumi.com, US-hosted): never used by default and refused when asked for,
 * as are the backends of US-hosted clouds (Azure Blob, Google Cloud Storage) and S3 without an
 * explicit endpoint (Amazon S3). Self-managed: file://, s3://…?endpoint=… (Garage, MinIO, a
 * sovereign provider's object store), postgres://, or a self-hosted Pulumi Cloud on another host.
 */
export function checkBackend(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = explicit ?? env.PULUMI_BACKEND_URL;
  const where = explicit !== undefined ? "--backend" : "PULUMI_BACKEND_URL";
  if (url === undefined || url === "") {
    throw new FleetOptionError(
      "no state backend: pass --backend <url> or set PULUMI_BACKEND_URL to a self-managed backend (file:///var/lib/socle/state, s3://bucket?endpoint=garage.example:3900&s3ForcePathStyle=true, postgres://…); Pulumi's default, Pulumi Cloud, is US-hosted and never used by default",
    );
  }
  if (url.length > 2048) throw new FleetOptionError(`${where} is longer than 2048 characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FleetOptionError(`${where} is not a URL: use file://, s3://…?endpoint=…, postgres:// or https:// (a self-hosted service)`);
  }
  const scheme = parsed.protocol.replace(/:$/, "");
  // Messages never repeat a password the URL may hold.
  const shown = parsed.password ? url.replace(`:${parsed.password}@`, ":***@") : url;
  if (scheme === "https" || scheme === "http") {
    if (parsed.hostname === "pulumi.com" || parsed.hostname.endsWith(".pulumi.com")) {
      throw new FleetOptionError(`${where} ${shown} is Pulumi Cloud, a US-hosted service: use a self-managed backend (file://, s3://…?endpoint=…, postgres://) or a self-hosted Pulumi Cloud`);
    }
    return url;
  }
  if (scheme === "azblob" || scheme === "gs") {
    throw new FleetOptionError(`${where} ${shown} is an object store of a US-hosted cloud: use file://, s3://…?endpoint=<your S3-compatible store> or postgres://`);
  }
  if (scheme === "s3") {
    if (!parsed.searchParams.get("endpoint")) {
      throw new FleetOptionError(`${where} ${shown} has no endpoint= parameter, so it would be Amazon S3 (US-hosted): add ?endpoint=<your S3-compatible store>&s3ForcePathStyle=true`);
    }
    return url;
  }
  if (scheme === "file" || scheme === "postgres" || scheme === "postgresql") return url;
  throw new FleetOptionError(`${where} ${shown}: unknown backend scheme ${scheme}; allowed: file, s3 (with endpoint=), postgres, https (self-hosted)`);
}

/**
 * The secrets provider stacks are created with: `passphrase` (PULUMI_CONFIG_PASSPHRASE or
 * PULUMI_CONFIG_PASSPHRASE_FILE from the environment) or a Vault/OpenBao transit key
 * (`hashivault://<key>`, address in VAULT_ADDR). Cloud KMS of US-hosted clouds and Pulumi Cloud's
 * `service` provider are refused.
 */
export function checkSecretsProvider(value: string): string {
  if (value === "passphrase") return value;
  if (/^hashivault:\/\/[A-Za-z0-9_.\/-]+$/.test(value)) return value;
  throw new FleetOptionError(
    `--secrets-provider ${JSON.stringify(value)} is not allowed: use passphrase (PULUMI_CONFIG_PASSPHRASE_FILE) or hashivault://<transit key> (Vault or OpenBao, VAULT_ADDR); cloud KMS and Pulumi Cloud's provider are US-hosted`,
  );
}
