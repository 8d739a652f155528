import type { KubernetesObject } from "../../../policies/types";
import { find, inventory, selectedPods, type Inventory } from "../inventory";
import { ANNOTATIONS, asArray, asString, isObject, nameOf, nsOf, objectId, type PodTemplate } from "../k8s";
import { BACK_CHANNEL, CONNECTION, podNeeds } from "../needs";
import { podRefs } from "../refs";
import type { CheckFinding, CheckRule } from "../types";

/** The CA Secret behind a listener's certificate when its issuer is a private CA (cert-manager `ca` or `selfSigned` issuer). */
function privateCa(inv: Inventory, model: readonly KubernetesObject[], gw: KubernetesObject, listener: Record<string, unknown>): { caSecret: string; issuer: string } | undefined {
  const tls = isObject(listener.tls) ? listener.tls : {};
  const ref = asArray(tls.certificateRefs).find(isObject);
  if (!ref) return undefined;
  const secretNs = asString(ref.namespace) ?? nsOf(gw);
  const secretName = asString(ref.name) ?? "";
  const cert = model.find((o) => o.kind === "Certificate" && nsOf(o) === secretNs && isObject(o.spec) && o.spec.secretName === secretName);
  if (!cert || !isObject(cert.spec) || !isObject(cert.spec.issuerRef)) return undefined;
  const kind = asString(cert.spec.issuerRef.kind) ?? "Issuer";
  const name = asString(cert.spec.issuerRef.name) ?? "";
  const issuer = kind === "ClusterIssuer" ? find(inv, "ClusterIssuer", "", name) : find(inv, "Issuer", secretNs, name);
  if (!issuer || !isObject(issuer.spec)) return undefined;
  if (isObject(issuer.spec.ca) && typeof issuer.spec.ca.secretName === "string") return { caSecret: issuer.spec.ca.secretName, issuer: `${kind} ${name}` };
  if (isObject(issuer.spec.selfSigned)) return { caSecret: secretName, issuer: `${kind} ${name}` };
  return undefined;
}

/** The private CA of a Certificate's issuer, when the issuer is a cert-manager `ca` or `selfSigned` issuer. */
function issuerCa(inv: Inventory, cert: KubernetesObject): { caSecret: string; issuer: string } | undefined {
  if (!isObject(cert.spec) || !isObject(cert.spec.issuerRef)) return undefined;
  const kind = asString(cert.spec.issuerRef.kind) ?? "Issuer";
  const name = asString(cert.spec.issuerRef.name) ?? "";
  const issuer = kind === "ClusterIssuer" ? find(inv, "ClusterIssuer", "", name) : find(inv, "Issuer", nsOf(cert), name);
  if (!issuer || !isObject(issuer.spec)) return undefined;
  if (isObject(issuer.spec.ca) && typeof issuer.spec.ca.secretName === "string") return { caSecret: issuer.spec.ca.secretName, issuer: `${kind} ${name}` };
  if (isObject(issuer.spec.selfSigned)) return { caSecret: asString(cert.spec.secretName) ?? "", issuer: `${kind} ${name}` };
  return undefined;
}

/** The private CA behind the serving certificate the pods of a Service mount (a Secret a cert-manager Certificate issues). */
function servingCa(inv: Inventory, model: readonly KubernetesObject[], pods: readonly PodTemplate[]): { caSecret: string; issuer: string } | undefined {
  for (const pod of pods) {
    for (const ref of podRefs(pod)) {
      if (ref.kind !== "Secret" || !ref.path.includes(".volumes[")) continue;
      const cert = model.find((o) => o.kind === "Certificate" && nsOf(o) === pod.namespace && isObject(o.spec) && o.spec.secretName === ref.name);
      const ca = cert ? issuerCa(inv, cert) : undefined;
      if (ca) return ca;
    }
  }
  return undefined;
}

/** URL schemes that speak TLS from the first byte. */
const TLS_SCHEMES = new Set(["https", "wss", "ssl", "tls", "imaps", "smtps", "ldaps", "rediss"]);

/** Does the pod mount a bundle holding the CA in `caSecret`: a trust-manager Bundle target built from it, or the CA Secret itself? */
function mountsCa(inv: Inventory, model: readonly KubernetesObject[], pod: PodTemplate, caSecret: string): boolean {
  for (const ref of podRefs(pod)) {
    if (!ref.path.includes(".volumes[")) continue;
    if (ref.kind === "Secret" && ref.name === caSecret) return true;
    const target = find(inv, ref.kind, pod.namespace, ref.name);
    const by = target?.metadata.annotations?.[ANNOTATIONS.producedBy];
    const m = by ? /^trust-manager Bundle (.+)$/.exec(by) : null;
    if (!m) continue;
    const bundle = model.find((o) => o.kind === "Bundle" && nameOf(o) === m[1]);
    if (bundle && isObject(bundle.spec) && asArray(bundle.spec.sources).some((s) => isObject(s) && isObject(s.secret) && s.secret.name === caSecret)) return true;
  }
  return false;
}

/** Every HTTPS peer behind the Gateway whose certificate a private CA issues is trusted by a CA bundle the calling pod mounts. */
export const tlsTrust: CheckRule = {
  id: "tls-trust",
  description: "Every TLS peer a workload calls (through the Gateway, or a Service whose pods mount a cert-manager certificate), when its certificate comes from a private CA, is covered by a CA bundle the workload mounts (a trust-manager Bundle built from that CA, or the CA Secret)",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const pod of inv.pods) {
      for (const need of podNeeds(model, pod)) {
        if (!need.scheme || !TLS_SCHEMES.has(need.scheme)) continue;
        const ca = need.gateway
          ? privateCa(inv, model.objects, need.gateway.gateway, need.gateway.listener)
          : need.service
            ? servingCa(inv, model.objects, selectedPods(inv, need.service))
            : undefined;
        if (!ca || mountsCa(inv, model.objects, pod, ca.caSecret)) continue;
        const sure = need.from === "env" && (need.gateway ? BACK_CHANNEL : CONNECTION).test(need.envName ?? "") && pod.owner.kind !== "Job";
        out.push({
          rule: "tls-trust",
          severity: sure ? "blocker" : "warning",
          object: objectId(pod.owner),
          path: need.path,
          message: `${sure ? "" : "not proved that the workload makes this call, but if it does: "}${need.scheme}://${need.host} presents a certificate issued by ${ca.issuer} (private CA in Secret ${ca.caSecret}), and the pod mounts no CA bundle holding that CA: the TLS handshake fails (unknown authority)`,
          fix: `mount the trust-manager Bundle ConfigMap built from ${ca.caSecret} and point the client's CA setting at it`,
        });
      }
    }
    return out;
  },
};
