import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import type { ResourceRef } from "../../policies/types";
import { InputError } from "./errors";
import { globToRegExp } from "./glob";
import { issueText } from "./zod-issue";
import { displayPath, yamlErrorPosition, yamlErrorText, yamlToJs } from "./inputs/manifests";
import { READ_LIMITS } from "../config/read-limits";
import { readText } from "./inputs/read";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const selectorSchema = z
  .object({
    urn: z.string().min(1).optional(),
    kind: z.string().min(1).optional(),
    namespace: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    file: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => Object.values(s).some((v) => v !== undefined), {
    message: "must name at least one of urn, kind, namespace, name, file (use urn: \"*\" to waive a control for every resource)",
  });

const waiverSchema = z
  .object({
    control: z.string().min(1),
    resource: selectorSchema,
    justification: z.string().trim().min(1),
    approver: z.string().trim().min(1),
    expires: z
      .string({ message: "must be a date written YYYY-MM-DD (quote it if your editor converts it)" })
      .regex(DATE, "must be a date written YYYY-MM-DD")
      .refine(isCalendarDate, "is not a calendar date"),
  })
  .strict();

const waiverFileSchema = z.array(waiverSchema, { message: "must be a YAML list of waivers (an empty file is written `[]`)" });

export type WaiverSelector = z.infer<typeof selectorSchema>;

/** One waiver of the file, with where it was read. */
export interface Waiver {
  readonly control: string;
  readonly resource: WaiverSelector;
  readonly justification: string;
  readonly approver: string;
  readonly expires: string;
  /** `<file>:<line>`, how reports point at the waiver. */
  readonly source: string;
  readonly line: number;
}

/** Reads and validates a waiver file; any problem is an InputError with its line and column. */
export function loadWaivers(file: string): readonly Waiver[] {
  const shown = displayPath(file);
  const text = readText(file, shown, READ_LIMITS.configBytes, "waiver file");
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const err = doc.errors[0];
  if (err) throw new InputError(`is not valid YAML: ${yamlErrorText(err.message)}`, shown, yamlErrorPosition(err, counter));
  const value: unknown = doc.contents === null ? [] : yamlToJs(doc, shown, "the waiver list", counter);
  const parsed = waiverFileSchema.safeParse(value);
  const positionOf = (path: readonly PropertyKey[]) => {
    let node: unknown = doc.getIn(path as unknown[], true);
    for (let n = path.length - 1; node === undefined && n >= 0; n--) node = doc.getIn(path.slice(0, n) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range ?? doc.contents?.range;
    const p = counter.linePos(range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
    const problem = issue.code === "unrecognized_keys" ? `has unknown key(s) ${issue.keys.join(", ")}: allowed are control, resource, justification, approver, expires (resource: urn, kind, namespace, name, file)` : issueText(issue);
    throw new InputError(path ? `${path} ${problem}` : problem, shown, positionOf(issue.path));
  }
  return parsed.data.map((w, i) => {
    const line = positionOf([i]).line;
    return { ...w, source: `${shown}:${line}`, line };
  });
}

/** A waiver naming a control that does not exist is a typo that would silently waive nothing. */
export function checkWaiverControls(waivers: readonly Waiver[], controlIds: ReadonlySet<string>, file: string): void {
  for (const w of waivers) {
    if (!controlIds.has(w.control)) {
      throw new InputError(`control ${JSON.stringify(w.control.length > 80 ? `${w.control.slice(0, 80)}…` : w.control)} is not in the catalog; known controls: ${[...controlIds].sort().join(", ")}`, displayPath(file), { line: w.line });
    }
  }
}

/** Compiled selectors, so that matching 20,000 findings does not rebuild regular expressions. */
export class WaiverMatcher {
  private readonly byControl = new Map<string, { waiver: Waiver; test: (r: ResourceRef) => boolean }[]>();

  constructor(waivers: readonly Waiver[]) {
    for (const waiver of waivers) {
      const tests = (Object.entries(waiver.resource) as [keyof ResourceRef, string | undefined][])
        .filter((e): e is [keyof ResourceRef, string] => e[1] !== undefined)
        .map(([key, glob]) => {
          const re = globToRegExp(glob);
          return (r: ResourceRef) => {
            const v = key === "file" ? r.file?.replace(/#.*$/, "") : r[key];
            return v !== undefined && (re.test(v) || (key === "file" && r.file !== undefined && re.test(r.file)));
          };
        });
      const list = this.byControl.get(waiver.control) ?? [];
      list.push({ waiver, test: (r) => tests.every((t) => t(r)) });
      this.byControl.set(waiver.control, list);
    }
  }

  /** Waivers of `controlId` whose selector matches the resource, in file order. */
  match(controlId: string, resource: ResourceRef): Waiver[] {
    const list = this.byControl.get(controlId);
    if (!list) return [];
    const out: Waiver[] = [];
    for (const entry of list) if (entry.test(resource)) out.push(entry.waiver);
    return out;
  }
}

/** Expired when the expiry date is before today: a waiver is valid through its expiry day. */
export function isExpired(waiver: Pick<Waiver, "expires">, today: string): boolean {
  return waiver.expires < today;
}

export function isCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
