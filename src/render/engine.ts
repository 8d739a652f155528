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
 * its stack trace. The SDK's `Resource.callsites` (resource.js) raises the limit to Infinity to read
 * every resource's source position from `new Error().stack`; with capture off, a stack read during the
 * run is formatted without frames (`Error.prepareStackTrace`, as V8 formats an error with no frame:
 * `Name: message`), so the SDK finds no position and sends none, which the render's monitor never
 * recorded anyway. `PULUMI_DEBUG_PROMISE_LEAKS` set keeps every setting as it is. Documented settings
 * only: `process.setSourceMapsEnabled` and `process.sourceMapsEnabled` (Node ≥ 20.7),
 * `Error.stackTraceLimit` and `Error.prepareStackTrace` (V8's stack trace API, in Node's errors
 * documentation).
 * See docs/render.md, "Start-up and speed".
 */
export async function underRenderEngine<T>(work: () => Promise<T>, captureStacks: boolean): Promise<T> {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return work();
  const sourceMaps = process.sourceMapsEnabled;
  const stackTraceLimit = Error.stackTraceLimit;
  if (sourceMaps) process.setSourceMapsEnabled(false);
  // With capture on, frames are captured even under a caller that turned capture off (V8's default is 10).
  Error.stackTraceLimit = captureStacks ? Math.max(stackTraceLimit, 10) : 0;
  const prepareStackTrace = Error.prepareStackTrace;
  if (!captureStacks) Error.prepareStackTrace = withoutFrames;
  try {
    return await work();
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
    if (sourceMaps) process.setSourceMapsEnabled(true);
  }
}

/** A stack formatted as V8 formats an error with no frame captured: its `toString()` (`Name: message`). */
function withoutFrames(error: Error): string {
  return Error.prototype.toString.call(error);
}
