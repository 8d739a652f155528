import { parseDocument } from "yaml";
import { duplicateKey, readRegularFile, READ_LIMITS, ReadProblem, treeProblem } from "../config/read-limits";
import { InputError } from "../model/input-error";
import { priceSheetSchema, type PriceSheet } from "../model/prices";

/** The schema lives in the bottom layer: the stack file's `socle:opencost.priceSheet` is validated by the same one. */
export { priceSheetSchema, type PriceSheet };

export function readPriceSheet(file: string): PriceSheet {
  let text: string;
  try {
    text = readRegularFile(file, READ_LIMITS.configBytes, "price sheet");
  } catch (e) {
    if (e instanceof ReadProblem) throw new InputError(`${e.message}: give a YAML price sheet such as examples/prices.yaml`, file);
    throw e;
  }
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length) throw new InputError(`is not valid YAML (${doc.errors[0]!.message.split("\n")[0]!.slice(0, 120)})`, file);
  const dup = duplicateKey(doc);
  if (dup) throw new InputError(`repeats the key ${JSON.stringify(dup.key.slice(0, 60))}: keep one`, file);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: READ_LIMITS.yamlAliases });
  } catch {
    throw new InputError(`expands more than ${READ_LIMITS.yamlAliases} YAML aliases or has an unresolved alias: write the values out`, file);
  }
  const shape = treeProblem(value, 16);
  if (shape) throw new InputError(shape, file);
  const parsed = priceSheetSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`)
      .join("; ");
    throw new InputError(
      `is not a price sheet: ${issues}. Expected: currency: EUR, prices: {vcpuMonth, ramGiBMonth, blockGiBMonth, objectGiBMonth} as numbers ≥ 0 (see examples/prices.yaml)`,
      file,
    );
  }
  return parsed.data;
}
