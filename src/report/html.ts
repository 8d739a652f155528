import type { ControlMeta, FindingStatus } from "../../policies/types";
import type { AuditFinding, AuditReport, ControlStatus, ControlSummary, WaiverOutcome } from "../audit/model";
import { resourceLabel } from "../audit/resource-ref";
import { findingsByControl } from "./group";
import { REPORT_CSS } from "./html-style";
import { STATUS_LABELS, escapeHtml as h, percent, resourceLocation, sncReference, subjectName } from "./text";

/**
 * report.html: one self-contained page for an auditor (inline CSS, no script, no external fetch;
 * the Content-Security-Policy forbids any). Bilingual labels: French first, then English.
 */
export function renderHtml(report: AuditReport): string {
  const parts: string[] = [];
  writeHtml(report, (chunk) => parts.push(chunk));
  return parts.join("");
}

type Write = (chunk: string) => void;

/** report.html written piece by piece (the bytes of `renderHtml`): one finding's row at a time, never the page in memory. */
export function writeHtml(report: AuditReport, write: Write): void {
  const byControl = findingsByControl(report.findings);
  const title = `Rapport d'audit socle / socle audit report: ${subjectName(report)} (${report.today})`;
  // Each piece is followed by a newline; a function writes its piece itself.
  const pieces: (string | (() => void))[] = [
    "<!DOCTYPE html>",
    '<html lang="fr">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    header(report),
    totals(report),
    chart(report),
    chapters(report),
    // An auditor reads failures first, then what was waived (and by whom, until when), then what was not assessed, then passes.
    () => controlSection(report, byControl, "fail", "failures", "Non-conformités / Failures", "Aucun contrôle en échec / No failing control.", write),
    waivers(report),
    () => controlSection(report, byControl, "waived", "waived-controls", "Contrôles avec dérogations / Controls with waived findings", "Aucune dérogation appliquée / No waived finding.", write),
    () => controlSection(report, byControl, "notAssessed", "not-assessed", "Non évalués / Not assessed", "Chaque contrôle a évalué au moins une ressource / Every control assessed at least one resource.", write),
    () => controlSection(report, byControl, "pass", "passes", "Conformes / Passes", "Aucun contrôle conforme / No passing control.", write),
    context(report),
    controlIndex(report),
    `<footer class="muted"><p>${h(report.tool.name)} ${h(report.tool.version)} · ${h(report.today)}</p></footer>`,
    "</body>",
    "</html>",
  ];
  for (const piece of pieces) {
    if (typeof piece === "string") write(piece);
    else piece();
    write("\n");
  }
}

function header(r: AuditReport): string {
  const s = r.stack;
  const rows: [string, string | undefined][] = [
    ["Stack", s.name],
    ["Projet / Project", s.project],
    ["Type de stack / Stack kind", s.kind],
    ["Cible / Target", s.target],
    ["Région / Region", s.region],
    ["Date d'évaluation / Evaluation date", r.today],
    ["Entrée / Input", `${r.input.path} (${r.input.kind})`],
    ["Fichier de dérogations / Waiver file", r.waiverFile],
  ];
  const result = r.passed
    ? `<p class="result pass" data-testid="result">Conforme / Pass: aucun contrôle obligatoire en échec / no mandatory failure</p>`
    : `<p class="result fail" data-testid="result">Non conforme / Fail: ${r.totals.mandatoryFailures} échec(s) obligatoire(s) / mandatory failure(s)</p>`;
  return `<header>\n<h1>Rapport d'audit SecNumCloud / SecNumCloud audit report: ${h(subjectName(r))}</h1>\n${result}\n${dl(rows)}\n</header>`;
}

function totals(r: AuditReport): string {
  const t = r.totals;
  const cells: [string, number, string][] = [
    ["Ressources / Resources", t.resources, "resources"],
    ["Contrôles / Controls", r.controls.length, "controls"],
    ["Conformes / Pass", t.pass, "pass"],
    ["Non conformes / Fail", t.fail, "fail"],
    ["dont obligatoires / of which mandatory", t.mandatoryFailures, "mandatory-failures"],
    ["Dérogations / Waived", t.waived, "waived"],
    ["Non applicables / Not applicable", t.notApplicable, "notApplicable"],
    ["Contrôles non évalués / Controls not assessed", r.controls.filter((c) => c.status === "notAssessed").length, "not-assessed"],
  ];
  return (
    `<section id="totals">\n<h2>Synthèse / Summary</h2>\n<table>\n<tr>${cells.map(([l]) => `<th class="num">${h(l)}</th>`).join("")}</tr>\n` +
    `<tr>${cells.map(([, n, id]) => `<td class="num" data-testid="total-${id}">${n}</td>`).join("")}</tr>\n</table>\n</section>`
  );
}

function context(r: AuditReport): string {
  const c = r.context;
  const list = (xs: readonly string[]) => (xs.length ? xs.map((x) => `<code>${h(x)}</code>`).join(", ") : '<span class="muted">aucune / none</span>');
  const rows: [string, string][] = [
    ["Régions autorisées / Allowed regions", list(c.allowedRegions)],
    ["Registres autorisés / Allowed registries", list(c.allowedRegistries)],
    ["Répartiteurs déclarés / Declared load balancers", list(c.declaredLoadBalancers)],
    ["Rétention minimale des journaux / Minimum log retention", `${c.minLogRetentionDays} jours / days`],
    [
      "Hébergeur / Provider",
      c.provider
        ? `${h(c.provider.name)}, ${h(c.provider.qualificationReference)}, expire / expires ${h(c.provider.qualificationExpires)}, juridiction UE / EU jurisdiction: ${c.provider.euJurisdiction ? "oui / yes" : "non / no"}`
        : '<span class="muted">non déclaré / not declared</span>',
    ],
    ["Métadonnées de stack / Stack metadata", c.hasStackMetadata ? "oui / yes" : "non: valeurs par défaut / no: defaults used"],
  ];
  return `<section id="context">\n<h2>Contexte / Context</h2>\n<dl class="meta">${rows.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join("")}</dl>\n</section>`;
}

function chapters(r: AuditReport): string {
  const rows = r.chapters.map((c) => {
    const judged = c.counts.pass + c.counts.fail + c.counts.waived;
    const share = (n: number) => (judged === 0 ? 0 : Math.round((n / judged) * 1000) / 10);
    const segments = (["pass", "waived", "fail"] as const)
      .filter((k) => c.counts[k] > 0)
      .map((k) => `<span class="${k}" style="width:${share(c.counts[k])}%" title="${k}: ${c.counts[k]}"></span>`)
      .join("");
    const waivedText = c.counts.waived > 0 ? ` <span class="muted" data-testid="waived-share-${h(c.chapter)}">(${share(c.counts.waived)}% dérogé / waived)</span>` : "";
    return (
      `<tr data-chapter="${h(c.chapter)}"><td>${h(c.chapter)}</td><td>${h(c.title.fr)}<br><span class="muted">${h(c.title.en)}</span></td>` +
      `<td class="num">${c.controls}</td><td class="num">${c.counts.pass}</td><td class="num">${c.counts.fail}</td><td class="num">${c.counts.waived}</td><td class="num">${c.counts.notApplicable}</td>` +
      `<td><span class="bar">${segments}</span><span data-testid="score-${h(c.chapter)}">${percent(c.score)}</span>${waivedText}</td></tr>`
    );
  });
  return (
    `<section id="chapters">\n<h2>Score par chapitre SecNumCloud / Score per SecNumCloud chapter</h2>\n` +
    `<p class="muted">Score = conformes / (conformes + non conformes + dérogations) : une dérogation n'est pas une conformité. Score = pass / (pass + fail + waived): a waived finding is not a pass. Barre / bar: vert / green pass, ocre / ochre waived, rouge / red fail.</p>\n` +
    `<table>\n<tr><th>Chapitre / Chapter</th><th>Titre / Title</th><th class="num">Contrôles</th><th class="num">Pass</th><th class="num">Fail</th><th class="num">Waived</th><th class="num">N/A</th><th>Score</th></tr>\n${rows.join("\n")}\n</table>\n</section>`
  );
}

const SEVERITIES = ["critical", "high", "medium", "low"] as const;
const SEVERITY_COLOURS: Record<(typeof SEVERITIES)[number], string> = { critical: "#6d0f0a", high: "#b3261e", medium: "#e0701b", low: "#d9a400" };
const WAIVED_COLOUR = "#8a5a00";

/** Failing and waived findings per chapter, stacked by severity: an inline SVG (no script, no fetch). */
function chart(r: AuditReport): string {
  const severityOf = new Map(r.controls.map((c) => [c.meta.id, c.meta.severity]));
  const chapterOf = new Map(r.controls.map((c) => [c.meta.id, c.meta.snc.chapter]));
  // One pass over the findings for every chapter.
  const tally = new Map<string, { fail: Record<(typeof SEVERITIES)[number], number>; waived: number }>();
  for (const c of r.chapters) if (!tally.has(c.chapter)) tally.set(c.chapter, { fail: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<(typeof SEVERITIES)[number], number>, waived: 0 });
  for (const f of r.findings) {
    if (f.status !== "fail" && f.status !== "waived") continue;
    const chapter = chapterOf.get(f.controlId);
    const t = chapter === undefined ? undefined : tally.get(chapter);
    if (!t) continue;
    if (f.status === "fail") t.fail[severityOf.get(f.controlId)!]++;
    else t.waived++;
  }
  const rows = r.chapters.map((c) => {
    const { fail, waived } = tally.get(c.chapter)!;
    return { chapter: c, fail, waived, total: SEVERITIES.reduce((n, s) => n + fail[s], 0) + waived };
  });
  const max = Math.max(1, ...rows.map((row) => row.total));
  const labelW = 260;
  const barW = 420;
  const rowH = 26;
  const top = 10;
  const height = top + rows.length * rowH + 40;
  const width = labelW + barW + 70;
  const out: string[] = [];
  rows.forEach((row, i) => {
    const y = top + i * rowH;
    out.push(`<text x="0" y="${y + 16}">${h(`${row.chapter.chapter}. ${row.chapter.title.en}`)}</text>`);
    let x = labelW;
    const segment = (n: number, colour: string, label: string) => {
      if (n === 0) return;
      const w = Math.max(1, Math.round((n / max) * barW));
      out.push(`<rect x="${x}" y="${y + 4}" width="${w}" height="${rowH - 10}" fill="${colour}" data-segment="${h(label)}" data-count="${n}"><title>${h(`${row.chapter.chapter}. ${row.chapter.title.en}: ${n} ${label}`)}</title></rect>`);
      x += w;
    };
    for (const s of SEVERITIES) segment(row.fail[s], SEVERITY_COLOURS[s], `fail ${s}`);
    segment(row.waived, WAIVED_COLOUR, "waived");
    out.push(`<text x="${x + 6}" y="${y + 16}" data-testid="chart-total-${h(row.chapter.chapter)}">${row.total}</text>`);
  });
  const legendY = top + rows.length * rowH + 20;
  const legend = [...SEVERITIES.map((s) => [`fail ${s}`, SEVERITY_COLOURS[s]] as const), ["waived", WAIVED_COLOUR] as const];
  legend.forEach(([label, colour], i) => {
    const x = labelW + i * 90;
    out.push(`<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${colour}"></rect><text x="${x + 16}" y="${legendY}">${h(label)}</text>`);
  });
  const described = "Non-conformités et dérogations par chapitre et sévérité / Failing and waived findings by chapter and severity";
  return (
    `<section id="chart" class="chart">\n<h2>${h(described)}</h2>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${h(described)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${h(described)}</title>${out.join("")}</svg>\n</section>`
  );
}

const STATUS_RANK: Record<string, number> = { mandatory: 0, advisory: 1 };
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The controls of one status, mandatory before advisory, most severe first, then by id. */
function controlSection(
  r: AuditReport,
  byControl: ReadonlyMap<string, readonly AuditFinding[]>,
  status: ControlSummary["status"],
  id: string,
  title: string,
  none: string,
  write: Write,
): void {
  const list = r.controls
    .filter((c) => c.status === status)
    .sort(
      (a, b) =>
        STATUS_RANK[a.meta.enforcement]! - STATUS_RANK[b.meta.enforcement]! ||
        SEVERITY_RANK[a.meta.severity]! - SEVERITY_RANK[b.meta.severity]! ||
        (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0),
    );
  write(`<section id="${id}" class="controls">\n<h2>${h(title)} (${list.length})</h2>\n`);
  if (list.length === 0) write(`<p class="muted">${h(none)}</p>\n`);
  for (const c of list) {
    control(c, byControl.get(c.meta.id) ?? [], write);
    write("\n");
  }
  write("</section>");
}

function controlIndex(r: AuditReport): string {
  const rows = r.controls.map(
    ({ meta, status, counts }) =>
      `<tr><td>${badge(status)}</td><td><a href="#control-${h(meta.id)}"><code>${h(meta.id)}</code></a></td><td>${h(meta.title.fr)}<br><span class="muted">${h(meta.title.en)}</span></td>` +
      `<td>${reference(meta)}</td><td>${h(meta.severity)}</td><td>${h(meta.enforcement)}</td><td class="num">${counts.pass}</td><td class="num">${counts.fail}</td><td class="num">${counts.waived}</td><td class="num">${counts.notApplicable}</td></tr>`,
  );
  return (
    `<section id="index">\n<h2>Index des contrôles / Control index</h2>\n<p class="muted">Par identifiant / By id.</p>\n<table>\n<tr><th>Statut / Status</th><th>Contrôle / Control</th><th>Titre / Title</th><th>Référence / Reference</th><th>Sévérité / Severity</th><th>Application / Enforcement</th>` +
    `<th class="num">Pass</th><th class="num">Fail</th><th class="num">Waived</th><th class="num">N/A</th></tr>\n${rows.join("\n")}\n</table>\n</section>`
  );
}

/** One control's article, its findings written one row at a time. */
function control(summary: ControlSummary, findings: readonly AuditFinding[], write: Write): void {
  const { meta, status, counts } = summary;
  let fails = 0;
  let waived = 0;
  let others = 0;
  for (const f of findings) {
    if (f.status === "fail") fails++;
    else if (f.status === "waived") waived++;
    else if (f.status === "pass" || f.status === "notApplicable") others++;
  }
  write(
    [
      `<article class="control ${status}" id="control-${h(meta.id)}" data-control="${h(meta.id)}" data-status="${status}">`,
      `<h3>${badge(status)} <code>${h(meta.id)}</code></h3>`,
      `<p class="title-fr" lang="fr">${h(meta.title.fr)}</p>`,
      `<p class="title-en" lang="en">${h(meta.title.en)}</p>`,
      dl([
        ["Référence / Reference", undefined, reference(meta) + (meta.snc.source ? ` <span class="muted">(source: ${h(meta.snc.source)})</span>` : "")],
        ["Sévérité / Severity", meta.severity],
        ["Application / Enforcement", meta.enforcement === "mandatory" ? "obligatoire / mandatory" : "recommandé / advisory"],
        ["Résultats / Results", `${counts.pass} pass, ${counts.fail} fail, ${counts.waived} waived, ${counts.notApplicable} not applicable`],
        ...(summary.notAssessedReason ? [["Non évalué / Not assessed", summary.notAssessedReason] as const] : []),
        ["Justification / Rationale", meta.rationale],
        ["Remédiation / Remediation", meta.remediation],
        ["Éléments lus / Evidence read", undefined, meta.evidence.map((e) => `<code>${h(e)}</code>`).join("<br>")],
      ]),
    ].join("\n"),
  );
  if (fails > 0) {
    write(
      `\n<h4>Non-conformités / Failures (${fails})</h4>` +
        `\n<table class="findings fail">\n<tr><th>Ressource / Resource</th><th>Chemin / Property path</th><th>Constat / Finding</th></tr>`,
    );
    for (const f of findings) {
      if (f.status !== "fail") continue;
      write(
        `\n<tr data-status="fail"><td>${resource(f)}</td><td>${f.path ? `<code class="path">${h(f.path)}</code>` : ""}</td><td>${h(f.message)}` +
          (f.expiredWaiver
            ? `<br><span class="expired">Dérogation expirée / Expired waiver: ${h(f.expiredWaiver.source)}, ${h(f.expiredWaiver.expires)}: ${h(f.expiredWaiver.justification)}</span>`
            : "") +
          `</td></tr>`,
      );
    }
    write("\n</table>");
  }
  if (waived > 0) {
    write(
      `\n<h4>Dérogations appliquées / Waived findings (${waived})</h4>` +
        `\n<table class="findings waived">\n<tr><th>Ressource / Resource</th><th>Chemin / Property path</th><th>Constat / Finding</th><th>Justification</th><th>Approbateur / Approver</th><th>Expire / Expires</th></tr>`,
    );
    for (const f of findings) {
      if (f.status !== "waived") continue;
      write(
        `\n<tr data-status="waived"><td>${resource(f)}</td><td>${f.path ? `<code class="path">${h(f.path)}</code>` : ""}</td><td>${h(f.message)}</td>` +
          `<td class="justification">${h(f.waiver!.justification)}<br><span class="muted">${h(f.waiver!.source)}</span></td><td>${h(f.waiver!.approver)}</td><td>${h(f.waiver!.expires)}</td></tr>`,
      );
    }
    write("\n</table>");
  }
  if (others > 0) {
    write(
      `\n<details><summary>Conformes et non applicables / Passing and not applicable (${others})</summary>` +
        `\n<table class="findings">\n<tr><th>Statut / Status</th><th>Ressource / Resource</th><th>Constat / Evidence</th></tr>`,
    );
    for (const f of findings) {
      if (f.status === "pass" || f.status === "notApplicable") write(`\n<tr data-status="${f.status}"><td>${badge(f.status)}</td><td>${resource(f)}</td><td>${h(f.message)}</td></tr>`);
    }
    write("\n</table>\n</details>");
  }
  write("\n</article>");
}

function waivers(r: AuditReport): string {
  const expired = r.waivers.filter((w) => w.expired);
  const unused = r.waivers.filter((w) => w.matched === 0);
  const table = (list: readonly WaiverOutcome[], id: string) =>
    list.length === 0
      ? `<p class="muted" id="${id}">Aucune / None.</p>`
      : `<table id="${id}">\n<tr><th>Dérogation / Waiver</th><th>Contrôle / Control</th><th>Sélecteur / Selector</th><th>Justification</th><th>Approbateur / Approver</th><th>Expire / Expires</th><th>Statut / Status</th><th class="num">Constats couverts / Findings covered</th></tr>\n` +
        list
          .map(
            (o) =>
              `<tr><td>${h(o.waiver.source)}</td><td><code>${h(o.waiver.control)}</code></td><td><code>${h(selector(o))}</code></td><td>${h(o.waiver.justification)}</td>` +
              `<td>${h(o.waiver.approver)}</td><td>${h(o.waiver.expires)}</td><td>${waiverStatus(o)}</td><td class="num">${o.matched}</td></tr>`,
          )
          .join("\n") +
        "\n</table>";
  return [
    '<section id="waivers">',
    "<h2>Dérogations / Waivers</h2>",
    r.waiverFile ? `<p>Fichier / File: <code>${h(r.waiverFile)}</code></p>` : '<p class="muted">Aucun fichier de dérogations / No waiver file.</p>',
    table(r.waivers, "waivers-all"),
    "<h3>Dérogations expirées / Expired waivers</h3>",
    '<p class="muted">Une dérogation expirée ne couvre plus rien : les constats restent en échec. An expired waiver waives nothing: its findings stay failed.</p>',
    table(expired, "waivers-expired"),
    "<h3>Dérogations inutilisées / Unused waivers</h3>",
    '<p class="muted">Ne correspondent à aucun constat en échec : corrigées ou mal ciblées. They match no failing finding: fixed, or mistyped.</p>',
    table(unused, "waivers-unused"),
    "</section>",
  ].join("\n");
}

function waiverStatus(o: WaiverOutcome): string {
  if (o.expired) return '<span class="expired">expirée / expired</span>';
  if (o.matched === 0) return "inutilisée / unused";
  return "active";
}

function selector(o: WaiverOutcome): string {
  return Object.entries(o.waiver.resource)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

function resource(f: AuditFinding): string {
  const where = resourceLocation(f.resource);
  return `${h(resourceLabel(f.resource))}${where ? `<br><code class="muted">${h(where)}</code>` : ""}`;
}

function reference(meta: ControlMeta): string {
  const ref = sncReference({ ...meta.snc, verified: true });
  return `${h(ref)}${meta.snc.verified ? "" : '<span class="unverified" title="Section non confirmée par une source publique / section not confirmed by a public source">unverified</span>'}`;
}

function badge(status: FindingStatus | ControlStatus): string {
  const l = STATUS_LABELS[status];
  return `<span class="badge ${status}">${h(l.fr)} / ${h(l.en)}</span>`;
}

function dl(rows: readonly (readonly [string, string | undefined, string?])[]): string {
  const items = rows
    .filter(([, text, raw]) => text !== undefined || raw !== undefined)
    .map(([k, text, raw]) => `<dt>${h(k)}</dt><dd>${raw ?? h(text!)}</dd>`);
  return `<dl class="meta">${items.join("")}</dl>`;
}
