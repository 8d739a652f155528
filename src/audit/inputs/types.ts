import type { AuditContext, ResourceView } from "../../../policies/types";

export type InputKind = "state" | "checkpoint" | "manifests";

/** What the report header says about the audited deployment; every field only when the input carries it. */
export interface StackInfo {
  readonly name?: string;
  readonly project?: string;
  readonly kind?: string;
  readonly target?: string;
  readonly region?: string;
}

/** An input normalized for the runner, whatever its format. */
export interface LoadedInput {
  readonly kind: InputKind;
  /** The input path as the user gave it (reports must not depend on the working directory). */
  readonly path: string;
  readonly views: readonly ResourceView[];
  readonly context: AuditContext;
  readonly stack: StackInfo;
  /** First line of each manifest document keyed by `ResourceView.file`, and, for state inputs, the line of each resource keyed by URN. */
  readonly lines: ReadonlyMap<string, number>;
}
