import { readFileSync, statSync } from "node:fs";
import { LineCounter, isMap, isScalar, parseDocument, type Node } from "yaml";

/** Stack files are small; a larger one is not read for locations (the audit itself never depends on it). */
const MAX_STACK_FILE_BYTES = 1024 * 1024;

/**
 * Where the stack file sets what a finding judged: for each property path of the root stack's `socle` output
 * (`socle.provider.qualificationExpires`), the line of the matching setting (`config: socle:provider: qualificationExpires`),
 * else of its closest parent setting. Paths the file does not set are absent. Used by SARIF to locate
 * deployment-level findings in the stack file an operator edits.
 */
export function settingLines(stackFile: string, paths: Iterable<string>): Map<string, number> {
  const lines = new Map<string, number>();
  let text: string;
  try {
    if (statSync(stackFile).size > MAX_STACK_FILE_BYTES) return lines;
    text = readFileSync(stackFile, "utf8");
  } catch {
    return lines;
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length > 0) return lines;
  for (const path of paths) {
    const [head, key, ...rest] = path.split(".");
    if (head !== "socle" || !key) continue;
    // Walk the mappings key by key; the line is that of the deepest key the file writes.
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const segment of ["config", `socle:${key}`, ...rest]) {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      const keyNode = pair?.key as Node | undefined;
      if (!pair || !keyNode?.range) break;
      line = segment === "config" ? undefined : counter.linePos(keyNode.range[0]).line;
      node = pair.value;
    }
    if (line !== undefined) lines.set(path, line);
  }
  return lines;
}
