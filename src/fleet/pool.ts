import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { StackJob, StackJobResult } from "./job";

interface Pending {
  readonly job: StackJob;
  readonly resolve: (r: StackJobResult) => void;
  readonly reject: (e: Error) => void;
}

/**
 * N worker threads, each loading the audit and the check once, running one stack job at a time: how
 * `--concurrency N` bounds the audits and checks in flight while the main thread renders the next tenants.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending>();
  private nextId = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(join(__dirname, "worker.js"));
      w.on("message", (msg: { id: number; result?: StackJobResult; error?: string }) => {
        const p = this.running.get(w);
        this.running.delete(w);
        if (p) {
          if (msg.error !== undefined) p.reject(new Error(`fleet worker failed on ${p.job.stack}: ${msg.error}`));
          else p.resolve(msg.result!);
        }
        this.idle.push(w);
        this.pump();
      });
      w.on("error", (err) => {
        const p = this.running.get(w);
        this.running.delete(w);
        p?.reject(err);
      });
      this.all.push(w);
      this.idle.push(w);
    }
  }

  run(job: StackJob): Promise<StackJobResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.shift()!;
      const p = this.queue.shift()!;
      this.running.set(w, p);
      w.postMessage({ id: this.nextId++, job: p.job });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
