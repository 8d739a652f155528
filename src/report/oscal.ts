import { createHash } from "node:crypto";
import type { AuditFinding, AuditReport, ControlSummary } from "../audit/model";
import { resourceKey, resourceLabel } from "../audit/resource-ref";
import { streamed, streamedObject, writeJsonValue } from "./json-stream";
import { UUID_NAMESPACE_URL, uuidV5 } from "./uuid";
import { sncReference, subjectName } from "./text";

/** The OSCAL release whose assessment-results schema we validate against (/work/shared/schemas/oscal). */
export const OSCAL_VERSION = "1.2.1";
/** Root of every UUID we derive: a v5 UUID of a fixed name in the RFC 4122 URL name space. */
const SOCLE_NAMESPACE = uuidV5("urn:socle:audit:oscal", UUID_NAMESPACE_URL);

/**
 * report.oscal.json: an OSCAL assessment-results document. One observation per failing or waived
 * finding, one summary observation per control for passing and not-applicable resources, one finding
 * per assessed control (objective = the control id; satisfied or not-satisfied), one `not-assessed`
 * observation (and no finding) per control that assessed nothing, one risk per waiver that waived something
 * (status deviation-approved). UUIDs are v5, derived from content: same audit, same UUIDs.
 */
export function renderOscal(report: AuditReport): string {
  const parts: string[] = [];
  writeOscal(report, (chunk) => parts.push(chunk));
  return parts.join("");
}

/** report.oscal.json written piece by piece (the bytes of `renderOscal`). */
export function writeOscal(report: AuditReport, write: (chunk: string) => void): void {
  const time = `${report.today}T00:00:00Z`;
  const used = new Set<string>();
  // Where the search for a free UUID resumes for each name: the first free one is `name`, then `name#1`,
  // `name#2`... as before, without trying again the suffixes already taken (k equal names cost k, not k²).
  const nextSuffix = new Map<string, number>();
  const id = (name: string) => {
    let n = nextSuffix.get(name) ?? 0;
    let u = uuidV5(n === 0 ? name : `${name}#${n}`, SOCLE_NAMESPACE);
    while (used.has(u)) u = uuidV5(`${name}#${++n}`, SOCLE_NAMESPACE);
    nextSuffix.set(name, n + 1);
    used.add(u);
    return u;
  };
  // One UUID per resource, however many findings name it.
  const subjectUuids = new Map<string, string>();
  const subjectUuid = (key: string) => {
    let u = subjectUuids.get(key);
    if (u === undefined) subjectUuids.set(key, (u = uuidV5(`resource|${key}`, SOCLE_NAMESPACE)));
    return u;
  };
  const subjectOf = (f: AuditFinding) => ({
    "subject-uuid": subjectUuid(resourceKey(f.resource)),
    type: "resource",
    title: line(resourceLabel(f.resource)),
    ...(f.resource.urn || f.resource.file ? { remarks: f.resource.urn ?? f.resource.file } : {}),
  });

  const byControl = new Map<string, AuditFinding[]>();
  for (const f of report.findings) {
    const list = byControl.get(f.controlId) ?? [];
    list.push(f);
    byControl.set(f.controlId, list);
  }

  const observations: object[] = [];
  const risks: object[] = [];
  const findings: object[] = [];
  const riskByWaiver = new Map<string, { uuid: string; observations: string[] }>();
  for (const w of report.waivers) {
    if (!w.expired && w.matched > 0) riskByWaiver.set(w.waiver.source, { uuid: id(`risk|${w.waiver.source}|${w.waiver.control}`), observations: [] });
  }

  for (const summary of report.controls) {
    const { meta } = summary;
    const list = byControl.get(meta.id) ?? [];
    const related: string[] = [];
    const relatedRisks = new Set<string>();
    for (const f of list) {
      if (f.status !== "fail" && f.status !== "waived") continue;
      const uuid = id(`observation|${f.controlId}|${resourceKey(f.resource)}|${f.path ?? ""}|${f.status}|${f.message}`);
      related.push(uuid);
      const remarks = [
        f.path ? `Property path: ${f.path}` : "",
        f.waiver ? `Waived by ${f.waiver.source}: ${f.waiver.justification} (approver: ${f.waiver.approver}; expires ${f.waiver.expires}).` : "",
        f.expiredWaiver ? `Waiver ${f.expiredWaiver.source} expired on ${f.expiredWaiver.expires}: it does not waive this finding.` : "",
      ].filter(Boolean);
      observations.push({
        uuid,
        title: line(`${meta.id}: ${resourceLabel(f.resource)}`),
        description: f.message,
        props: [{ name: "status", value: f.status === "fail" ? "fail" : "waived", ns: "urn:socle:audit" }],
        methods: ["TEST"],
        types: ["finding"],
        subjects: [subjectOf(f)],
        collected: time,
        ...(remarks.length ? { remarks: remarks.join("\n\n") } : {}),
      });
      if (f.waiver) {
        const risk = riskByWaiver.get(f.waiver.source);
        if (risk) {
          risk.observations.push(uuid);
          relatedRisks.add(risk.uuid);
        }
      }
    }
    const others = list.filter((f) => f.status === "pass" || f.status === "notApplicable");
    if (others.length > 0) {
      const uuid = id(`observation|${meta.id}|pass-and-not-applicable`);
      related.push(uuid);
      observations.push({
        uuid,
        title: line(`${meta.id}: passing and not applicable resources`),
        description: `${summary.counts.pass} resource check(s) passed and ${summary.counts.notApplicable} did not apply.`,
        methods: ["TEST"],
        subjects: others.map((f) => ({ ...subjectOf(f), props: [{ name: "status", value: f.status, ns: "urn:socle:audit" }] })),
        collected: time,
      });
    }
    if (summary.status === "notAssessed") {
      // Nothing was assessed: no objective status (satisfied or not) is claimed, only this observation.
      observations.push({
        uuid: id(`observation|${meta.id}|not-assessed`),
        title: line(`${meta.id}: not assessed`),
        description: `${meta.title.fr} / ${meta.title.en}: not assessed, ${summary.notAssessedReason ?? "nothing was assessed"}. This control is neither satisfied nor not satisfied by this audit.`,
        props: [
          { name: "status", value: "not-assessed", ns: "urn:socle:audit" },
          { name: "control-id", value: meta.id, ns: "urn:socle:audit" },
        ],
        methods: ["TEST"],
        types: ["control-objective"],
        collected: time,
      });
      continue;
    }
    findings.push({
      uuid: id(`finding|${meta.id}`),
      title: line(`${meta.id}: ${meta.title.en}`),
      description: `${meta.title.fr} / ${meta.title.en}. ${sncReference(meta.snc)}; severity ${meta.severity}; ${meta.enforcement}. ${countsText(summary)}`,
      target: {
        type: "objective-id",
        "target-id": meta.id,
        title: line(meta.title.en),
        status: objectiveStatus(summary),
      },
      ...(related.length ? { "related-observations": related.map((u) => ({ "observation-uuid": u })) } : {}),
      ...(relatedRisks.size ? { "related-risks": [...relatedRisks].map((u) => ({ "risk-uuid": u })) } : {}),
      remarks: `Rationale: ${meta.rationale}\n\nRemediation: ${meta.remediation}`,
    });
  }

  for (const w of report.waivers) {
    const risk = riskByWaiver.get(w.waiver.source);
    if (!risk) continue;
    risks.push({
      uuid: risk.uuid,
      title: line(`Waiver of ${w.waiver.control} (${w.waiver.source})`),
      description: `Justification: ${w.waiver.justification}\n\nApproved by ${w.waiver.approver}; expires ${w.waiver.expires}.`,
      statement: `${w.matched} failing check(s) of ${w.waiver.control} accepted until ${w.waiver.expires}.`,
      status: "deviation-approved",
      deadline: `${w.waiver.expires}T23:59:59Z`,
      "related-observations": risk.observations.map((u) => ({ "observation-uuid": u })),
    });
  }

  const catalogUuid = id("back-matter|control-catalog");
  const result = {
    uuid: id(`result|${subjectName(report)}|${report.today}`),
    title: line(`socle audit of ${subjectName(report)}`),
    description: `Offline audit of ${report.input.path} (${report.input.kind}) with ${report.controls.length} socle controls aligned with SecNumCloud 3.2: ${report.totals.resources} resources, ${report.totals.pass} pass, ${report.totals.fail} fail, ${report.totals.waived} waived, ${report.totals.notApplicable} not applicable. Result: ${report.passed ? "pass" : "fail"}.`,
    start: time,
    end: time,
    "reviewed-controls": {
      "control-selections": [
        report.controls.length ? { "include-controls": report.controls.map((c) => ({ "control-id": c.meta.id })) } : { "include-all": {} },
      ],
    },
    ...(observations.length ? { observations } : {}),
    ...(risks.length ? { risks } : {}),
    ...(findings.length ? { findings } : {}),
    ...(unusedOrExpired(report) ? { remarks: unusedOrExpired(report) } : {}),
  };
  const body = {
    metadata: {
      title: line(`socle audit: ${subjectName(report)} (${report.today})`),
      "last-modified": time,
      version: `${report.today}`,
      "oscal-version": OSCAL_VERSION,
    },
    "import-ap": {
      href: `#${catalogUuid}`,
      remarks: "socle audit has no separate assessment plan: the plan is the control catalog described in back-matter.",
    },
    results: [result],
    "back-matter": {
      resources: [
        {
          uuid: catalogUuid,
          title: `${report.tool.name} ${report.tool.version} control catalog`,
          description: `The ${report.controls.length} controls run by socle audit: ${report.controls.map((c) => c.meta.id).join(", ")}.`,
        },
      ],
    },
  };
  // Written piece by piece (the bytes of JSON.stringify): the digest over the compact JSON of the body,
  // then the pretty document; the large arrays of the result are never one string in memory.
  const streamedBody = () =>
    Object.entries(body).map(([key, value]) =>
      key === "results"
        ? ([key, streamed((value as object[]).map((r) => streamedObject(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? streamed(v) : v] as const))))] as const)
        : ([key, value] as const),
    );
  const hash = createHash("sha256");
  batched((chunk) => hash.update(chunk), (add) => writeJsonValue(streamedObject(streamedBody()), add, false));
  const digest = hash.digest("hex");
  const doc = streamedObject([["assessment-results", streamedObject([["uuid", uuidV5(`document|${digest}`, SOCLE_NAMESPACE)], ...streamedBody()])]]);
  writeJsonValue(doc, write);
  write("\n");
}

/** Gathers small chunks into pieces of about 64 KiB for `sink`. */
function batched(sink: (chunk: string) => void, produce: (write: (chunk: string) => void) => void): void {
  let pending: string[] = [];
  let size = 0;
  produce((chunk) => {
    pending.push(chunk);
    size += chunk.length;
    if (size >= 1 << 16) {
      sink(pending.join(""));
      pending = [];
      size = 0;
    }
  });
  if (pending.length) sink(pending.join(""));
}

function objectiveStatus(s: ControlSummary) {
  if (s.status === "fail") return { state: "not-satisfied", reason: "fail" };
  if (s.status === "waived") return { state: "not-satisfied", reason: "other", remarks: "Every failure is covered by an approved waiver (see related risks)." };
  if (s.status === "pass") return { state: "satisfied", reason: "pass" };
  throw new Error(`control ${s.meta.id} assessed nothing: it has no objective status`);
}

function countsText(s: ControlSummary): string {
  const c = s.counts;
  return `${c.pass} pass, ${c.fail} fail, ${c.waived} waived, ${c.notApplicable} not applicable.`;
}

function unusedOrExpired(report: AuditReport): string {
  const parts: string[] = [];
  const expired = report.waivers.filter((w) => w.expired);
  const unused = report.waivers.filter((w) => w.matched === 0);
  if (expired.length) parts.push(`Expired waivers (they waive nothing): ${expired.map((w) => `${w.waiver.source} (${w.waiver.control}, expired ${w.waiver.expires})`).join("; ")}.`);
  if (unused.length) parts.push(`Unused waivers (they match no failing finding): ${unused.map((w) => `${w.waiver.source} (${w.waiver.control})`).join("; ")}.`);
  return parts.join("\n\n");
}

/** OSCAL titles are single-line Markdown: newlines become spaces. */
function line(s: string): string {
  const t = s.replace(/\s*\r?\n\s*/g, " ").trim();
  return t === "" ? "(untitled)" : t;
}
