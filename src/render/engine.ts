/**
 * Runs `work` with Node's source-mapped stack traces switched off, then restores the previous setting.
 *
 * Why: the Pulumi SDK's `debuggablePromise` (runtime/debuggable.js) reads `new Error().stack` for every
 * promise it tracks, to print it only when `PULUMI_DEBUG_PROMISE_LEAKS` is set. tsx turns Node's
 * source maps on (`process.setSourceMapsEnabled(true)`), so each of those reads maps every frame
 * through a source map: about a sixth of a render's CPU for a string nobody reads. Node formats a
 * stack when `.stack` is first read, so an error thrown by the program and printed after the run still
 * gets source-mapped positions. `PULUMI_DEBUG_PROMISE_LEAKS` set keeps source maps on.
 * Documented hooks only: `process.setSourceMapsEnabled` and `process.sourceMapsEnabled` (Node ≥ 20.7).
 * See docs/render.md, "Start-up and speed".
 */
export async function withoutSourceMappedStacks<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.sourceMapsEnabled;
  if (!previous || process.env.PULUMI_DEBUG_PROMISE_LEAKS) return work();
  process.setSourceMapsEnabled(false);
  try {
    return await work();
  } finally {
    process.setSourceMapsEnabled(previous);
  }
}
