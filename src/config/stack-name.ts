/**
 * Stack names, validated as names before they become paths (`stacks/Pulumi.<stack>.yaml`,
 * `out/<stack>`). Pulumi allows letters, digits, `-`, `_` and `.` in a stack name, at most 100
 * characters (pulumi/pulumi pkg/backend/diy/store.go, `ParseReference`: "stack names are limited to 100
 * characters and may only contain alphanumeric, hyphens, underscores, or periods"); socle also
 * requires a letter or digit first, so that `.`, `..` and hidden names are never stack names.
 */
export const STACK_NAME_MAX = 100;
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Undefined when valid, else what is wrong (the name itself is shown shortened). */
export function stackNameProblem(name: string): string | undefined {
  if (name.length > STACK_NAME_MAX) return `stack name (${name.length} characters) is longer than ${STACK_NAME_MAX} characters`;
  if (!STACK_NAME.test(name)) {
    return `stack name ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)} is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit, as in stacks/Pulumi.<stack>.yaml`;
  }
  return undefined;
}

export function isStackName(name: string): boolean {
  return stackNameProblem(name) === undefined;
}
