/** Progress of a fleet run: a bar on a terminal (npm cli-progress), one plain line per stack otherwise (logs, CI). */
export interface Progress {
  /** `total` steps (renders) for `stacks` stacks: more steps than stacks when a platform binds tenants (binding passes). */
  start(total: number, mode: string, stacks?: number): void;
  /** One stack done, with what happened to it. */
  tick(stack: string, line: string): void;
  stop(): void;
}

/** One line per stack: `[3/100] tenant-x: rendered 231 resources, audit PASS (0 fail, 0 mandatory)`. */
export function lineProgress(out: (s: string) => void): Progress {
  let total = 0;
  let done = 0;
  let mode = "";
  return {
    start(t, m, stacks = t) {
      total = t;
      mode = m;
      out(`socle fleet ${mode}: ${stacks} stack(s)${stacks !== total ? `, ${total} renders (binding passes first)` : ""}\n`);
    },
    tick(stack, line) {
      done++;
      out(`[${done}/${total}] ${stack}: ${line}\n`);
    },
    stop() {},
  };
}

/** A bar on the terminal's standard error, redrawn in place; the summary table follows on standard output. */
export function barProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  // Loaded on use: only a terminal run needs it.
  const { SingleBar, Presets } = require("cli-progress") as typeof import("cli-progress");
  const bar = new SingleBar(
    { format: "socle fleet {mode} [{bar}] {value}/{total} {stack}", stream, hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
    Presets.shades_classic,
  );
  return {
    start(total, mode) {
      bar.start(total, 0, { mode, stack: "" });
    },
    tick(stack) {
      bar.increment(1, { stack });
    },
    stop() {
      bar.stop();
    },
  };
}
