/**
 * Loads a module on first use, so that a command never pays for what another needs (docs/render.md,
 * "Start-up and speed"). Under `bin/socle.js` (tsx, CommonJS) `require` loads TypeScript. The test runner
 * (vitest) keeps its own module graph: there the dynamic import is used, so that classes such as
 * `InputError` are the same objects on both sides of an `instanceof`.
 */
export async function lazy<T>(viaRequire: () => T, viaImport: () => Promise<T>): Promise<T> {
  if (process.env.VITEST) return viaImport();
  return viaRequire();
}
