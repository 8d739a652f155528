import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A fresh temporary folder holding the given files (path -> content; objects are written as JSON). */
export function tempFiles(files: Record<string, string | object> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "socle-audit-test-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

export const FIXTURES = join(__dirname, "fixtures");
