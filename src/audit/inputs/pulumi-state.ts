import type { KubernetesObject, ResourceView } from "../../../policies/types";
import { InputError } from "../errors";
import { buildContext, parseStackMetadata, type ContextOverrides, type StackMetadata } from "./context";
import { redactSecrets } from "./redact";
import { kubernetesShapeProblem } from "./shape";
import type { InputKind, LoadedInput, StackInfo } from "./types";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
/** `kubernetes:<group>/<version>:<Kind>`; `core` is the legacy group (`apiVersion: v1`). */
const K8S_TYPE = /^kubernetes:([^:/]+)\/([^:/]+):([A-Za-z0-9]+)$/;
/** Groups of the Kubernetes provider that are Pulumi constructs, not Kubernetes objects. */
const NON_OBJECT_GROUPS = new Set(["helm.sh", "yaml", "kustomize"]);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Normalizes a deployment (the `deployment` of a stack export, the `checkpoint.latest` of a backend
 * file) into resource views. `base` is the JSON path of the deployment in the file, for messages.
 */
export function loadDeployment(
  deployment: unknown,
  file: string,
  base: string,
  kind: InputKind,
  overrides: ContextOverrides,
  stackName?: string,
): LoadedInput {
  if (!isObject(deployment)) throw new InputError(`must be an object (the deployment), found ${typeName(deployment)}`, file, { path: base });
  const raw = deployment.resources;
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    throw new InputError(`must be an array of resources, found ${typeName(raw)}`, file, { path: `${base}.resources` });
  }
  const resources = (raw ?? []) as unknown[];
  const views: ResourceView[] = new Array(resources.length);
  let meta: StackMetadata | undefined;
  let firstUrn: string | undefined;
  for (let i = 0; i < resources.length; i++) {
    const at = `${base}.resources[${i}]`;
    const r = resources[i];
    if (!isObject(r)) throw new InputError(`must be an object, found ${typeName(r)}`, file, { path: at });
    const urn = requireString(r, "urn", at, file);
    const type = requireString(r, "type", at, file);
    const inputs = optionalObject(r, "inputs", at, file);
    const outputs = optionalObject(r, "outputs", at, file);
    const parent = optionalString(r, "parent", at, file);
    const provider = optionalString(r, "provider", at, file);
    if (r.protect !== undefined && typeof r.protect !== "boolean") throw new InputError(`must be a boolean, found ${typeName(r.protect)}`, file, { path: `${at}.protect` });
    firstUrn ??= urn;

    const props = redactSecrets(mergeProps(inputs, outputs)) as Json;
    if (type === ROOT_STACK_TYPE && !meta && props.socle !== undefined) meta = parseStackMetadata(props.socle, file, `${at}.outputs.socle`);
    const k8s = r.custom === false ? undefined : kubernetesObject(type, props);
    if (k8s) {
      const bad = kubernetesShapeProblem(k8s as unknown as Json);
      if (bad) throw new InputError(`${bad[1]}: this ${k8s.kind} is not what its type claims, and nothing in it could be audited`, file, { path: `${at}.${outputs ? "outputs" : "inputs"}.${bad[0]}` });
    }
    const view: { -readonly [K in keyof ResourceView]: ResourceView[K] } = { urn, type, name: urn.slice(urn.lastIndexOf("::") + 2), props, protect: r.protect === true };
    if (parent !== undefined) view.parent = parent;
    if (provider !== undefined) view.provider = provider;
    if (Array.isArray(r.dependencies)) {
      const deps = r.dependencies.filter((d): d is string => typeof d === "string");
      if (deps.length > 0) view.dependencies = deps;
    }
    if (k8s) view.k8s = k8s;
    views[i] = view;
  }
  if (!views.some((v) => v.type !== ROOT_STACK_TYPE && !v.type.startsWith("pulumi:providers:"))) {
    throw new InputError(
      `nothing to audit: ${base}.resources holds no resource besides the stack and its providers; audit a stack that has been deployed, or render it (\`socle render <stack>\`)`,
      file,
    );
  }
  const stack: StackInfo = {
    ...urnStack(firstUrn, stackName),
    ...(meta ? { kind: meta.kind, target: meta.target, region: meta.region } : {}),
  };
  return { kind, path: file, views, context: buildContext(meta, overrides), stack, lines: new Map() };
}

/** Inputs merged with outputs, outputs winning; the outputs object itself when it already has every input key. */
function mergeProps(inputs: Json | undefined, outputs: Json | undefined): Json {
  if (!outputs) return inputs ?? {};
  if (!inputs) return outputs;
  for (const key in inputs) if (!(key in outputs)) return { ...inputs, ...outputs };
  return outputs;
}

const typeTokens = new Map<string, RegExpExecArray | null>();

function kubernetesObject(type: string, props: Json): KubernetesObject | undefined {
  let m = typeTokens.get(type);
  if (m === undefined) {
    m = K8S_TYPE.exec(type);
    typeTokens.set(type, m);
  }
  if (!m || NON_OBJECT_GROUPS.has(m[1]!)) return undefined;
  let internal = false;
  for (const key in props) if (key.charCodeAt(0) === 95 && key.startsWith("__")) internal = true;
  // The common case (a full object in the outputs) is shared, not copied.
  if (!internal && typeof props.apiVersion === "string" && typeof props.kind === "string" && isObject(props.metadata)) {
    return props as unknown as KubernetesObject;
  }
  const obj: Record<string, unknown> = {};
  for (const key in props) if (!key.startsWith("__")) obj[key] = props[key];
  if (typeof obj.apiVersion !== "string") obj.apiVersion = m[1] === "core" ? m[2] : `${m[1]}/${m[2]}`;
  if (typeof obj.kind !== "string") obj.kind = m[3];
  if (!isObject(obj.metadata)) obj.metadata = {};
  return obj as unknown as KubernetesObject;
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`; a checkpoint's `stack` may be `org/project/stack`. */
function urnStack(urn: string | undefined, stackName?: string): Pick<StackInfo, "name" | "project"> {
  const m = urn ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn) : null;
  const name = stackName ? stackName.slice(stackName.lastIndexOf("/") + 1) : m?.[1];
  return { ...(name ? { name } : {}), ...(m ? { project: m[2] } : {}) };
}

function requireString(r: Json, key: string, at: string, file: string): string {
  const v = r[key];
  if (v === undefined || v === null) throw new InputError("is missing", file, { path: `${at}.${key}` });
  if (typeof v !== "string" || v.length === 0) throw new InputError(`must be a non-empty string, found ${typeName(v)}`, file, { path: `${at}.${key}` });
  return v;
}

function optionalString(r: Json, key: string, at: string, file: string): string | undefined {
  const v = r[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new InputError(`must be a string, found ${typeName(v)}`, file, { path: `${at}.${key}` });
  return v;
}

function optionalObject(r: Json, key: string, at: string, file: string): Json | undefined {
  const v = r[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new InputError(`must be an object, found ${typeName(v)}`, file, { path: `${at}.${key}` });
  return v;
}

/** The JSON type of a value, never the value itself: input files may hold secrets in clear. */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length === 0 ? "an empty string" : "a string";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}
