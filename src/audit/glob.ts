/**
 * Waiver selectors are globs: `*` matches any run of characters (including `/` and `:`, so that
 * `urn:pulumi:prod::socle::*` covers every resource of a stack), `?` one character; nothing else is special.
 */
export function globToRegExp(glob: string): RegExp {
  let re = "^";
  for (const c of glob) {
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else re += c.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(re + "$", "s");
}
