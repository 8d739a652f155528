import type { ResourceView } from "../../../../policies/types";
import type { CheckFinding, CheckModel, CheckSeverity } from "../../types";

/**
 * Helpers the cloud rules share: references between cloud resources resolve through the state's
 * `dependencies` (ids are unknown in a render, and a view carries no id), CIDR arithmetic, and the
 * stack's declarations.
 */

export type Json = Record<string, unknown>;

export const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const records = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isRecord) : []);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined);

/** `type/name` of a cloud resource, as findings name it. */
export const objectOf = (view: ResourceView): string => `${view.type}/${view.name}`;

export function finding(rule: string, severity: CheckSeverity, view: ResourceView, path: string, message: string, fix: string): CheckFinding {
  return { rule, severity, object: objectOf(view), path, message, fix };
}

/** Resolves references between the resources of one model. */
export class CloudGraph {
  private readonly byUrn = new Map<string, ResourceView>();
  private readonly dependents = new Map<string, ResourceView[]>();

  constructor(readonly model: CheckModel) {
    for (const r of model.resources) if (r.urn) this.byUrn.set(r.urn, r);
    for (const r of model.resources) {
      for (const d of r.dependencies ?? []) {
        const list = this.dependents.get(d) ?? [];
        list.push(r);
        this.dependents.set(d, list);
      }
    }
  }

  ofType(type: string): ResourceView[] {
    return this.model.cloud.filter((r) => r.type === type);
  }

  /** Resources `view` depends on, of `type`. */
  dependenciesOf(view: ResourceView, type: string): ResourceView[] {
    return (view.dependencies ?? []).map((u) => this.byUrn.get(u)).filter((r): r is ResourceView => r !== undefined && r.type === type);
  }

  /** Resources of `type` that depend on `view`. */
  dependentsOf(view: ResourceView, type: string): ResourceView[] {
    return view.urn ? (this.dependents.get(view.urn) ?? []).filter((r) => r.type === type) : [];
  }

  /** The root stack's `socle` output, when the input has one. */
  socle(): Json | undefined {
    const socle = this.model.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.props.socle;
    return isRecord(socle) ? socle : undefined;
  }
}

interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

/** An IPv4 address or CIDR; undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return undefined;
  const ip = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ip & mask) >>> 0, prefix };
}

/** True when every address of `inner` is in `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  if (!a || !b || a.prefix < b.prefix) return false;
  const mask = b.prefix === 0 ? 0 : (0xffffffff << (32 - b.prefix)) >>> 0;
  return ((a.base & mask) >>> 0) === b.base;
}

/** True when a port range (either end absent: every port) holds `port`. */
export function rangeHolds(from: unknown, to: unknown, port: number): boolean {
  const lo = num(from);
  const hi = num(to);
  if (lo === undefined || hi === undefined || lo < 0 || hi < 0) return true;
  return lo <= port && port <= hi;
}

/** The smallest CIDR that holds every given CIDR (the node network of a set of subnets); undefined for none or an invalid one. */
export function coveringCidr(cidrs: readonly string[]): string | undefined {
  const parsed = cidrs.map(parseCidr);
  if (parsed.length === 0 || parsed.some((c) => c === undefined)) return undefined;
  for (let prefix = Math.min(...parsed.map((c) => c!.prefix)); prefix >= 0; prefix--) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const base = (parsed[0]!.base & mask) >>> 0;
    if (parsed.every((c) => ((c!.base & mask) >>> 0) === base)) {
      return `${base >>> 24}.${(base >>> 16) & 255}.${(base >>> 8) & 255}.${base & 255}/${prefix}`;
    }
  }
  return undefined;
}
