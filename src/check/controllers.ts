/**
 * Objects that controllers create from the rendered custom resources, so references to them resolve:
 * the Kubernetes control plane (default ServiceAccount, kube-root-ca.crt), cert-manager, trust-manager and
 * CloudNativePG. Each fact names the upstream source it was read from.
 */
import type { KubernetesObject } from "../../policies/types";
import { ANNOTATIONS, asArray, asString, isObject, matchesSelector, nameOf, nsOf } from "./k8s";

const SOURCES = {
  defaultServiceAccount: "kubernetes/kubernetes pkg/controller/serviceaccount (the ServiceAccount controller creates `default` in every namespace)",
  rootCa: "kubernetes/kubernetes pkg/controller/certificates/rootcacertpublisher (ConfigMap kube-root-ca.crt, key ca.crt, in every namespace)",
  certificate: "cert-manager/cert-manager@v1.21.1:pkg/apis/meta/v1/types.go (Secret keys tls.crt, tls.key and TLSCAKey ca.crt)",
  bundle: "cert-manager/trust-manager@v0.19.0:pkg/bundle/bundle.go (target ConfigMap named after the Bundle; nil namespaceSelector selects every namespace)",
  cnpgSecrets: "cloudnative-pg/cloudnative-pg@v1.30.0:api/v1/cluster_types.go (suffixes -app, -superuser, -ca, -server, -replication) and pkg/specs/secrets.go (keys)",
  cnpgServices: "cloudnative-pg/cloudnative-pg@v1.30.0:pkg/specs/services.go (Services -rw, -ro, -r, port 5432, selector cnpg.io/cluster and cnpg.io/instanceRole)",
  envoyProxy:
    "envoyproxy/gateway@v1.8.3:internal/gatewayapi/translator.go (proxy labels gateway.envoyproxy.io/owning-gateway-name/-namespace; a listener port below 1024 listens on port + 10000) and listener.go",
  cnpgSuperuser: "cloudnative-pg/cloudnative-pg@v1.30.0:internal/controller/cluster_create.go (the superuser Secret only when spec.enableSuperuserAccess)",
} as const;

function produced(kind: string, name: string, namespace: string, producer: string, source: string, extra: Record<string, unknown> = {}): KubernetesObject {
  return {
    apiVersion: "v1",
    kind,
    metadata: { name, namespace, annotations: { [ANNOTATIONS.producedBy]: producer, [ANNOTATIONS.source]: source } },
    ...extra,
  };
}

const keys = (list: readonly string[]) => ({ data: Object.fromEntries(list.map((k) => [k, ""])) });

/** CNPG application secret keys (pkg/specs/secrets.go CreateSecret). */
const CNPG_USER_KEYS = ["username", "password", "dbname", "host", "port", "pgpass", "uri", "jdbc-uri", "fqdn-uri", "fqdn-jdbc-uri"];

/**
 * Namespaces present in the render (Namespace objects plus every namespace an object lives in), and the
 * objects the controllers create in them.
 */
export function controllerObjects(objects: readonly KubernetesObject[]): KubernetesObject[] {
  const namespaces = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o.kind === "Namespace" && o.metadata.name) namespaces.set(o.metadata.name, { ...(o.metadata.labels ?? {}), "kubernetes.io/metadata.name": o.metadata.name });
  }
  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (ns && !namespaces.has(ns)) namespaces.set(ns, { "kubernetes.io/metadata.name": ns });
  }
  const out: KubernetesObject[] = [];
  for (const ns of [...namespaces.keys()].sort()) {
    out.push(produced("ServiceAccount", "default", ns, "the ServiceAccount controller", SOURCES.defaultServiceAccount));
    out.push(produced("ConfigMap", "kube-root-ca.crt", ns, "the root CA publisher", SOURCES.rootCa, keys(["ca.crt"])));
  }
  for (const o of objects) {
    const spec = isObject(o.spec) ? o.spec : {};
    const ns = nsOf(o);
    if (o.kind === "Certificate" && o.apiVersion.startsWith("cert-manager.io/")) {
      const secretName = asString(spec.secretName);
      if (secretName) out.push(produced("Secret", secretName, ns, `cert-manager Certificate ${ns}/${nameOf(o)}`, SOURCES.certificate, keys(["tls.crt", "tls.key", "ca.crt"])));
    } else if (o.kind === "Bundle" && o.apiVersion.startsWith("trust.cert-manager.io/")) {
      const target = isObject(spec.target) ? spec.target : {};
      const cm = isObject(target.configMap) ? asString(target.configMap.key) : undefined;
      const sec = isObject(target.secret) ? asString(target.secret.key) : undefined;
      const selector = target.namespaceSelector;
      for (const [nsName, labels] of namespaces) {
        if (selector !== undefined && selector !== null && !matchesSelector(selector, labels) && !(isObject(selector) && Object.keys(selector).length === 0)) continue;
        if (cm) out.push(produced("ConfigMap", nameOf(o), nsName, `trust-manager Bundle ${nameOf(o)}`, SOURCES.bundle, keys([cm])));
        if (sec) out.push(produced("Secret", nameOf(o), nsName, `trust-manager Bundle ${nameOf(o)}`, SOURCES.bundle, keys([sec])));
      }
    } else if (o.kind === "Cluster" && o.apiVersion.startsWith("postgresql.cnpg.io/")) {
      const name = nameOf(o);
      const by = `CloudNativePG Cluster ${ns}/${name}`;
      const bootstrap = isObject(spec.bootstrap) ? spec.bootstrap : undefined;
      const initdb = bootstrap && isObject(bootstrap.initdb) ? bootstrap.initdb : undefined;
      const customApp = initdb && isObject(initdb.secret) ? asString(initdb.secret.name) : undefined;
      if (!customApp && (!bootstrap || initdb)) out.push(produced("Secret", `${name}-app`, ns, by, SOURCES.cnpgSecrets, keys(CNPG_USER_KEYS)));
      if (spec.enableSuperuserAccess === true) out.push(produced("Secret", `${name}-superuser`, ns, by, SOURCES.cnpgSuperuser, keys(CNPG_USER_KEYS)));
      const certs = isObject(spec.certificates) ? spec.certificates : {};
      if (!asString(certs.serverCASecret)) out.push(produced("Secret", `${name}-ca`, ns, by, SOURCES.cnpgSecrets, keys(["ca.crt", "ca.key"])));
      if (!asString(certs.serverTLSSecret)) out.push(produced("Secret", `${name}-server`, ns, by, SOURCES.cnpgSecrets, keys(["tls.crt", "tls.key"])));
      out.push(produced("Secret", `${name}-replication`, ns, by, SOURCES.cnpgSecrets, keys(["tls.crt", "tls.key"])));
      for (const [suffix, role] of [["-rw", "primary"], ["-ro", "replica"], ["-r", undefined]] as const) {
        const selector: Record<string, string> = { "cnpg.io/cluster": name, ...(role ? { "cnpg.io/instanceRole": role } : { "cnpg.io/podRole": "instance" }) };
        out.push(produced("Service", `${name}${suffix}`, ns, by, SOURCES.cnpgServices, { spec: { selector, ports: [{ name: "postgres", port: 5432, targetPort: 5432 }] } }));
      }
      // The primary instance pod, as the services and NetworkPolicies see it (pkg/specs/pods.go labels).
      out.push({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: `${name}-1`,
          namespace: ns,
          labels: { "cnpg.io/cluster": name, "cnpg.io/podRole": "instance", "cnpg.io/instanceRole": "primary" },
          annotations: { [ANNOTATIONS.producedBy]: by, [ANNOTATIONS.source]: "cloudnative-pg/cloudnative-pg@v1.30.0:pkg/specs/pods.go", [ANNOTATIONS.needsApiServer]: "true" },
        },
        spec: { containers: [{ name: "postgres", ports: [{ name: "postgresql", containerPort: 5432 }, { name: "status", containerPort: 8000 }] }] },
      });
    }
  }
  return out;
}

/** Envoy Gateway's GatewayClass controller name (charts/gateway-helm values.tmpl.yaml config.envoyGateway.gateway.controllerName). */
export const ENVOY_GATEWAY_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";

/**
 * The Envoy proxy pods Envoy Gateway runs for each Gateway of its class, in the controller's namespace
 * (the `gateway-helm` release's, else envoy-gateway-system), listening on each listener port (+10000 below 1024).
 */
export function gatewayProxies(objects: readonly KubernetesObject[], controllerNamespace: string): KubernetesObject[] {
  const classes = new Set(
    objects.filter((o) => o.kind === "GatewayClass" && isObject(o.spec) && o.spec.controllerName === ENVOY_GATEWAY_CONTROLLER).map((o) => nameOf(o)),
  );
  const out: KubernetesObject[] = [];
  for (const gw of objects) {
    if (gw.kind !== "Gateway" || !isObject(gw.spec) || !classes.has(String(gw.spec.gatewayClassName))) continue;
    const ports = [...new Set(asArray(gw.spec.listeners).filter(isObject).map((l) => Number(l.port)).filter((p) => Number.isInteger(p)))].map((p) => (p < 1024 ? p + 10000 : p));
    out.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `envoy-${nsOf(gw)}-${nameOf(gw)}`,
        namespace: controllerNamespace,
        labels: { "gateway.envoyproxy.io/owning-gateway-name": nameOf(gw), "gateway.envoyproxy.io/owning-gateway-namespace": nsOf(gw) },
        annotations: { [ANNOTATIONS.producedBy]: `Envoy Gateway for Gateway ${nsOf(gw)}/${nameOf(gw)}`, [ANNOTATIONS.source]: SOURCES.envoyProxy },
      },
      spec: { containers: [{ name: "envoy", ports: ports.map((p) => ({ containerPort: p })) }] },
    });
  }
  return out;
}

/** The cluster DNS pods, as the NetworkPolicies' DNS rules name them (`k8s-app: kube-dns` in kube-system, the CoreDNS addon's label). */
export const KUBE_DNS = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } } as const;

/** PVC names a StatefulSet's claim templates create, to resolve the volumes its pods mount by template name. */
export function claimTemplateNames(o: KubernetesObject): string[] {
  if (o.kind !== "StatefulSet" || !isObject(o.spec)) return [];
  return asArray(o.spec.volumeClaimTemplates)
    .filter(isObject)
    .map((t) => (isObject(t.metadata) ? asString(t.metadata.name) : undefined))
    .filter((n): n is string => !!n);
}

