import type { Registration } from "./monitor";
import { SECRET, SECRET_SIG, SIG_KEY, UNKNOWN, WIRE_UNKNOWN, secretEnvelope } from "./markers";

/** Pulumi's resource-reference signature on the wire. */
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** One resource of a `pulumi stack export` (deployment version 3). */
export interface StateResource {
  urn: string;
  custom: boolean;
  id?: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  parent?: string;
  protect?: boolean;
  external?: boolean;
  provider?: string;
  dependencies?: string[];
}

export interface StateExport {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers: { type: string; state: Record<string, unknown> };
    resources: StateResource[];
  };
}

export interface StateOptions {
  readonly project: string;
  readonly stack: string;
  /** Fixed time written in the manifest: renders must be byte-identical. */
  readonly time: string;
  readonly engineVersion: string;
}

/**
 * Turns recorded registrations into a `pulumi stack export` document. URNs are recomputed the way
 * the real engine computes them (the mock monitor adds the root stack's type to its children's chains).
 */
export function buildStateExport(
  registrations: Iterable<Registration>,
  stackOutputs: ReadonlyMap<string, Record<string, unknown>>,
  secretValues: ReadonlySet<string>,
  opts: StateOptions,
): { state: StateExport; manifestInputs: Map<string, Record<string, unknown>> } {
  const regs = [...registrations];
  const byMock = new Map(regs.map((r) => [r.mockUrn, r]));
  const urnOf = new Map<string, string>();
  const qualifiedType = new Map<string, string>();
  const resolve = (mockUrn: string): string => {
    const known = urnOf.get(mockUrn);
    if (known) return known;
    const reg = byMock.get(mockUrn);
    if (!reg) return mockUrn;
    const parent = reg.parentMockUrn ? byMock.get(reg.parentMockUrn) : undefined;
    let qtype = reg.type;
    if (parent && parent.type !== ROOT_STACK_TYPE) {
      resolve(parent.mockUrn);
      qtype = `${qualifiedType.get(parent.mockUrn)}$${reg.type}`;
    }
    qualifiedType.set(mockUrn, qtype);
    const urn = `urn:pulumi:${opts.stack}::${opts.project}::${qtype}::${reg.name}`;
    urnOf.set(mockUrn, urn);
    return urn;
  };
  regs.forEach((r) => resolve(r.mockUrn));

  const clean = (v: unknown) => sanitize(v, secretValues, (u) => urnOf.get(u) ?? u);
  const resources: StateResource[] = [];
  const manifestInputs = new Map<string, Record<string, unknown>>();
  const defaultProviders = new Map<string, StateResource>();

  for (const reg of regs) {
    const urn = urnOf.get(reg.mockUrn)!;
    const isProvider = reg.type.startsWith("pulumi:providers:");
    const outputsRaw = reg.type === ROOT_STACK_TYPE ? stackOutputs.get(reg.mockUrn) ?? {} : reg.outputs ?? {};
    const outputs = clean(outputsRaw) as Record<string, unknown>;
    for (const key of reg.additionalSecretOutputs) if (key in outputs) outputs[key] = secretEnvelope();
    const res: StateResource = { urn, custom: reg.custom, type: reg.type };
    if (reg.custom) res.id = reg.id && reg.id !== WIRE_UNKNOWN ? reg.id : UNKNOWN;
    res.inputs = reg.custom ? (clean(reg.inputs) as Record<string, unknown>) : {};
    if (reg.custom && reg.type.startsWith("kubernetes:")) {
      manifestInputs.set(urn, sanitize(reg.inputs, secretValues, (u) => urnOf.get(u) ?? u, "manifest") as Record<string, unknown>);
    }
    res.outputs = outputs;
    if (reg.parentMockUrn) res.parent = urnOf.get(reg.parentMockUrn) ?? reg.parentMockUrn;
    if (reg.protect) res.protect = true;
    if (reg.external) res.external = true;
    // retainOnDelete is honoured by the engine but absent from Pulumi's published state schema: not written.
    if (reg.custom && !isProvider) {
      if (reg.providerRef) {
        const sep = reg.providerRef.lastIndexOf("::");
        const provUrn = urnOf.get(reg.providerRef.slice(0, sep)) ?? reg.providerRef.slice(0, sep);
        const provId = reg.providerRef.slice(sep + 2);
        res.provider = `${provUrn}::${provId && provId !== WIRE_UNKNOWN ? provId : UNKNOWN}`;
      } else {
        const pkg = reg.type.split(":")[0];
        const name = `default${reg.version ? "_" + reg.version.replace(/[.-]/g, "_") : ""}`;
        const provUrn = `urn:pulumi:${opts.stack}::${opts.project}::pulumi:providers:${pkg}::${name}`;
        if (!defaultProviders.has(provUrn)) {
          defaultProviders.set(provUrn, {
            urn: provUrn,
            custom: true,
            id: UNKNOWN,
            type: `pulumi:providers:${pkg}`,
            inputs: reg.version ? { version: reg.version } : {},
            outputs: reg.version ? { version: reg.version } : {},
          });
        }
        res.provider = `${provUrn}::${UNKNOWN}`;
      }
    }
    const deps = [...new Set(reg.dependencies.map((d) => urnOf.get(d) ?? d))].sort();
    if (deps.length) res.dependencies = deps;
    resources.push(res);
  }
  resources.push(...defaultProviders.values());

  const state: StateExport = {
    version: 3,
    deployment: {
      manifest: { time: opts.time, magic: "", version: opts.engineVersion },
      secrets_providers: { type: "passphrase", state: { salt: SECRET } },
      resources: orderResources(resources),
    },
  };
  return { state, manifestInputs };
}

/**
 * Deterministic order in which every resource comes after its parent, provider and dependencies,
 * as the engine guarantees in a checkpoint; ties broken by URN.
 */
export function orderResources(resources: readonly StateResource[]): StateResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const prereqs = (r: StateResource): string[] => {
    const out: string[] = [];
    if (r.parent) out.push(r.parent);
    if (r.provider) out.push(r.provider.slice(0, r.provider.lastIndexOf("::")));
    for (const d of r.dependencies ?? []) out.push(d);
    return out.filter((u) => u !== r.urn && byUrn.has(u));
  };
  const sorted = [...resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const done = new Set<string>();
  const out: StateResource[] = [];
  const visiting = new Set<string>();
  const visit = (r: StateResource) => {
    if (done.has(r.urn) || visiting.has(r.urn)) return;
    visiting.add(r.urn);
    for (const p of prereqs(r).sort()) visit(byUrn.get(p)!);
    visiting.delete(r.urn);
    done.add(r.urn);
    out.push(r);
  };
  // Roots (no parent) first, so the stack resource leads as in a real export.
  for (const r of sorted) if (!r.parent && r.type === ROOT_STACK_TYPE) visit(r);
  for (const r of sorted) visit(r);
  return out;
}

/**
 * Wire values to state values: secrets become the fixed envelope, unknowns the documented marker,
 * resource references their URN, and any string holding a generated secret is replaced whole.
 */
export function sanitize(
  value: unknown,
  secretValues: ReadonlySet<string>,
  mapUrn: (u: string) => string,
  mode: "state" | "manifest" = "state",
): unknown {
  const secrets = [...secretValues];
  // A string shorter than every secret cannot hold one: most strings of a state (names, labels) are.
  const shortest = secrets.reduce((min, s) => Math.min(min, s.length), Infinity);
  const holdsSecret = (v: string) => v.length >= shortest && secrets.some((s) => v.includes(s));
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (value === WIRE_UNKNOWN) return UNKNOWN;
      if (holdsSecret(value)) return mode === "state" ? secretEnvelope() : SECRET;
      return value;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      const sig = obj[SIG_KEY];
      // State: one envelope per secret, as Pulumi stores it. Manifests: keep the shape (Secret keys stay readable).
      if (sig === SECRET_SIG) return mode === "state" ? secretEnvelope() : maskLeaves(obj.value);
      if (sig === RESOURCE_SIG && typeof obj.urn === "string") return mapUrn(obj.urn);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(obj).sort()) out[key] = walk(obj[key]);
      return out;
    }
    return value;
  };
  return walk(value);
}

function maskLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskLeaves);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, maskLeaves((value as Record<string, unknown>)[k])]));
  }
  return SECRET;
}
