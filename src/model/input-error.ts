/** Where in an input file a problem is: a line and column (1-based) or a JSON-style path. */
export interface InputPosition {
  readonly line?: number;
  readonly column?: number;
  /** Structural location, e.g. `deployment.resources[12].type`; the problem then reads after it ("is missing"). */
  readonly path?: string;
}

/**
 * Bad input to `socle audit`: unreadable, malformed or unrecognised file, unknown report format,
 * invalid waiver. The CLI prints the message alone (no stack trace) and exits 2.
 */
export class InputError extends Error {
  readonly file?: string;
  readonly position?: InputPosition;
  readonly problem: string;

  constructor(problem: string, file?: string, position?: InputPosition) {
    // Bounded: a message may quote what the user gave (an option, a key), never at any length.
    if (problem.length > PROBLEM_MAX) problem = `${problem.slice(0, PROBLEM_MAX)}… (message cut at ${PROBLEM_MAX} characters)`;
    if (file !== undefined && file.length > 300) file = `${file.slice(0, 300)}…`;
    super(formatInputError(problem, file, position));
    this.name = "InputError";
    this.problem = problem;
    this.file = file;
    this.position = position;
  }
}

const PROBLEM_MAX = 1500;

/** `file:line:column: path problem`, each part present only when known. */
function formatInputError(problem: string, file?: string, position?: InputPosition): string {
  let where = file ?? "";
  if (position?.line !== undefined) where += `:${position.line}${position.column !== undefined ? `:${position.column}` : ""}`;
  const what = position?.path ? `${position.path} ${problem}` : problem;
  return where ? `${where}: ${what}` : what;
}
