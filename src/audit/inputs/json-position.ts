/**
 * Locates the first syntax error of a JSON text. Node's `JSON.parse` messages do not always carry
 * a position ("Unexpected token '}', ... is not valid JSON"), so on failure we scan the text again.
 */
export interface JsonSyntaxIssue {
  readonly offset: number;
  readonly problem: string;
}

export function findJsonSyntaxError(text: string): JsonSyntaxIssue | undefined {
  let i = 0;
  const fail = (problem: string): never => {
    throw { offset: i, problem } satisfies JsonSyntaxIssue;
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const describe = () => (i >= text.length ? "unexpected end of input" : `unexpected character ${JSON.stringify(text[i])}`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(describe());
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail("control character in string (escape it, e.g. \\n)");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape");
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail("invalid escape in string");
        i += 2;
        continue;
      }
      i++;
    }
    fail("unterminated string");
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(describe());
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail("nesting too deep");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe().replace("unexpected ", "")}`);
        string();
        ws();
        if (text[i] !== ":") fail(`expected ':' after property name, found ${describe().replace("unexpected ", "")}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(`expected ',' or '}' after property value, found ${describe().replace("unexpected ", "")}`);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(`expected ',' or ']' after array element, found ${describe().replace("unexpected ", "")}`);
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    fail(describe());
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value(0);
    ws();
    if (i < text.length) fail(`unexpected content after the JSON value: ${JSON.stringify(text[i])}`);
    return undefined;
  } catch (e) {
    if (e && typeof e === "object" && "offset" in e) return e as JsonSyntaxIssue;
    throw e;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf("\n"); k !== -1 && k < offset; k = text.indexOf("\n", k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
