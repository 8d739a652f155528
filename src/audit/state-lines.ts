/**
 * Line index of a state export or checkpoint: the line of each resource's `"urn": "…"` member, so that
 * reports (SARIF) can point at the resource inside the state file. The first occurrence of a URN as the
 * value of a `urn` key is the resource's own entry (other references use `parent`, `provider`, `dependencies`).
 * A linear scan of the text: no second parse, bounded by the text the reader already accepted.
 */
const URN_MEMBER = /"urn"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

export function urnLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let scanned = 0;
  for (const m of text.matchAll(URN_MEMBER)) {
    for (let i = text.indexOf("\n", scanned); i !== -1 && i < m.index; i = text.indexOf("\n", i + 1)) line++;
    scanned = m.index;
    let urn: string;
    try {
      urn = JSON.parse(`"${m[1]}"`) as string;
    } catch {
      continue;
    }
    if (!lines.has(urn)) lines.set(urn, line);
  }
  return lines;
}
