import type { AuditContext, ControlMeta, Finding, FindingStatus, SncChapter } from "../../policies/types";
import type { InputKind, StackInfo } from "./inputs/types";
import type { Waiver } from "./waivers";

/** A waiver as a finding cites it. */
export interface WaiverRef {
  readonly justification: string;
  readonly approver: string;
  readonly expires: string;
  /** `<waiver file>:<line>`. */
  readonly source: string;
}

export interface AuditFinding extends Finding {
  readonly waiver?: WaiverRef;
  /** Set on a `fail` finding that a waiver would cover had it not expired. */
  readonly expiredWaiver?: WaiverRef;
}

export interface StatusCounts {
  readonly pass: number;
  readonly fail: number;
  readonly waived: number;
  readonly notApplicable: number;
}

/**
 * A control's overall status: a finding status, or `notAssessed` when nothing was assessed (no finding passed,
 * failed or was waived). A control that assessed nothing is never reported compliant, in any format.
 */
export type ControlStatus = Exclude<FindingStatus, "notApplicable"> | "notAssessed";

export interface ControlSummary {
  readonly meta: ControlMeta;
  /** fail if any finding fails; else waived if any is waived; else pass if any passes; else notAssessed. */
  readonly status: ControlStatus;
  readonly counts: StatusCounts;
  /** Why nothing was assessed; set exactly when status is `notAssessed`. */
  readonly notAssessedReason?: string;
}

export interface ChapterSummary {
  readonly chapter: SncChapter;
  readonly title: { readonly fr: string; readonly en: string };
  readonly controls: number;
  readonly counts: StatusCounts;
  /** pass / (pass + fail + waived) over the chapter's findings; null when nothing was assessed. A waived finding is not a pass. */
  readonly score: number | null;
}

/** What became of one waiver: `matched` counts the failing findings its selector covered. */
export interface WaiverOutcome {
  readonly waiver: Waiver;
  readonly expired: boolean;
  readonly matched: number;
}

export interface AuditTotals extends StatusCounts {
  readonly resources: number;
  readonly findings: number;
  /** Unwaived failures of mandatory controls (including those covered only by an expired waiver). */
  readonly mandatoryFailures: number;
  readonly advisoryFailures: number;
}

export interface AuditResult {
  /** Sorted by control id, then resource (urn, else file, else name), then path and message. */
  readonly findings: readonly AuditFinding[];
  /** Sorted by control id. */
  readonly controls: readonly ControlSummary[];
  /** Chapters that have at least one control, in chapter order. */
  readonly chapters: readonly ChapterSummary[];
  readonly totals: AuditTotals;
  /** In waiver file order. */
  readonly waivers: readonly WaiverOutcome[];
  /** No unwaived mandatory failure. */
  readonly passed: boolean;
}

/** Everything a report format needs; built once, rendered by every format. */
export interface AuditReport extends AuditResult {
  readonly tool: { readonly name: string; readonly version: string };
  readonly input: { readonly kind: InputKind; readonly path: string };
  readonly waiverFile?: string;
  readonly stack: StackInfo;
  readonly today: string;
  readonly context: AuditContext;
  /** First line of manifest documents keyed by `ResourceRef.file`; for state inputs, the line of each resource keyed by URN. */
  readonly lines: ReadonlyMap<string, number>;
  /**
   * When the input was a stack of the project: its stack file and, for property paths of the root stack's `socle`
   * output judged by findings (`socle.provider`), the line of the setting in that file.
   */
  readonly stackSettings?: { readonly file: string; readonly lines: ReadonlyMap<string, number> };
  /** SARIF: also list passing and not-applicable checks as results (`--include-passes`). */
  readonly includePasses?: boolean;
  /** The exit-code policy (`--fail-on`, `--severity`); default: mandatory failures of any severity. */
  readonly gate?: Gate;
}

/** Which unwaived failures make `socle audit` exit 1 (`--fail-on`). */
export type FailOn = "mandatory" | "any" | "none";

/** The exit-code policy of one audit: `--fail-on` and `--severity` (minimum severity that counts). */
export interface Gate {
  readonly failOn: FailOn;
  readonly minSeverity: import("../../policies/types").Severity;
}
