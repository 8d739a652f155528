/**
 * A strict well-formedness check for the XML we write (elements, attributes, text, declaration;
 * no DTD, comments or CDATA). Returns the first problem, or undefined. Node ships no XML parser.
 */
export function xmlProblem(xml: string): string | undefined {
  const stack: string[] = [];
  const name = "[A-Za-z_][\\w.-]*";
  const attr = `\\s+${name}="[^"<]*"`;
  const token = new RegExp(`<\\?xml[^?]*\\?>|<(${name})((?:${attr})*)\\s*(/?)>|</(${name})\\s*>|[^<]+|<`, "gy");
  const badText = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)|>/;
  let roots = 0;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    const [all, open, attrs, selfClose, close] = m;
    if (all === "<") return `stray '<' at ${m.index}`;
    if (all.startsWith("<?xml")) {
      if (m.index !== 0) return "XML declaration not at start";
    } else if (open) {
      if (stack.length === 0 && roots++ > 0) return "more than one root element";
      if (attrs && /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(attrs)) return `bad entity in attributes of <${open}>`;
      const names = [...attrs!.matchAll(new RegExp(`(${name})=`, "g"))].map((a) => a[1]);
      if (new Set(names).size !== names.length) return `duplicate attribute in <${open}>`;
      if (!selfClose) stack.push(open);
    } else if (close) {
      const top = stack.pop();
      if (top !== close) return `</${close}> closes <${top}>`;
    } else if (stack.length === 0 ? all.trim() !== "" : badText.test(all.replace(/&gt;/g, ""))) {
      return `bad text near ${m.index}: ${JSON.stringify(all.slice(0, 40))}`;
    }
  }
  if (token.lastIndex !== 0 && token.lastIndex < xml.length) return "unparsed content";
  return stack.length ? `unclosed <${stack[stack.length - 1]}>` : roots === 1 ? undefined : "no root element";
}
