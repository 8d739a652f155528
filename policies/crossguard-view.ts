/**
 * What the CrossGuard pack hands to the controls: `PolicyResource`s of `@pulumi/policy` turned into the
 * `ResourceView`s and `AuditContext` every check reads. Pure: no PolicyPack, no gRPC, testable as is.
 */
import { buildContext, parseStackMetadata } from "./context";
import { ROOT_STACK_TYPE } from "./controls/lib/stack";
import { UNKNOWN_MARKER } from "./controls/lib/values";
import type { AuditContext, KubernetesObject, ResourceView } from "./types";

/** The fields of `@pulumi/policy`'s `PolicyResource` the conversion reads. */
export interface PolicyResourceLike {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Readonly<Record<string, unknown>>;
  readonly opts: { readonly protect: boolean; readonly parent?: string };
  readonly provider?: { readonly urn: string };
  readonly parent?: { readonly urn: string };
}

/** `@pulumi/policy` wraps props in proxies that throw on unknown values; these names reach the raw object. */
const IS_PROXY = "__isSpecialProxy";
const PROXY_TARGET = "__getSpecialProxyTarget";

const K8S_TYPE = /^kubernetes:([^:/]+)\/([^:/]+):([A-Za-z0-9]+)$/;
/** Groups of the Kubernetes provider that are Pulumi constructs, not Kubernetes objects. */
const NON_OBJECT_GROUPS = new Set(["helm.sh", "yaml", "kustomize"]);

/**
 * Copies a property tree out of the policy SDK's proxies, replacing the SDK's unknown-value
 * sentinels (`pulumi preview` of values computed from other resources) by `UNKNOWN_MARKER`.
 */
export function plainValue(value: unknown, unknownSentinels: ReadonlySet<string>): unknown {
  const raw = rawTarget(value);
  if (typeof raw === "string") return unknownSentinels.has(raw) ? UNKNOWN_MARKER : raw;
  if (raw === null || typeof raw !== "object") return raw;
  if (Array.isArray(raw)) return raw.map((v) => plainValue(v, unknownSentinels));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) out[key] = plainValue((raw as Record<string, unknown>)[key], unknownSentinels);
  return out;
}

function rawTarget(value: unknown): unknown {
  let v = value;
  while (v !== null && typeof v === "object" && (v as Record<string, unknown>)[IS_PROXY] === true) {
    const target = (v as Record<string, unknown>)[PROXY_TARGET];
    if (target === v) break;
    v = target;
  }
  return v;
}

export function toResourceView(resource: PolicyResourceLike, unknownSentinels: ReadonlySet<string>): ResourceView {
  const props = plainValue(resource.props, unknownSentinels) as Record<string, unknown>;
  const parent = resource.parent?.urn ?? resource.opts.parent;
  const k8s = kubernetesObject(resource.type, props);
  return {
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    props,
    ...(parent !== undefined ? { parent } : {}),
    ...(resource.provider ? { provider: resource.provider.urn } : {}),
    protect: resource.opts.protect === true,
    ...(k8s ? { k8s } : {}),
  };
}

/** The object behind a `kubernetes:<group>/<version>:<Kind>` resource; `core` is the legacy group. */
export function kubernetesObject(type: string, props: Readonly<Record<string, unknown>>): KubernetesObject | undefined {
  const m = K8S_TYPE.exec(type);
  if (!m || NON_OBJECT_GROUPS.has(m[1]!)) return undefined;
  const obj: Record<string, unknown> = {};
  for (const key of Object.keys(props)) if (!key.startsWith("__")) obj[key] = props[key];
  if (typeof obj.apiVersion !== "string") obj.apiVersion = m[1] === "core" ? m[2] : `${m[1]}/${m[2]}`;
  if (typeof obj.kind !== "string") obj.kind = m[3];
  if (typeof obj.metadata !== "object" || obj.metadata === null || Array.isArray(obj.metadata)) obj.metadata = {};
  return obj as unknown as KubernetesObject;
}

/**
 * The audit context of a stack under CrossGuard: the root stack's `socle` output when it is known
 * (the same reading as `socle audit`), defaults otherwise. `today` is the evaluation date.
 */
export function contextOf(views: readonly ResourceView[], today: string): AuditContext {
  const stack = views.find((v) => v.type === ROOT_STACK_TYPE);
  const socle = stack?.props.socle;
  const known = socle !== undefined && socle !== UNKNOWN_MARKER;
  const meta = known ? parseStackMetadata(socle, `${stack!.urn ?? ROOT_STACK_TYPE} outputs.socle`) : undefined;
  return buildContext(meta, { today });
}
