import type { KubernetesObject } from "../../../policies/types";
import { find, inventory, servicePorts } from "../inventory";
import { asArray, asString, isObject, matchesSelector, nameOf, nsOf, objectId } from "../k8s";
import type { CheckFinding, CheckRule } from "../types";

function listeners(gw: KubernetesObject): Record<string, unknown>[] {
  return isObject(gw.spec) ? asArray(gw.spec.listeners).filter(isObject) : [];
}

/** Does the listener admit routes from the route's namespace (`allowedRoutes.namespaces`, default Same)? */
function admits(listener: Record<string, unknown>, gwNamespace: string, routeNamespace: string): boolean {
  const ns = isObject(listener.allowedRoutes) && isObject(listener.allowedRoutes.namespaces) ? listener.allowedRoutes.namespaces : {};
  const from = asString(ns.from) ?? "Same";
  if (from === "All") return true;
  if (from === "Same") return gwNamespace === routeNamespace;
  if (from === "Selector") return matchesSelector(ns.selector, { "kubernetes.io/metadata.name": routeNamespace });
  return false;
}

function referenceGrantAllows(model: KubernetesObject[], fromNs: string, toNs: string, kind: string, name: string): boolean {
  return model.some(
    (g) =>
      g.kind === "ReferenceGrant" &&
      nsOf(g) === toNs &&
      isObject(g.spec) &&
      asArray(g.spec.from).some((f) => isObject(f) && f.kind === "HTTPRoute" && f.namespace === fromNs) &&
      asArray(g.spec.to).some((t) => isObject(t) && t.kind === kind && (t.name === undefined || t.name === name)),
  );
}

/** Does the Gateway admit a ListenerSet from this namespace (`spec.allowedListeners.namespaces`, default None)? */
function admitsListenerSet(gw: KubernetesObject, lsNamespace: string, namespaceLabels: Readonly<Record<string, string>>): boolean {
  const allowed = isObject(gw.spec) && isObject(gw.spec.allowedListeners) && isObject(gw.spec.allowedListeners.namespaces) ? gw.spec.allowedListeners.namespaces : {};
  const from = asString(allowed.from) ?? "None";
  if (from === "All") return true;
  if (from === "Same") return nsOf(gw) === lsNamespace;
  if (from === "Selector") return matchesSelector(allowed.selector, { ...namespaceLabels, "kubernetes.io/metadata.name": lsNamespace });
  return false;
}

/**
 * A route attached to a ListenerSet (Gateway API v1.6 standard): the ListenerSet exists, has the listener and
 * admits the route's namespace; its own parent Gateway, the tenant's platform's, exists and admits it. A
 * tenant whose platform's render is not beside its own: the Gateway side is reported as not checked.
 */
function listenerSetParent(model: Parameters<CheckRule["run"]>[0], inv: ReturnType<typeof inventory>, object: string, rns: string, ref: Record<string, unknown>, path: string): CheckFinding[] {
  const name = asString(ref.name) ?? "";
  const lns = asString(ref.namespace) ?? rns;
  const ls = find(inv, "ListenerSet", lns, name);
  if (!ls) return [{ rule: "httproute-refs", severity: "blocker", object, path: `${path}.name`, message: `ListenerSet ${lns}/${name} does not exist: the route is never attached and its hostnames answer 404`, fix: "name an existing ListenerSet (and its namespace) in parentRefs" }];
  const section = asString(ref.sectionName);
  const ls2 = listeners(ls).filter((l) => section === undefined || l.name === section);
  if (ls2.length === 0) return [{ rule: "httproute-refs", severity: "blocker", object, path: `${path}.sectionName`, message: `ListenerSet ${lns}/${name} has no listener "${section}": the route is not accepted`, fix: "use one of the ListenerSet's listener names" }];
  if (!ls2.some((l) => admits(l, lns, rns))) return [{ rule: "httproute-refs", severity: "blocker", object, path, message: `no listener of ListenerSet ${lns}/${name} admits routes from namespace ${rns}`, fix: `allow namespace ${rns} in the listener's allowedRoutes` }];
  const parent = isObject(ls.spec) && isObject(ls.spec.parentRef) ? ls.spec.parentRef : {};
  const gname = asString(parent.name) ?? "";
  const gns = asString(parent.namespace) ?? lns;
  const lsObject = objectId(ls);
  const gateway = find(inv, "Gateway", gns, gname) ?? model.platform?.objects.find((o) => o.kind === "Gateway" && nsOf(o) === gns && nameOf(o) === gname);
  if (!gateway) {
    if (model.platform && !model.platform.found) {
      return [{ rule: "httproute-refs", severity: "warning", object: lsObject, path: "spec.parentRef", message: `not checked: Gateway ${gns}/${gname} is the platform's (${model.platform.stack}), whose render is not beside this one`, fix: `render the platform (socle render ${model.platform.stack}) into the same output root, then check again` }];
    }
    return [{ rule: "httproute-refs", severity: "blocker", object: lsObject, path: "spec.parentRef.name", message: `Gateway ${gns}/${gname} does not exist${model.platform ? ` in the platform's render (${model.platform.stack})` : ""}: the ListenerSet and its routes are never attached`, fix: "name the platform's Gateway, as its `tenancy` output gives it" }];
  }
  const nsObject = model.objects.find((o) => o.kind === "Namespace" && nameOf(o) === lns);
  if (!admitsListenerSet(gateway, lns, nsObject?.metadata.labels ?? {})) {
    return [{ rule: "httproute-refs", severity: "blocker", object: lsObject, path: "spec.parentRef", message: `Gateway ${gns}/${gname} does not admit ListenerSets from namespace ${lns} (spec.allowedListeners, default None): its listeners are not attached`, fix: "let the Gateway's allowedListeners select the tenant's namespaces (a platform stack's Gateway selects Capsule tenants' namespaces)" }];
  }
  return [];
}

/** HTTPRoutes attach to existing Gateways and listeners that admit them, and send to existing Services and ports. */
export const httpRouteRefs: CheckRule = {
  id: "httproute-refs",
  description: "Every HTTPRoute's parentRefs name an existing Gateway and listener sectionName that admits the route's namespace, and its backendRefs an existing Service and port",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const route of model.objects) {
      if (route.kind !== "HTTPRoute" || !isObject(route.spec)) continue;
      const object = objectId(route);
      const rns = nsOf(route);
      asArray(route.spec.parentRefs).forEach((ref, i) => {
        if (!isObject(ref)) return;
        const kind = asString(ref.kind) ?? "Gateway";
        if (kind === "ListenerSet") {
          out.push(...listenerSetParent(model, inv, object, rns, ref, `spec.parentRefs[${i}]`));
          return;
        }
        if (kind !== "Gateway") return;
        const name = asString(ref.name) ?? "";
        const gns = asString(ref.namespace) ?? rns;
        const gw = find(inv, "Gateway", gns, name);
        const path = `spec.parentRefs[${i}]`;
        if (!gw) {
          out.push({ rule: "httproute-refs", severity: "blocker", object, path: `${path}.name`, message: `Gateway ${gns}/${name} does not exist: the route is never attached and its hostnames answer 404`, fix: "name an existing Gateway (and its namespace) in parentRefs" });
          return;
        }
        const section = asString(ref.sectionName);
        const ls = listeners(gw).filter((l) => section === undefined || l.name === section);
        if (section !== undefined && ls.length === 0) {
          const names = listeners(gw).map((l) => String(l.name)).join(", ");
          out.push({ rule: "httproute-refs", severity: "blocker", object, path: `${path}.sectionName`, message: `Gateway ${gns}/${name} has no listener "${section}" (listeners: ${names}): the route is not accepted`, fix: `use one of the listener names ${names}` });
          return;
        }
        if (!ls.some((l) => admits(l, gns, rns))) {
          out.push({
            rule: "httproute-refs",
            severity: "blocker",
            object,
            path,
            message: `no listener of Gateway ${gns}/${name}${section ? ` named "${section}"` : ""} admits routes from namespace ${rns} (allowedRoutes.namespaces): the route is not accepted`,
            fix: `allow namespace ${rns} in the listener's allowedRoutes, or attach the route to a listener that does`,
          });
        }
      });
      asArray(route.spec.rules).forEach((rule, i) => {
        if (!isObject(rule)) return;
        asArray(rule.backendRefs).forEach((b, j) => {
          if (!isObject(b)) return;
          const kind = asString(b.kind) ?? "Service";
          const group = asString(b.group) ?? "";
          if (kind !== "Service" || group !== "") return;
          const name = asString(b.name) ?? "";
          const sns = asString(b.namespace) ?? rns;
          const path = `spec.rules[${i}].backendRefs[${j}]`;
          const svc = find(inv, "Service", sns, name);
          if (!svc) {
            out.push({ rule: "httproute-refs", severity: "blocker", object, path: `${path}.name`, message: `Service ${sns}/${name} does not exist: requests on this rule get 500`, fix: "name an existing Service in backendRefs" });
            return;
          }
          if (sns !== rns && !referenceGrantAllows(model.objects as KubernetesObject[], rns, sns, "Service", name)) {
            out.push({ rule: "httproute-refs", severity: "blocker", object, path: `${path}.namespace`, message: `backend Service ${sns}/${name} is in another namespace and no ReferenceGrant in ${sns} allows HTTPRoutes from ${rns}`, fix: `add a ReferenceGrant in ${sns} from HTTPRoute in ${rns} to Service ${name}` });
          }
          const port = b.port;
          const ports = servicePorts(svc).map((p) => p.port);
          if (typeof port !== "number") {
            out.push({ rule: "httproute-refs", severity: "blocker", object, path: `${path}.port`, message: `backendRef to Service ${sns}/${name} has no port (required for a Service backend)`, fix: `set port to one of ${ports.join(", ")}` });
          } else if (!ports.includes(port)) {
            out.push({ rule: "httproute-refs", severity: "blocker", object, path: `${path}.port`, message: `Service ${sns}/${nameOf(svc)} has no port ${port} (ports: ${ports.join(", ") || "none"})`, fix: `use one of the Service's ports ${ports.join(", ")}` });
          }
        });
      });
    }
    return out;
  },
};
