import { createHash } from "node:crypto";
import type { ControlMeta, Severity } from "../../policies/types";
import type { AuditFinding, AuditReport } from "../audit/model";
import { resourceKey, resourceLabel } from "../audit/resource-ref";
import { streamed, streamedObject, writeJsonValue } from "./json-stream";
import { sncReference } from "./text";

/**
 * GitHub code scanning's documented upload rules (docs.github.com, "SARIF support for code scanning" and
 * "SARIF results exceed one or more limits", code-security/reference/code-scanning/sarif-files):
 * at most 25,000 results per run (hard limit; only 5,000 displayed), 20 tags per rule, 1,000 locations per result,
 * 20 runs per file; the gzip-compressed file must stay under 10 MB ("SARIF results file is too large").
 * Every result needs a location with `physicalLocation.artifactLocation.uri`; `partialFingerprints` keep
 * alerts from duplicating across runs; rule `properties["security-severity"]` (0.0–10.0: over 9.0 critical,
 * 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low) ranks rules tagged `security`.
 */
export const GITHUB_SARIF_LIMITS = { resultsPerRun: 25_000, tagsPerRule: 20, locationsPerResult: 1_000, runsPerFile: 20, gzipBytes: 10 * 1024 * 1024 } as const;

/** A score inside GitHub's band for each severity. */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** The OASIS SARIF 2.1.0 Errata 01 schema id (/work/shared/schemas/sarif/sarif-schema-2.1.0.json). */
const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

type Level = "error" | "warning" | "note" | "none";

/** Mandatory controls fail as errors; advisory ones as warnings when high or critical, notes otherwise. */
export function sarifLevel(meta: Pick<ControlMeta, "enforcement" | "severity">): Level {
  if (meta.enforcement === "mandatory") return "error";
  return meta.severity === "high" || meta.severity === "critical" ? "warning" : "note";
}

/**
 * report.sarif: one rule per control, one result per failing or waived finding (waived ones carry an accepted
 * external suppression). Passing and not-applicable checks become results of kind `pass` / `notApplicable` only
 * with `--include-passes`. Every result has a physical location: for a stack of the project, a finding on a setting of
 * its stack file at that setting's line; the manifest file and line; else the state file and the line of the
 * resource's URN; else the input file. Controls that assessed nothing are listed as
 * tool notifications. Past GitHub's result limit, the most severe results are kept and the cut is reported.
 */
export function renderSarif(report: AuditReport): string {
  const parts: string[] = [];
  writeSarif(report, (chunk) => parts.push(chunk));
  return parts.join("");
}

/** report.sarif written piece by piece (the bytes of `renderSarif`): one result built and written at a time. */
export function writeSarif(report: AuditReport, write: (chunk: string) => void): void {
  const ruleIndex = new Map(report.controls.map((c, i) => [c.meta.id, i]));
  const metaOf = new Map(report.controls.map((c) => [c.meta.id, c.meta]));
  const rules = report.controls.map(({ meta }) => ({
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: `${meta.title.en} / ${meta.title.fr}` },
    fullDescription: { text: `${meta.title.en}. ${meta.title.fr}. ${meta.rationale}` },
    help: { text: meta.remediation },
    defaultConfiguration: { level: sarifLevel(meta) },
    properties: {
      tags: ["security", "secnumcloud", `secnumcloud-chapter-${meta.snc.chapter}`, meta.enforcement, meta.severity],
      "security-severity": SECURITY_SEVERITY[meta.severity],
      titleFr: meta.title.fr,
      titleEn: meta.title.en,
      reference: sncReference(meta.snc),
      snc: meta.snc,
      severity: meta.severity,
      enforcement: meta.enforcement,
      evidence: meta.evidence,
    },
  }));
  for (const f of report.findings) if (!metaOf.has(f.controlId)) throw new Error(`finding of ${f.controlId}, a control missing from the report's controls`);
  const chosen = report.findings.filter((f) => report.includePasses === true || f.status === "fail" || f.status === "waived");
  const rank = (f: AuditFinding) => {
    const meta = metaOf.get(f.controlId)!;
    const status = f.status === "fail" ? 0 : f.status === "waived" ? 1 : 2;
    return status * 10 + (meta.enforcement === "mandatory" ? 0 : 5) + SEVERITY_ORDER[meta.severity];
  };
  const kept = mostSevere(chosen, rank, GITHUB_SARIF_LIMITS.resultsPerRun);
  const inputUri = fileUri(report.input.path);
  function* results() {
    for (const f of kept) yield result(f, ruleIndex.get(f.controlId)!, metaOf.get(f.controlId)!, report.lines, inputUri, report.stackSettings);
  }
  const notifications = [
    ...report.controls
      .filter((c) => c.status === "notAssessed")
      .map((c) => ({
        level: "note",
        message: { text: `${c.meta.id} not assessed: ${c.notAssessedReason ?? "nothing assessed"}. It is neither compliant nor failing.` },
        associatedRule: { id: c.meta.id, index: ruleIndex.get(c.meta.id)! },
        properties: { status: "notAssessed" },
      })),
    ...(kept.length < chosen.length
      ? [
          {
            level: "warning",
            message: {
              text: `${chosen.length} results exceed GitHub code scanning's limit of ${GITHUB_SARIF_LIMITS.resultsPerRun} per run: the ${kept.length} most severe are included; report.json has them all.`,
            },
          },
        ]
      : []),
  ];
  const run = streamedObject([
    ["tool", { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } }],
    ["invocations", [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }]],
    ["results", streamed(results())],
    [
      "properties",
      {
        date: report.today,
        input: report.input,
        stack: report.stack,
        result: report.passed ? "pass" : "fail",
        totals: report.totals,
        resultsIncluded: kept.length,
        resultsOmitted: chosen.length - kept.length,
        passesIncluded: report.includePasses === true,
        notAssessed: report.controls.filter((c) => c.status === "notAssessed").map((c) => c.meta.id),
        unusedWaivers: report.waivers.filter((w) => w.matched === 0).map((w) => w.waiver.source),
        expiredWaivers: report.waivers.filter((w) => w.expired).map((w) => w.waiver.source),
      },
    ],
  ]);
  const doc = streamedObject([
    ["$schema", SARIF_SCHEMA],
    ["version", "2.1.0"],
    ["runs", streamed([run])],
  ]);
  // Compact past a few thousand results: indentation alone would double a large file.
  writeJsonValue(doc, write, kept.length <= 5_000);
  write("\n");
}

/**
 * The first `limit` items by rank (lowest first), ties kept in the list's order, returned in the list's
 * order: what a stable sort by rank, cut at `limit` and put back in order, gives, in linear time (ranks
 * are small whole numbers).
 */
export function mostSevere<T>(items: readonly T[], rank: (item: T) => number, limit: number): readonly T[] {
  if (items.length <= limit) return items;
  const ranks = items.map(rank);
  const perRank = new Map<number, number>();
  for (const r of ranks) perRank.set(r, (perRank.get(r) ?? 0) + 1);
  // The rank at which the cut falls, and how many of that rank fit before it.
  let room = limit;
  let cut = -Infinity;
  for (const r of [...perRank.keys()].sort((a, b) => a - b)) {
    const n = perRank.get(r)!;
    if (n >= room) {
      cut = r;
      break;
    }
    room -= n;
  }
  const kept: T[] = [];
  items.forEach((item, i) => {
    const r = ranks[i]!;
    if (r < cut) kept.push(item);
    else if (r === cut && room > 0) {
      kept.push(item);
      room--;
    }
  });
  return kept;
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

type StackSettings = AuditReport["stackSettings"];

function result(f: AuditFinding, index: number, meta: ControlMeta, lines: ReadonlyMap<string, number>, inputUri: string, settings: StackSettings) {
  const kind = f.status === "pass" ? "pass" : f.status === "notApplicable" ? "notApplicable" : "fail";
  const at = f.path ? ` (${f.path})` : "";
  const expired = f.expiredWaiver ? ` Waiver ${f.expiredWaiver.source} expired on ${f.expiredWaiver.expires}.` : "";
  return {
    ruleId: f.controlId,
    ruleIndex: index,
    kind,
    level: kind === "fail" ? sarifLevel(meta) : "none",
    message: { text: sentence(`${resourceLabel(f.resource)}: ${f.message}${at}`) + expired },
    locations: [location(f, lines, inputUri, settings)],
    partialFingerprints: { "socleFinding/v1": fingerprint(f) },
    ...(f.waiver
      ? {
          suppressions: [
            {
              kind: "external",
              status: "accepted",
              justification: `${f.waiver.justification} (approver: ${f.waiver.approver}; expires ${f.waiver.expires}; ${f.waiver.source})`,
            },
          ],
        }
      : {}),
    properties: {
      status: f.status,
      resource: f.resource,
      ...(f.path !== undefined ? { path: f.path } : {}),
      ...(f.expiredWaiver ? { expiredWaiver: f.expiredWaiver } : {}),
    },
  };
}

/** Stable across runs and machines: the control, the resource's identity, the property path and the message. */
function fingerprint(f: AuditFinding): string {
  return createHash("sha256").update([f.controlId, resourceKey(f.resource), f.path ?? "", f.message].join("\u0000")).digest("hex").slice(0, 32);
}

function location(f: AuditFinding, lines: ReadonlyMap<string, number>, inputUri: string, settings: StackSettings) {
  const ref = f.resource;
  const logical = {
    logicalLocations: [
      {
        name: ref.name ?? ref.urn ?? ref.file ?? "resource",
        ...(ref.urn !== undefined ? { fullyQualifiedName: ref.urn } : {}),
        kind: "resource",
      },
    ],
  };
  let uri = inputUri;
  let line: number | undefined;
  const setting = f.path !== undefined ? settings?.lines.get(f.path) : undefined;
  if (setting !== undefined) {
    // A deployment-level finding on a setting the operator wrote: the stack file, at that setting.
    uri = fileUri(settings!.file);
    line = setting;
  } else if (ref.file !== undefined) {
    uri = fileUri(ref.file.replace(/#.*$/, ""));
    line = lines.get(ref.file);
  } else if (ref.urn !== undefined) {
    line = lines.get(ref.urn);
  }
  return {
    physicalLocation: { artifactLocation: { uri }, region: { startLine: line ?? 1 } },
    ...logical,
  };
}

/** Relative paths stay relative URI references (as code-scanning tools expect); absolute ones become file: URIs. */
function fileUri(path: string): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return path.startsWith("/") ? `file://${encoded}` : encoded;
}

function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** `snc-workload-pss-restricted` -> `SncWorkloadPssRestricted` (SARIF's conventional rule name form). */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}
