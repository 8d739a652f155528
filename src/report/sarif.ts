import type { ControlMeta, ResourceRef } from "../../policies/types";
import type { AuditFinding, AuditReport } from "../audit/model";
import { resourceLabel } from "../audit/resource-ref";
import { sncReference } from "./text";

/** The OASIS SARIF 2.1.0 Errata 01 schema id (/work/shared/schemas/sarif/sarif-schema-2.1.0.json). */
const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

type Level = "error" | "warning" | "note" | "none";

/** Mandatory controls fail as errors; advisory ones as warnings when high or critical, notes otherwise. */
export function sarifLevel(meta: Pick<ControlMeta, "enforcement" | "severity">): Level {
  if (meta.enforcement === "mandatory") return "error";
  return meta.severity === "high" || meta.severity === "critical" ? "warning" : "note";
}

/**
 * report.sarif: one rule per control, one result per finding. Passing and not-applicable checks
 * are results of kind `pass` / `notApplicable`; waived findings carry an accepted external suppression.
 */
export function renderSarif(report: AuditReport): string {
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
      tags: ["secnumcloud", `secnumcloud-chapter-${meta.snc.chapter}`, meta.enforcement, meta.severity],
      titleFr: meta.title.fr,
      titleEn: meta.title.en,
      reference: sncReference(meta.snc),
      snc: meta.snc,
      severity: meta.severity,
      enforcement: meta.enforcement,
      evidence: meta.evidence,
    },
  }));
  const results = report.findings.map((f) => {
    const meta = metaOf.get(f.controlId);
    if (!meta) throw new Error(`finding of ${f.controlId}, a control missing from the report's controls`);
    return result(f, ruleIndex.get(f.controlId)!, meta, report.lines);
  });
  const doc = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } },
        results,
        properties: {
          date: report.today,
          input: report.input,
          stack: report.stack,
          result: report.passed ? "pass" : "fail",
          totals: report.totals,
          unusedWaivers: report.waivers.filter((w) => w.matched === 0).map((w) => w.waiver.source),
          expiredWaivers: report.waivers.filter((w) => w.expired).map((w) => w.waiver.source),
        },
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

function result(f: AuditFinding, index: number, meta: ControlMeta, lines: ReadonlyMap<string, number>) {
  const kind = f.status === "pass" ? "pass" : f.status === "notApplicable" ? "notApplicable" : "fail";
  const at = f.path ? ` (${f.path})` : "";
  const expired = f.expiredWaiver ? ` Waiver ${f.expiredWaiver.source} expired on ${f.expiredWaiver.expires}.` : "";
  return {
    ruleId: f.controlId,
    ruleIndex: index,
    kind,
    level: kind === "fail" ? sarifLevel(meta) : "none",
    message: { text: sentence(`${resourceLabel(f.resource)}: ${f.message}${at}`) + expired },
    locations: [location(f.resource, lines)],
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

function location(ref: ResourceRef, lines: ReadonlyMap<string, number>) {
  const logical = {
    logicalLocations: [
      {
        name: ref.name ?? ref.urn ?? ref.file ?? "resource",
        ...(ref.urn !== undefined ? { fullyQualifiedName: ref.urn } : {}),
        kind: "resource",
      },
    ],
  };
  if (ref.file === undefined) return logical;
  const path = ref.file.replace(/#.*$/, "");
  const line = lines.get(ref.file);
  return {
    physicalLocation: {
      artifactLocation: { uri: fileUri(path) },
      ...(line !== undefined ? { region: { startLine: line } } : {}),
    },
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
