/**
 * The project's import graph, read with TypeScript's own parser: every relative module specifier of every
 * `.ts` file (static imports and re-exports, `import x = require()`, `require()`, `import()` and `import("…")`
 * types), resolved to the file it names. Used by imports.test.ts to pin the import directions.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export const ROOT = resolve(__dirname, "../..");
/** Top-level folders holding socle's TypeScript (node_modules and render output are not ours). */
const SOURCE_DIRS = ["src", "components", "charts", "policies", "test", "bench"];
const SOURCE_FILES = ["index.ts"];
/** Bounds: a source tree far larger than socle's is a mistake (a stray copy of node_modules), not input to walk. */
const MAX_FILES = 5000;
const MAX_DEPTH = 12;

export interface ImportEdge {
  /** Importing file, relative to the repository root, with `/` separators. */
  readonly from: string;
  /** Imported file, same form. */
  readonly to: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** 1-based line of the import. */
  readonly line: number;
  /** Erased at compile time (`import type`, `export type`, all-type named imports, `import("…")` types). */
  readonly typeOnly: boolean;
}

const posix = (p: string) => p.split(sep).join("/");

/** Every `.ts`/`.mts` file of socle's sources, relative to the root, sorted. */
export function sourceFiles(root = ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH) throw new Error(`${posix(relative(root, dir))}: deeper than ${MAX_DEPTH} levels`);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if (/\.m?ts$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        out.push(posix(relative(root, path)));
        if (out.length > MAX_FILES) throw new Error(`more than ${MAX_FILES} source files under ${root}`);
      }
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(join(root, d))) walk(join(root, d), 1);
  for (const f of SOURCE_FILES) if (existsSync(join(root, f))) out.push(f);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The file a relative specifier names, as TypeScript's `node` resolution finds it; undefined for a non-TS target (JSON, …). */
function resolveRelative(root: string, fromFile: string, specifier: string): string | undefined {
  const base = resolve(root, dirname(fromFile), specifier);
  const candidates = [`${base}.ts`, `${base}.mts`, join(base, "index.ts"), base];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isFile() && /\.m?ts$/.test(c)) return posix(relative(root, c));
  }
  if (candidates.some((c) => existsSync(c))) return undefined;
  throw new Error(`${fromFile}: import ${JSON.stringify(specifier)} names no file`);
}

/** The relative imports of one file's text. */
export function importsOf(file: string, text: string): { specifier: string; line: number; typeOnly: boolean }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: { specifier: string; line: number; typeOnly: boolean }[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (spec && ts.isStringLiteralLike(spec) && spec.text.startsWith(".")) {
      found.push({ specifier: spec.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, typeOnly });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypeNamed = !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly) && !clause?.name;
      add(node, node.moduleSpecifier, !!clause && (clause.isTypeOnly || allTypeNamed));
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause;
      const allTypeNamed = !!named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, node.isTypeOnly || allTypeNamed);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Every relative import of every source file, resolved. */
export function importGraph(root = ROOT): { files: string[]; edges: ImportEdge[] } {
  const files = sourceFiles(root);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    for (const imp of importsOf(from, readFileSync(join(root, from), "utf8"))) {
      const to = resolveRelative(root, from, imp.specifier);
      if (to) edges.push({ from, to, ...imp });
    }
  }
  return { files, edges };
}

/**
 * Strongly connected components of more than one file (or a file importing itself): the import cycles,
 * each as its files sorted, the list sorted. Tarjan's algorithm, iterative (no recursion depth limit).
 */
export function importCycles(files: readonly string[], edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  const selfLoops = new Set<string>();
  for (const e of edges) {
    if (!next.has(e.from) || !next.has(e.to)) continue;
    next.get(e.from)!.push(e.to);
    if (e.from === e.to) selfLoops.add(e.from);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  for (const start of files) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const succ = next.get(frame.node)!;
      if (frame.i < succ.length) {
        const w = succ[frame.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        if (component.length > 1 || selfLoops.has(frame.node)) cycles.push(component.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    }
  }
  return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

/** A layering rule: no file under `files` imports a file under any of `never`. Folders relative to the root. */
export interface LayerRule {
  readonly files: string;
  readonly never: readonly string[];
  /** Why, for the failure message. */
  readonly why: string;
}

/** `file` is `folder` itself or lies under it. */
export const under = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);

/** Each import breaking a rule, as `from:line -> to (rule)`, sorted. */
export function layerViolations(edges: readonly ImportEdge[], rules: readonly LayerRule[]): string[] {
  const out: string[] = [];
  for (const rule of rules) {
    for (const e of edges) {
      const banned = rule.never.find((folder) => under(e.to, folder));
      if (under(e.from, rule.files) && banned) out.push(`${e.from}:${e.line} imports ${e.to} (${rule.files} never imports ${banned}: ${rule.why})`);
    }
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The unit a file belongs to for folder-level cycles: `src/<folder>` for src's subfolders, the top-level
 * folder for charts, components, policies, test and bench, the file itself otherwise.
 */
export function unitOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] === "src") return parts.length > 2 ? `src/${parts[1]}` : file;
  if (["charts", "components", "policies", "test", "bench"].includes(parts[0]!)) return parts[0]!;
  return file;
}
