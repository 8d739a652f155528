import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";

export interface ManifestProblem {
  readonly object: string;
  readonly message: string;
}

type Obj = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };

export function describeObject(o: Obj): string {
  return `${o.apiVersion}/${o.kind} ${o.metadata?.namespace ? o.metadata.namespace + "/" : ""}${o.metadata?.name}`;
}

/**
 * Validates Kubernetes objects: core kinds with the kubernetes-models validators (the upstream OpenAPI
 * schemas), custom resources with the `openAPIV3Schema` of their CustomResourceDefinition.
 */
export class ManifestValidator {
  private readonly crds = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

  /** Loads every CRD (YAML, one or more documents) found under the given folders. */
  constructor(crdDirs: readonly string[]) {
    for (const dir of crdDirs) {
      for (const file of walk(dir)) {
        if (!/\.ya?ml$/.test(file)) continue;
        for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
          const crd = doc.toJS() as CustomResourceDefinition | null;
          if (crd?.kind !== "CustomResourceDefinition") continue;
          for (const v of crd.spec.versions) {
            const schema = v.schema?.openAPIV3Schema;
            if (schema) this.crds.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, this.ajv.compile(schema));
          }
        }
      }
    }
  }

  /** Kinds this validator has a schema for. */
  knows(o: Obj): boolean {
    return this.crds.has(`${o.apiVersion}/${o.kind}`) || coreModel(o) !== undefined;
  }

  validate(o: Obj): ManifestProblem[] {
    const crd = this.crds.get(`${o.apiVersion}/${o.kind}`);
    if (crd) {
      if (crd(o)) return [];
      return (crd.errors ?? []).map((e) => ({ object: describeObject(o), message: `${e.instancePath || "/"} ${e.message}` }));
    }
    const Model = coreModel(o);
    if (!Model) return [{ object: describeObject(o), message: "no schema known for this kind" }];
    try {
      new Model(o).validate();
      return [];
    } catch (err) {
      return [{ object: describeObject(o), message: (err as Error).message }];
    }
  }
}

interface CustomResourceDefinition {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema?: object } }[] };
}

type ModelClass = new (o: unknown) => { validate(): void };

function coreModel(o: Obj): ModelClass | undefined {
  if (!o.apiVersion || !o.kind || !/^([a-z0-9.]+\/)?v[0-9a-z]+$/.test(o.apiVersion)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${o.apiVersion}`) as Record<string, ModelClass>;
    return mod[o.kind];
  } catch {
    return undefined;
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out.sort();
}
