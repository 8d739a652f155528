import { createHash } from "node:crypto";
import type { ResourceRef } from "../../policies/types";
import type { AuditFinding, AuditReport, ControlSummary } from "../audit/model";
import { resourceKey, resourceLabel } from "../audit/resource-ref";
import { findingsByControl } from "./group";
import { streamed, streamedObject, writeJsonValueTwice } from "./json-stream";
import { UUID_NAMESPACE_URL, uuidV5 } from "./uuid";
import { byteSink } from "./sink";
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
  const patch = writeOscal(report, (chunk) => parts.push(chunk));
  const text = parts.join("");
  return text.slice(0, patch.offset) + patch.text + text.slice(patch.offset + patch.text.length);
}

/** The start of the document, up to its UUID: ASCII, so its length in characters is its length in bytes. */
const HEAD = '{\n  "assessment-results": {\n    "uuid": "';
/** Where the document's UUID goes until it is known: as long as a UUID. */
const PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

/** Text to write over the placeholder at a byte offset of the document, once the whole document is written. */
export interface OscalPatch {
  readonly offset: number;
  readonly text: string;
}

/**
 * report.oscal.json written piece by piece (the bytes of `renderOscal`), in one walk: each observation is
 * built, then written (pretty) and hashed (compact) before the next, so the document, and the list of its
 * observations, are never in memory. The document's UUID is derived from the digest of the compact body,
 * known only at the end: a placeholder of the same length is written, and the returned patch (its byte
 * offset and the UUID) must be written over it.
 */
export function writeOscal(report: AuditReport, write: (chunk: string) => void): OscalPatch {
  const time = `${report.today}T00:00:00Z`;
  // Every UUID given so far; for a name's first UUID, where the search for a free UUID resumes for that
  // name: the first free one is `name`, then `name#1`, `name#2`... without trying again the suffixes
  // already taken (k equal names cost k, not k²). One map for both: one look-up for a name seen once.
  const taken = new Map<string, number>();
  const id = (name: string) => {
    const first = uuidV5(name, SOCLE_NAMESPACE);
    let n = taken.get(first);
    if (n === undefined) {
      taken.set(first, 1);
      return first;
    }
    let u = n === 0 ? first : uuidV5(`${name}#${n}`, SOCLE_NAMESPACE);
    while (taken.has(u)) u = uuidV5(`${name}#${++n}`, SOCLE_NAMESPACE);
    taken.set(first, n + 1);
    if (u !== first) taken.set(u, 0);
    return u;
  };
  // One UUID per resource, however many findings name it; a resource's subject fields built once per reference.
  const subjectUuids = new Map<string, string>();
  const subjectUuid = (key: string) => {
    let u = subjectUuids.get(key);
    if (u === undefined) subjectUuids.set(key, (u = uuidV5(`resource|${key}`, SOCLE_NAMESPACE)));
    return u;
  };
  const subjects = new WeakMap<ResourceRef, { uuid: string; title: string }>();
  const subjectOf = (f: AuditFinding) => {
    let s = subjects.get(f.resource);
    if (!s) subjects.set(f.resource, (s = { uuid: subjectUuid(resourceKey(f.resource)), title: line(resourceLabel(f.resource)) }));
    return {
      "subject-uuid": s.uuid,
      type: "resource",
      title: s.title,
      ...(f.resource.urn || f.resource.file ? { remarks: f.resource.urn ?? f.resource.file } : {}),
    };
  };

  const byControl = findingsByControl(report.findings);
  const riskByWaiver = new Map<string, { uuid: string; observations: string[] }>();
  for (const w of report.waivers) {
    if (!w.expired && w.matched > 0) riskByWaiver.set(w.waiver.source, { uuid: id(`risk|${w.waiver.source}|${w.waiver.control}`), observations: [] });
  }
  // Filled while the observations are written (which come first in the document): one per assessed control.
  const findings: object[] = [];

  function* observations(): Generator<unknown> {
    for (const summary of report.controls) {
      const { meta } = summary;
      const list = byControl.get(meta.id) ?? [];
      const related: string[] = [];
      const relatedRisks = new Set<string>();
      let others = 0;
      for (const f of list) {
        if (f.status !== "fail" && f.status !== "waived") {
          if (f.status === "pass" || f.status === "notApplicable") others++;
          continue;
        }
        const uuid = id(`observation|${f.controlId}|${resourceKey(f.resource)}|${f.path ?? ""}|${f.status}|${f.message}`);
        related.push(uuid);
        const remarks = [
          f.path ? `Property path: ${f.path}` : "",
          f.waiver ? `Waived by ${f.waiver.source}: ${f.waiver.justification} (approver: ${f.waiver.approver}; expires ${f.waiver.expires}).` : "",
          f.expiredWaiver ? `Waiver ${f.expiredWaiver.source} expired on ${f.expiredWaiver.expires}: it does not waive this finding.` : "",
        ].filter(Boolean);
        if (f.waiver) {
          const risk = riskByWaiver.get(f.waiver.source);
          if (risk) {
            risk.observations.push(uuid);
            relatedRisks.add(risk.uuid);
          }
        }
        yield {
          uuid,
          title: line(`${meta.id}: ${resourceLabel(f.resource)}`),
          description: f.message,
          props: [{ name: "status", value: f.status === "fail" ? "fail" : "waived", ns: "urn:socle:audit" }],
          methods: ["TEST"],
          types: ["finding"],
          subjects: [subjectOf(f)],
          collected: time,
          ...(remarks.length ? { remarks: remarks.join("\n\n") } : {}),
        };
      }
      if (others > 0) {
        const uuid = id(`observation|${meta.id}|pass-and-not-applicable`);
        related.push(uuid);
        // One subject per passing or not-applicable check: written one at a time.
        const subjects = function* () {
          for (const f of list) {
            if (f.status === "pass" || f.status === "notApplicable") yield { ...subjectOf(f), props: [{ name: "status", value: f.status, ns: "urn:socle:audit" }] };
          }
        };
        yield streamedObject([
          ["uuid", uuid],
          ["title", line(`${meta.id}: passing and not applicable resources`)],
          ["description", `${summary.counts.pass} resource check(s) passed and ${summary.counts.notApplicable} did not apply.`],
          ["methods", ["TEST"]],
          ["subjects", streamed(subjects())],
          ["collected", time],
        ]);
      }
      if (summary.status === "notAssessed") {
        // Nothing was assessed: no objective status (satisfied or not) is claimed, only this observation.
        yield {
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
        };
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
  }

  // Read once the observations are written.
  function* risks(): Generator<unknown> {
    for (const w of report.waivers) {
      const risk = riskByWaiver.get(w.waiver.source);
      if (!risk) continue;
      yield {
        uuid: risk.uuid,
        title: line(`Waiver of ${w.waiver.control} (${w.waiver.source})`),
        description: `Justification: ${w.waiver.justification}\n\nApproved by ${w.waiver.approver}; expires ${w.waiver.expires}.`,
        statement: `${w.matched} failing check(s) of ${w.waiver.control} accepted until ${w.waiver.expires}.`,
        status: "deviation-approved",
        deadline: `${w.waiver.expires}T23:59:59Z`,
        "related-observations": risk.observations.map((u) => ({ "observation-uuid": u })),
      };
    }
  }

  // Which of the result's lists are present (an empty one is left out) is known before they are written:
  // an observation for every control with a finding or that assessed nothing, a risk per active waiver
  // that matched, a finding per assessed control.
  const hasObservations = report.controls.some((c) => c.status === "notAssessed" || (byControl.get(c.meta.id)?.length ?? 0) > 0);
  const hasRisks = riskByWaiver.size > 0;
  const hasFindings = report.controls.some((c) => c.status !== "notAssessed");
  const catalogUuid = id("back-matter|control-catalog");
  // The result's UUID comes before its observations in the document; its name is used once (a UUID taken
  // by another name would be a SHA-1 collision), so deriving it first gives the UUID deriving it last gave.
  const resultUuid = id(`result|${subjectName(report)}|${report.today}`);
  const remarks = unusedOrExpired(report);
  const result = streamedObject([
    ["uuid", resultUuid],
    ["title", line(`socle audit of ${subjectName(report)}`)],
    [
      "description",
      `Offline audit of ${report.input.path} (${report.input.kind}) with ${report.controls.length} socle controls aligned with SecNumCloud 3.2: ${report.totals.resources} resources, ${report.totals.pass} pass, ${report.totals.fail} fail, ${report.totals.waived} waived, ${report.totals.notApplicable} not applicable. Result: ${report.passed ? "pass" : "fail"}.`,
    ],
    ["start", time],
    ["end", time],
    [
      "reviewed-controls",
      {
        "control-selections": [
          report.controls.length ? { "include-controls": report.controls.map((c) => ({ "control-id": c.meta.id })) } : { "include-all": {} },
        ],
      },
    ],
    ...(hasObservations ? [["observations", streamed(observations())] as const] : []),
    ...(hasRisks ? [["risks", streamed(risks())] as const] : []),
    ...(hasFindings ? [["findings", streamed(findings)] as const] : []),
    ...(remarks ? [["remarks", remarks] as const] : []),
  ]);
  const body: [string, unknown][] = [
    [
      "metadata",
      {
        title: line(`socle audit: ${subjectName(report)} (${report.today})`),
        "last-modified": time,
        version: `${report.today}`,
        "oscal-version": OSCAL_VERSION,
      },
    ],
    [
      "import-ap",
      {
        href: `#${catalogUuid}`,
        remarks: "socle audit has no separate assessment plan: the plan is the control catalog described in back-matter.",
      },
    ],
    ["results", streamed([result])],
    [
      "back-matter",
      {
        resources: [
          {
            uuid: catalogUuid,
            title: `${report.tool.name} ${report.tool.version} control catalog`,
            description: `The ${report.controls.length} controls run by socle audit: ${report.controls.map((c) => c.meta.id).join(", ")}.`,
          },
        ],
      },
    ],
  ];
  // The document is {"assessment-results": {"uuid": <digest of the compact body>, ...body}}: the body is
  // written pretty at its place in the document and, in the same walk, hashed compact.
  const hash = createHash("sha256");
  const hashed = byteSink((bytes) => hash.update(bytes), 1 << 16);
  const compact = hashed.write;
  write(`${HEAD}${PLACEHOLDER}"`);
  body.forEach(([key, value], i) => {
    compact(`${i === 0 ? "{" : ","}${JSON.stringify(key)}:`);
    write(`,\n    ${JSON.stringify(key)}: `);
    writeJsonValueTwice(value, compact, write, "    ");
  });
  compact("}");
  hashed.end();
  write("\n  }\n}\n");
  return { offset: HEAD.length, text: uuidV5(`document|${hash.digest("hex")}`, SOCLE_NAMESPACE) };
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
  const t = (s.includes("\n") ? s.replace(/\s*\r?\n\s*/g, " ") : s).trim();
  return t === "" ? "(untitled)" : t;
}
