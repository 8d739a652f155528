import { InputError } from "../audit/errors";

export const REPORT_FORMATS = ["md", "html", "json", "sarif", "junit", "oscal"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
  md: "report.md",
  html: "report.html",
  json: "report.json",
  sarif: "report.sarif",
  junit: "report.junit.xml",
  oscal: "report.oscal.json",
};

/**
 * Accepts `["md,html", "json"]` as well as `["md", "html", "json"]` (a `--format` comma list given
 * once or several times); duplicates collapse, order follows REPORT_FORMATS; none given means all.
 */
export function parseFormats(values: readonly string[]): ReportFormat[] {
  const asked = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
  if (asked.length === 0) return [...REPORT_FORMATS];
  const unknown = asked.filter((v) => !(REPORT_FORMATS as readonly string[]).includes(v));
  if (unknown.length > 0) {
    throw new InputError(`unknown report format${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}: allowed formats are ${REPORT_FORMATS.join(", ")} (comma-separated, e.g. --format md,sarif)`);
  }
  return REPORT_FORMATS.filter((f) => asked.includes(f));
}
