import type { KubernetesObject } from "../../types";
import { isKind, namespaceOf, specOf, type K8sResource } from "./k8s";
import { asArray, asInteger, asRecord, asString, records, type Json } from "./values";

export const GATEWAY_GROUP = "gateway.networking.k8s.io";

export interface Listener {
  readonly name: string;
  readonly port: number | undefined;
  readonly protocol: string;
  readonly tls: Json;
  readonly index: number;
}

export const isGateway = (obj: KubernetesObject): boolean => isKind(obj, GATEWAY_GROUP, "Gateway");
export const isHttpRoute = (obj: KubernetesObject): boolean => isKind(obj, GATEWAY_GROUP, "HTTPRoute");

export function listenersOf(gateway: KubernetesObject): readonly Listener[] {
  return records(specOf(gateway).listeners).map(({ item, index }) => ({
    name: asString(item.name) ?? `#${index}`,
    port: asInteger(item.port),
    protocol: asString(item.protocol) ?? "",
    tls: asRecord(item.tls),
    index,
  }));
}

/** The listeners of `gateway` a route's parentRefs attach it to. */
export function attachedListeners(route: KubernetesObject, gateway: KubernetesObject): readonly Listener[] {
  const listeners = listenersOf(gateway);
  const out = new Set<Listener>();
  for (const { item } of records(specOf(route).parentRefs)) {
    if ((item.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (item.kind ?? "Gateway") !== "Gateway") continue;
    if (item.name !== gateway.metadata.name || (asString(item.namespace) ?? namespaceOf(route)) !== namespaceOf(gateway)) continue;
    const section = asString(item.sectionName);
    const port = asInteger(item.port);
    for (const l of listeners) if ((section === undefined || section === l.name) && (port === undefined || port === l.port)) out.add(l);
  }
  return [...out];
}

/** How parentRefs name a Gateway: namespace and name (`undefined` matches an unnamed Gateway, as `attachedListeners` compares them). */
const refKey = (namespace: string, name: unknown): string | undefined =>
  typeof name === "string" ? `${namespace}\0s:${name}` : name === undefined ? `${namespace}\0u` : undefined;

/** The key under which `routeGatewayKeys` finds this Gateway. */
export const gatewayKey = (gateway: KubernetesObject): string => refKey(namespaceOf(gateway), gateway.metadata.name)!;

/**
 * Keys of the Gateways a route's parentRefs name: `attachedListeners(route, g)` is empty for every
 * Gateway `g` whose `gatewayKey` is not among them (used to index routes by Gateway, in linear time).
 */
export function routeGatewayKeys(route: KubernetesObject): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const { item } of records(specOf(route).parentRefs)) {
    if ((item.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (item.kind ?? "Gateway") !== "Gateway") continue;
    const key = refKey(asString(item.namespace) ?? namespaceOf(route), item.name);
    if (key !== undefined) keys.add(key);
  }
  return keys;
}

/** True when every rule of the route only redirects to https (no backend). */
export function isHttpsRedirectOnly(route: KubernetesObject): boolean {
  const rules = records(specOf(route).rules);
  return (
    rules.length > 0 &&
    rules.every(
      ({ item }) =>
        asArray(item.backendRefs).length === 0 &&
        records(item.filters).some(({ item: f }) => f.type === "RequestRedirect" && asRecord(f.requestRedirect).scheme === "https"),
    )
  );
}

export const gatewaysOf = (k8s: readonly K8sResource[]): readonly K8sResource[] => k8s.filter(({ obj }) => isGateway(obj));
