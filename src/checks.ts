import { validateCloud } from "../components/cloud";
import type { ConfigCheck } from "./config/parse";

/** Cross-field configuration checks contributed by the parts of the program (cloud planning, apps). */
export const configChecks: readonly ConfigCheck[] = [validateCloud];
