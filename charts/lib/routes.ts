import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import { routeParent, type GatewayRef } from "./crds";
import { compareText } from "../../src/compare";

/** One path prefix of a hostname and the Service behind it. */
export interface PathRule {
  readonly pathPrefix: string;
  readonly service: string;
  readonly port: number;
  /** Long-lived connections (websockets): `0s` disables the request timeout on this rule. */
  readonly requestTimeout?: string;
}

/**
 * An HTTPRoute sending several path prefixes of one hostname to different Services, attached to the
 * hostname's HTTPS listener. Gateway API picks the longest matching prefix, so rule order does not matter;
 * they are sorted for stable output.
 */
export function pathRoute(
  scope: Construct,
  props: { name: string; namespace: string; hostname: string; gateway: GatewayRef; listener: string; rules: readonly PathRule[] },
): ApiObject {
  const prefixes = props.rules.map((r) => r.pathPrefix);
  const duplicate = prefixes.find((p, i) => prefixes.indexOf(p) !== i);
  if (duplicate) throw new Error(`pathRoute ${props.namespace}/${props.name}: path prefix ${duplicate} is routed twice; keep one rule per prefix`);
  const rules = [...props.rules].sort((a, b) => compareText(a.pathPrefix, b.pathPrefix));
  return new ApiObject(scope, `${props.name}-route`, {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: props.name, namespace: props.namespace },
    spec: {
      parentRefs: [routeParent(props.gateway, props.listener)],
      hostnames: [props.hostname],
      rules: rules.map((r) => ({
        matches: [{ path: { type: "PathPrefix", value: r.pathPrefix } }],
        backendRefs: [{ kind: "Service", name: r.service, port: r.port }],
        ...(r.requestTimeout ? { timeouts: { request: r.requestTimeout } } : {}),
      })),
    },
  });
}
