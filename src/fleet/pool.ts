import { join } from "node:path";
import { Worker, type ResourceLimits } from "node:worker_threads";

interface Pending<J, R> {
  readonly job: J;
  /** What the job is about (a stack name), for the error of a worker that stops on it. */
  readonly label: string;
  readonly resolve: (r: R) => void;
  readonly reject: (e: Error) => void;
}

/** A job a worker could not finish: it answered with an error, or it stopped (crash, `process.exit`, out of memory). */
export class WorkerJobError extends Error {
  constructor(
    message: string,
    /** The worker's own stack trace of the error, when it sent one. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = "WorkerJobError";
  }
}

export interface PoolOptions {
  /** The worker's script (default: src/fleet/worker.js); it answers each `{id, job}` with `{id, result}` or `{id, error}`. */
  readonly script?: string;
  readonly resourceLimits?: ResourceLimits;
}

/**
 * At most `size` worker threads, each loading its modules once and running one job at a time: how
 * `socle fleet --concurrency N` bounds the stacks in flight (src/fleet/run.ts). A worker that stops (an
 * uncaught error, `process.exit`, a heap limit) fails the job it was running, and only that one: a new
 * worker takes its place when jobs are still queued, so a run never hangs on a dead worker.
 */
export class WorkerPool<J, R> {
  private readonly idle: Worker[] = [];
  private readonly live = new Set<Worker>();
  private readonly queue: Pending<J, R>[] = [];
  private readonly running = new Map<Worker, Pending<J, R> & { readonly id: number }>();
  private readonly script: string;
  private nextId = 0;
  private closing = false;
  /** Workers started in all (replacements included). */
  started = 0;

  constructor(
    private readonly size: number,
    private readonly opts: PoolOptions = {},
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`internal: worker pool size ${size}`);
    this.script = opts.script ?? join(__dirname, "worker.js");
    // Started now: they load their modules while the first jobs (the platform's render) run.
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  run(job: J, label: string): Promise<R> {
    if (this.closing) return Promise.reject(new Error("internal: worker pool closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, label, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker {
    const w = new Worker(this.script, this.opts.resourceLimits ? { resourceLimits: this.opts.resourceLimits } : {});
    this.started++;
    this.live.add(w);
    let crash: Error | undefined;
    w.on("message", (msg: { id: number; result?: R; error?: string; detail?: string }) => {
      const p = this.running.get(w);
      if (!p || p.id !== msg.id) return;
      this.running.delete(w);
      if (msg.error !== undefined) p.reject(new WorkerJobError(msg.error, msg.detail));
      else p.resolve(msg.result as R);
      this.idle.push(w);
      this.pump();
    });
    w.on("error", (err) => {
      crash = err;
    });
    w.on("exit", (code) => {
      this.live.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      const p = this.running.get(w);
      this.running.delete(w);
      if (p) {
        const why = crash ? `${crash.name}: ${crash.message}` : `exit code ${code}`;
        p.reject(new WorkerJobError(`the worker thread stopped while on ${p.label} (${why})`, crash?.stack));
      }
      if (!this.closing) this.pump();
    });
    return w;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let w = this.idle.shift();
      if (!w) {
        if (this.live.size >= this.size) return;
        w = this.spawn();
      }
      const p = this.queue.shift()!;
      const id = this.nextId++;
      this.running.set(w, { ...p, id });
      w.postMessage({ id, job: p.job });
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const p of this.queue.splice(0)) p.reject(new Error("internal: worker pool closed"));
    await Promise.all([...this.live].map((w) => w.terminate()));
  }
}
