import type { z } from "zod";

/** A zod issue as a user reads it: "is missing" rather than "expected string, received undefined". */
export function issueText(issue: z.core.$ZodIssue): string {
  const generic = issue.message.startsWith("Invalid input");
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return "is missing";
  if (issue.code === "invalid_type" && generic) return `must be ${article(issue.expected)}`;
  return issue.message;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
