import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./imports";

/**
 * The compile-time fixtures' `@ts-expect-error TS<code>: why` directives each meet the error they name:
 * `tsc -p .` only proves that some error occurs on the next line; this compiles each fixture with its
 * directives blanked out and checks the errors are exactly the expected ones, line by line.
 */
const FIXTURES = ["test/architecture/app-module.fixture.ts", "test/architecture/secret-contract.fixture.ts"];
const DIRECTIVE = /^\s*\/\/ @ts-expect-error (TS\d+): /;

function expectedErrors(text: string): string[] {
  return text.split("\n").flatMap((line, i) => {
    const m = DIRECTIVE.exec(line);
    return m ? [`${i + 2}:${m[1]}`] : [];
  });
}

function actualErrors(file: string, text: string): string[] {
  const blanked = text.replace(/^(\s*)\/\/ @ts-expect-error .*$/gm, "$1// (directive blanked)");
  const path = join(ROOT, file);
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) throw new Error("tsconfig.json could not be read");
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => (name === path ? ts.createSourceFile(name, blanked, version) : getSourceFile(name, version, onError));
  const program = ts.createProgram([path], parsed.options, host);
  const sf = program.getSourceFile(path)!;
  return program
    .getSemanticDiagnostics(sf)
    .map((d) => `${sf.getLineAndCharacterOfPosition(d.start!).line + 1}:TS${d.code}`)
    .sort((a, b) => parseInt(a) - parseInt(b));
}

describe("compile-time fixtures", () => {
  it.each(FIXTURES.map((f) => [f]))("%s: each directive meets the error it names, and no other", (file: string) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const expected = expectedErrors(text);
    expect(expected.length).toBeGreaterThan(3);
    expect(actualErrors(file, text)).toEqual(expected);
  });
});
