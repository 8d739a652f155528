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
  // The next newline not yet counted: each newline is found once, so a state written on one line (no newline
  // at all) costs one scan, not one per URN.
  let newline = text.indexOf("\n");
  for (const m of text.matchAll(URN_MEMBER)) {
    while (newline !== -1 && newline < m.index) {
      line++;
      newline = text.indexOf("\n", newline + 1);
    }
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
