/** The fleet report: per-tenant verdicts and the isolation proof over the whole fleet (md and json). */
export interface TenantVerdict {
  readonly stack: string;
  readonly role: "platform" | "tenant";
  organization?: string;
  resources?: number;
  /** `invalid`: the stack file or an input is wrong (exit 2); `error`: the stack's run stopped on an internal error or its worker thread stopped (exit 3). */
  render: "ok" | "invalid" | "error";
  error?: string;
  audit?: { verdict: "PASS" | "FAIL"; pass: number; fail: number; mandatoryFailures: number; waived: number; notAssessed: number };
  check?: { blockers: number; warnings: number };
  isolation?: "pass" | "fail" | "notAssessed";
}

export interface FleetReport {
  readonly platform: string;
  readonly mode: string;
  readonly today: string;
  readonly tenants: readonly TenantVerdict[];
  readonly isolation: {
    readonly controlId: string;
    readonly status: "pass" | "fail" | "notAssessed";
    readonly tenants: number;
    readonly note?: string;
    readonly violations: readonly { readonly tenant: string; readonly message: string; readonly path?: string }[];
  };
  readonly notes: readonly string[];
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function columns(t: TenantVerdict): string[] {
  return [
    t.stack,
    t.role,
    t.organization ?? "",
    t.render === "ok" ? String(t.resources ?? 0) : t.render === "invalid" ? "invalid" : "internal error",
    t.audit ? `${t.audit.verdict} (${t.audit.fail} fail, ${t.audit.mandatoryFailures} mandatory, ${t.audit.waived} waived)` : "-",
    t.check ? `${t.check.blockers} blocker(s), ${t.check.warnings} warning(s)` : "-",
    t.role === "platform" ? "(shared services)" : t.isolation ?? "-",
  ];
}

const HEAD = ["stack", "role", "organization", "resources", "audit", "check", "isolation"];

/** The terminal table: one row per stack, then the isolation line. */
export function summaryTable(report: FleetReport): string {
  const rows = [HEAD, ...report.tenants.map(columns)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  const iso = report.isolation;
  lines.push("");
  lines.push(
    `isolation (${iso.controlId}) over ${iso.tenants} tenant(s): ${iso.status === "notAssessed" ? `NOT ASSESSED (${iso.note ?? ""})` : iso.status.toUpperCase()}` +
      (iso.violations.length ? `, ${iso.violations.length} violation(s):` : ""),
  );
  const shownViolations = iso.violations.slice(0, 20);
  for (const v of shownViolations) lines.push(`  ${v.tenant}: ${v.message}`);
  if (iso.violations.length > shownViolations.length) lines.push(`  … ${iso.violations.length - shownViolations.length} more in the fleet report`);
  for (const n of report.notes) lines.push(`note: ${n}`);
  return lines.join("\n") + "\n";
}

export function fleetMarkdown(report: FleetReport): string {
  const out = [
    `# Fleet report: platform ${report.platform}`,
    "",
    `\`socle fleet ${report.mode}\`, evaluated ${report.today}. Each tenant's own audit report is in \`out/<stack>/\`.`,
    "",
    `| ${HEAD.join(" | ")} |`,
    `|${HEAD.map(() => "---").join("|")}|`,
    ...report.tenants.map((t) => `| ${columns(t).map(cell).join(" | ")} |`),
    "",
    "## Isolation proof",
    "",
    `Control \`${report.isolation.controlId}\` (docs/controls.md, docs/hosters-isolation.md) over ${report.isolation.tenants} tenant(s): **${report.isolation.status === "notAssessed" ? "not assessed" : report.isolation.status}**.`,
    ...(report.isolation.note ? ["", cell(report.isolation.note)] : []),
    "",
  ];
  if (report.isolation.violations.length) {
    out.push("| tenant | violation |", "|---|---|", ...report.isolation.violations.map((v) => `| ${cell(v.tenant)} | ${cell(v.message)} |`), "");
  }
  const invalid = report.tenants.filter((t) => t.render !== "ok");
  if (invalid.length) out.push("## Stacks that did not render", "", ...invalid.map((t) => `- ${t.stack}: ${cell(t.error ?? "")}`), "");
  if (report.notes.length) out.push("## Notes", "", ...report.notes.map((n) => `- ${cell(n)}`), "");
  return out.join("\n");
}
