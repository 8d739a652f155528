import { join } from "node:path";
import { writeFleetStackFiles, type GeneratedTenant } from "../../src/fleet/generate";

/** A platform and tenants made from the demo stack, in `dir` (src/fleet/generate.ts). */
export function fleetStackFiles(dir: string, platform: string, tenants: readonly GeneratedTenant[]): void {
  writeFleetStackFiles(join(__dirname, "..", ".."), dir, platform, tenants);
}
