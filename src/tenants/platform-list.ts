import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLSeq } from "yaml";
import { parseConfig } from "../config/parse";
import { readRegularFile, READ_LIMITS } from "../config/read-limits";
import { parseStackFileText } from "../config/stack-file";
import { InputError } from "../model/input-error";

/**
 * `socle tenant add` and `socle tenant remove` keep the platform's list of bound tenants (`socle:tenants`,
 * src/program/tenants-binding.ts) in its stack file. The edit keeps every comment and the rest of the file as
 * written (the YAML document is edited, not re-serialised from values), is validated by the real configuration
 * parser before anything is written, and replaces the file atomically (written aside, renamed over it) only if
 * the file is still what was read: a file changed in between, or a list edited by hand into something else than
 * a list of stack names, is refused with nothing written.
 */
export interface TenantsEdit {
  readonly file: string;
  /** The file as read: the edit is committed only over these bytes. */
  readonly original: string;
  readonly text: string;
  /** False when the list already says what was asked (nothing to write). */
  readonly changed: boolean;
}

const KEY = "socle:tenants";

/** The edited text of a platform stack file (pure but for the read): `tenant` added to, or removed from, `socle:tenants`. */
export function prepareTenantsEdit(file: string, platform: string, project: string, op: "add" | "remove", tenant: string): TenantsEdit {
  const original = readRegularFile(file, READ_LIMITS.configBytes, "stack file");
  return { file, original, ...editTenantsText(original, file, platform, project, op, tenant) };
}

/** The text edit itself (pure): refuses, naming the file, a `socle:tenants` that is not a list of strings. */
export function editTenantsText(original: string, file: string, platform: string, project: string, op: "add" | "remove", tenant: string): { text: string; changed: boolean } {
  // The real reader first: a platform file socle would refuse to render is not edited either.
  parseStackFileText(original, file, platform, project);
  const doc = parseDocument(original, { uniqueKeys: false });
  const config = doc.get("config", true);
  if (!isMap(config)) throw new InputError(`${file} has no config map: it is not a stack file socle can edit; nothing was written`);
  const node = config.get(KEY, true);
  if (node !== undefined && node !== null && !(isSeq(node) && node.items.every((i) => isScalar(i) && typeof i.value === "string"))) {
    throw new InputError(`${KEY} in ${file} is not a list of tenant stack names (edited by hand?): make it a YAML list of stack names, then run the command again; nothing was written`);
  }
  const seq = isSeq(node) ? (node as YAMLSeq<Scalar<string>>) : undefined;
  const names = seq ? seq.items.map((i) => i.value) : [];
  if (op === "add") {
    if (names.includes(tenant)) return { text: original, changed: false };
    if (seq) {
      const sorted = names.every((n, i) => i === 0 || names[i - 1]! < n);
      const at = sorted ? names.findIndex((n) => n > tenant) : -1;
      const item = doc.createNode(tenant) as Scalar<string>;
      if (at < 0) seq.items.push(item);
      else seq.items.splice(at, 0, item);
    } else {
      const list = doc.createNode([tenant]) as YAMLSeq;
      config.set(doc.createNode(KEY), list);
    }
  } else {
    if (!seq || !names.includes(tenant)) return { text: original, changed: false };
    seq.items = seq.items.filter((i) => i.value !== tenant);
    if (seq.items.length === 0) config.delete(KEY);
  }
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  // What socle would read back: the new file must parse and validate as a platform stack.
  const parsed = parseStackFileText(text, file, platform, project);
  const checked = parseConfig(parsed.socle, { project, stack: platform, file, lineOf: parsed.lineOf, isSecret: parsed.isSecret });
  if (checked.kind !== "platform") throw new InputError(`${file} is a ${checked.kind} stack, not a platform: nothing was written`);
  return { text, changed: true };
}

/**
 * Replaces the platform file with the edit, atomically, if its bytes are still those read; otherwise refuses
 * (InputError) and writes nothing. The compare-and-swap narrows, but cannot close, the window between the
 * check and the rename (no file lock is portable): a concurrent writer is the hoster's to avoid.
 */
export function commitTenantsEdit(edit: TenantsEdit): void {
  if (!edit.changed) return;
  const tmp = `${edit.file}.socle-tmp-${process.pid}`;
  // The file keeps its permissions (a stack file may be readable by its owner only).
  writeFileSync(tmp, edit.text, { flag: "wx" });
  chmodSync(tmp, statSync(edit.file).mode & 0o777);
  try {
    const now = readRegularFile(edit.file, READ_LIMITS.configBytes, "stack file");
    if (now !== edit.original) throw new InputError(`${edit.file} changed while socle was editing it (${KEY}): nothing was written; run the command again`);
    renameSync(tmp, edit.file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Renamed already, or never written.
    }
    throw e;
  }
}
