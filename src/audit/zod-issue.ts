/** A zod issue as a user reads it; shared with the policy pack, which owns it (policies/context.ts). */
export { issueText } from "../../policies/context";
