import type { CheckResult, Control, Violation } from "../../types";
import { GATEWAY_GROUP, attachedListeners, gatewayKey, isHttpsRedirectOnly, listenersOf, routeGatewayKeys } from "../lib/gateway";
import { describe, type K8sResource } from "../lib/k8s";
import { ofKind } from "../lib/indexes";
import { notApplicable, verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asArray } from "../lib/values";

const TLS_PROTOCOLS = new Set(["HTTPS", "TLS"]);

export const control: Control = {
  id: "snc-network-gateway-tls",
  title: {
    fr: "TLS sur chaque écouteur de passerelle et chaque route HTTP",
    en: "TLS on every Gateway listener and every HTTPRoute",
  },
  snc: verifiedSection("10", "10.2", "Chiffrement des flux"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Flows carrying customer data must be encrypted (10.2) and interfaces reachable from a public network must authenticate and encrypt (9.6.e). A plain HTTP listener sends sessions and documents in clear; the only acceptable one redirects every request to HTTPS.",
  remediation:
    "Give every listener `protocol: HTTPS` (or TLS) with `tls.certificateRefs` (a cert-manager certificate), attach application routes to HTTPS listeners only (`parentRefs[].sectionName`), and keep a port-80 listener only for a route whose every rule is a `RequestRedirect` filter with `scheme: https`.",
  evidence: [
    "gateway.networking.k8s.io Gateway `spec.listeners[]` protocol, tls.mode, tls.certificateRefs",
    "gateway.networking.k8s.io HTTPRoute `spec.parentRefs[]` (name, namespace, sectionName, port) and `spec.rules[]` (filters, backendRefs)",
  ],
  check(resources) {
    // The kind index keeps input order: the same lists as filtering every object with isGateway / isHttpRoute.
    const gateways = ofKind(resources, GATEWAY_GROUP, "Gateway");
    const routes = ofKind(resources, GATEWAY_GROUP, "HTTPRoute");
    // Indexes (linear in the input): each Gateway's routes and each route's Gateways, by the parentRefs' names, in input order.
    const gatewaysByKey = new Map<string, number[]>();
    gateways.forEach(({ obj }, i) => {
      const key = gatewayKey(obj);
      const list = gatewaysByKey.get(key);
      if (list) list.push(i);
      else gatewaysByKey.set(key, [i]);
    });
    const routesByGateway = new Map<string, K8sResource[]>();
    const gatewaysOfRoute = new Map<K8sResource, number[]>();
    for (const r of routes) {
      const found: number[] = [];
      for (const key of routeGatewayKeys(r.obj)) {
        const list = routesByGateway.get(key);
        if (list) list.push(r);
        else routesByGateway.set(key, [r]);
        found.push(...(gatewaysByKey.get(key) ?? []));
      }
      gatewaysOfRoute.set(r, found.sort((a, b) => a - b));
    }
    const results: CheckResult[] = [];
    for (const { view, obj } of gateways) {
      const candidates = routesByGateway.get(gatewayKey(obj)) ?? [];
      const violations: Violation[] = [];
      for (const l of listenersOf(obj)) {
        const at = `spec.listeners[${l.index}]`;
        if (TLS_PROTOCOLS.has(l.protocol)) {
          if (l.tls.mode !== "Passthrough" && asArray(l.tls.certificateRefs).length === 0) violations.push(violation(`listener ${l.name} (${l.protocol}) has no tls.certificateRefs`, `${at}.tls.certificateRefs`));
        } else if (l.protocol === "HTTP") {
          const attached = candidates.filter((r) => attachedListeners(r.obj, obj).some((a) => a.index === l.index));
          const serving = attached.filter((r) => !isHttpsRedirectOnly(r.obj));
          if (attached.length === 0) violations.push(violation(`listener ${l.name} is plain HTTP and no route redirects it to HTTPS`, `${at}.protocol`));
          for (const r of serving) violations.push(violation(`listener ${l.name} is plain HTTP and serves ${describe(r.obj)}, which is not an HTTPS redirect`, `${at}.protocol`));
        }
      }
      results.push(verdict(view, violations, `every HTTP(S) listener of ${describe(obj)} uses TLS or only redirects to HTTPS`));
    }
    for (const route of routes) {
      const { view, obj } = route;
      const parents = gatewaysOfRoute
        .get(route)!
        .map((i) => gateways[i]!)
        .map((g) => ({ g, listeners: attachedListeners(obj, g.obj) }))
        .filter((p) => p.listeners.length > 0);
      if (parents.length === 0) {
        results.push(notApplicable(view, `${describe(obj)} attaches to no Gateway listener of the input`));
        continue;
      }
      const redirect = isHttpsRedirectOnly(obj);
      const violations = parents.flatMap(({ g, listeners }) =>
        listeners
          .filter((l) => !TLS_PROTOCOLS.has(l.protocol) && !redirect)
          .map((l) => violation(`${describe(obj)} is attached to listener ${l.name} (${l.protocol}) of ${describe(g.obj)}, which is not HTTPS`, "spec.parentRefs")),
      );
      results.push(verdict(view, violations, redirect ? `${describe(obj)} only redirects to HTTPS` : `${describe(obj)} is attached to HTTPS listeners only`));
    }
    return results;
  },
};
