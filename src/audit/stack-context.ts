import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CONTEXT_FILE_NAME, CONTEXT_FILE_VERSION, type ContextObject } from "../render/context-file";
import { InputError } from "./errors";
import { buildContext, parseStackMetadata, type ContextOverrides } from "./inputs/context";
import { displayPath } from "./inputs/manifests";
import { parseJson, readText } from "./inputs/read";
import type { LoadedInput, StackInfo } from "./inputs/types";
import type { ResourceView } from "../../policies/types";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The context file may not be larger than this: it holds a few lists of names. */
const MAX_CONTEXT_BYTES = 1024 * 1024;

/**
 * The `socle-context.json` `socle render` writes beside `manifests/`, found for a manifest input: in the
 * folder audited (or the folder of the file audited), else in its parent (`out/<stack>/` for `out/<stack>/manifests/`).
 */
export function findContextFile(input: string): string | undefined {
  const abs = resolve(input);
  const dir = existsSync(abs) && statSync(abs).isDirectory() ? abs : dirname(abs);
  for (const candidate of [join(dir, CONTEXT_FILE_NAME), join(dirname(dir), CONTEXT_FILE_NAME)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const MAX_CONTEXT_OBJECTS = 100_000;

/** Reads a context file: the stack's `socle` metadata and name, validated as the state's own `socle` output is, and its objects. */
export function readContextFile(file: string): {
  meta: ReturnType<typeof parseStackMetadata>;
  socle: unknown;
  stack: Pick<StackInfo, "name" | "project">;
  rootUrn?: string;
  objects: readonly ContextObject[];
} {
  const shown = displayPath(file);
  if (statSync(file).size > MAX_CONTEXT_BYTES) throw new InputError(`is larger than ${MAX_CONTEXT_BYTES} bytes: not a socle context file`, shown);
  const doc = parseJson(readText(file, shown), shown) as Record<string, unknown> | null;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new InputError("must hold a JSON object written by `socle render`", shown);
  if (doc.socleContext !== CONTEXT_FILE_VERSION) {
    throw new InputError(`is ${JSON.stringify(doc.socleContext)}: only version ${CONTEXT_FILE_VERSION} is supported (render the stack again)`, shown, { path: "socleContext" });
  }
  const meta = parseStackMetadata(doc.socle, shown, "socle");
  const s = (doc.stack ?? {}) as Record<string, unknown>;
  const stack = {
    ...(typeof s.name === "string" && s.name ? { name: s.name } : {}),
    ...(typeof s.project === "string" && s.project ? { project: s.project } : {}),
  };
  const objects: ContextObject[] = [];
  const raw = doc.objects ?? [];
  if (!Array.isArray(raw) || raw.length > MAX_CONTEXT_OBJECTS) throw new InputError(`must be a list of at most ${MAX_CONTEXT_OBJECTS} objects`, shown, { path: "objects" });
  raw.forEach((o: unknown, i) => {
    const r = (o ?? {}) as Record<string, unknown>;
    const str = (k: string) => typeof r[k] === "string" && (r[k] as string).length > 0;
    if (!str("apiVersion") || !str("kind") || !str("name") || !str("urn") || typeof r.protect !== "boolean" || (r.namespace !== undefined && !str("namespace"))) {
      throw new InputError("must have apiVersion, kind, name, urn (strings), protect (boolean) and optionally namespace", shown, { path: `objects[${i}]` });
    }
    objects.push(r as unknown as ContextObject);
  });
  const rootUrn = typeof s.urn === "string" && s.urn.startsWith("urn:pulumi:") ? s.urn : undefined;
  return { meta, socle: doc.socle, stack, ...(rootUrn ? { rootUrn } : {}), objects };
}

const identity = (apiVersion: string, kind: string, namespace: string | undefined, name: string | undefined) => `${apiVersion}|${kind}|${namespace ?? ""}|${name ?? ""}`;

/**
 * A manifest input judged with the stack's context, as its state would be: the context (load balancers, regions,
 * registries, provider), the deployment itself as the root stack resource with its `socle` output, and for each
 * object the render recorded, its URN and `protect` option. Objects the render did not record stay as they are.
 */
export function withStackContext(input: LoadedInput, file: string, overrides: ContextOverrides): LoadedInput {
  const { meta, socle, stack, rootUrn, objects } = readContextFile(file);
  const byIdentity = new Map(objects.map((o) => [identity(o.apiVersion, o.kind, o.namespace, o.name), o]));
  const views: ResourceView[] = input.views.map((view) => {
    const k = view.k8s;
    const known = k ? byIdentity.get(identity(k.apiVersion, k.kind, k.metadata.namespace, k.metadata.name)) : undefined;
    return known ? { ...view, urn: known.urn, protect: known.protect } : view;
  });
  if (rootUrn !== undefined && !views.some((v) => v.type === ROOT_STACK_TYPE)) {
    views.unshift({ urn: rootUrn, type: ROOT_STACK_TYPE, name: rootUrn.slice(rootUrn.lastIndexOf("::") + 2), props: { socle: socle as Record<string, unknown> }, protect: false });
  }
  return {
    ...input,
    views,
    context: buildContext(meta, overrides),
    stack: { ...stack, kind: meta.kind, target: meta.target, region: meta.region },
  };
}

/** API groups of build configuration (kustomize) that sit in manifest folders but are not cluster objects. */
const BUILD_GROUPS = ["kustomize.config.k8s.io/", "config.kubernetes.io/"];

/** A manifest input without its build files (`kustomization.yaml`): they configure kubectl, the cluster never sees them. */
export function clusterObjectsOnly(input: LoadedInput): LoadedInput {
  const views = input.views.filter((v) => !(v.k8s && BUILD_GROUPS.some((g) => v.k8s!.apiVersion.startsWith(g))));
  return views.length === input.views.length ? input : { ...input, views };
}
