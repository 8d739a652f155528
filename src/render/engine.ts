/**
 * Runs `work` (the program, under the render engine) with Node's source-mapped stack traces switched off
 * and, unless `captureStacks`, with V8 capturing no stack frame (with it, at least V8's default of 10
 * frames); restores both settings afterwards.
 *
 * Why: the Pulumi SDK's `debuggablePromise` (runtime/debuggable.js) reads `new Error().stack` for every
 * promise it tracks (about 12,000 in a demo render), to print it only when `PULUMI_DEBUG_PROMISE_LEAKS`
 * is set. tsx turns Node's source maps on (`process.setSourceMapsEnabled(true)`), so each of those reads
 * would map every frame through a source map; with capture off (`Error.stackTraceLimit = 0`) the read
 * formats nothing at all. Node formats a stack when `.stack` is first read, so an error thrown by the
 * program and printed after the run still gets source-mapped positions, and the render runs a program
 * that failed with a bug again with capture on (src/render/render.ts), so that the bug is reported with
 * its stack trace. The SDK's own source positions (`Resource.callsites`) raise the limit themselves
 * while they read a stack: they are unchanged. `PULUMI_DEBUG_PROMISE_LEAKS` set keeps both settings as
 * they are. Documented settings only: `process.setSourceMapsEnabled` and `process.sourceMapsEnabled`
 * (Node ≥ 20.7), `Error.stackTraceLimit` (V8, in Node's errors documentation).
 * See docs/render.md, "Start-up and speed".
 */
export async function underRenderEngine<T>(work: () => Promise<T>, captureStacks: boolean): Promise<T> {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return work();
  const sourceMaps = process.sourceMapsEnabled;
  const stackTraceLimit = Error.stackTraceLimit;
  if (sourceMaps) process.setSourceMapsEnabled(false);
  // With capture on, frames are captured even under a caller that turned capture off (V8's default is 10).
  Error.stackTraceLimit = captureStacks ? Math.max(stackTraceLimit, 10) : 0;
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    if (sourceMaps) process.setSourceMapsEnabled(true);
  }
}
