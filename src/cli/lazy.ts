/**
 * Loads a module on first use, so that a command never pays for what another needs (docs/render.md,
 * "Start-up and speed"). Under `bin/socle.js` (tsx, CommonJS) `require` loads TypeScript. The test runner
 * (vitest) keeps its own module graph: there the dynamic import is used, so that classes such as
 * `InputError` are the same objects on both sides of an `instanceof`.
 */
export async function lazy<T>(viaRequire: () => T, viaImport: () => Promise<T>): Promise<T> {
  // The worker global, not the VITEST variable: a child process a test spawns inherits the variable, not the module graph.
  if ("__vitest_worker__" in globalThis) return viaImport();
  return viaRequire();
}
