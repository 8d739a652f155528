import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { SHARED } from "./render";

/**
 * Pulumi's stack-export schema (deployments.json with resources.json and property-values.json).
 * Ajv cannot resolve a `$anchor` declared on a schema's root (property-values.json names its root
 * `property_value` and refers to it as `#property_value`); the in-memory copy refers to the root as `#`,
 * which is the same schema. The files in ../shared stay byte-for-byte upstream.
 */
export function pulumiDeploymentValidator(): ValidateFunction {
  const load = (f: string) => JSON.parse(readFileSync(join(SHARED, "schemas/pulumi", f), "utf8"));
  const propertyValues = JSON.parse(JSON.stringify(load("property-values.json")).replaceAll('"#property_value"', '"#"'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(propertyValues);
  ajv.addSchema(load("resources.json"));
  return ajv.compile(load("deployments.json"));
}
