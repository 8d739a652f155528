import type { KubernetesObject } from "../../../policies/types";
import { find, inventory, type Inventory } from "../inventory";
import { ANNOTATIONS, asArray, asString, isObject, nameOf, nsOf, objectId, type PodTemplate } from "../k8s";
import { BACK_CHANNEL, podNeeds } from "../needs";
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
  description: "Every HTTPS peer a workload calls through the Gateway, when its certificate comes from a private CA, is covered by a CA bundle the workload mounts (a trust-manager Bundle built from that CA, or the CA Secret)",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const pod of inv.pods) {
      for (const need of podNeeds(model, pod)) {
        if (!need.gateway || (need.scheme !== "https" && need.scheme !== "wss")) continue;
        const ca = privateCa(inv, model.objects, need.gateway.gateway, need.gateway.listener);
        if (!ca || mountsCa(inv, model.objects, pod, ca.caSecret)) continue;
        const sure = need.from === "env" && BACK_CHANNEL.test(need.envName ?? "") && pod.owner.kind !== "Job";
        out.push({
          rule: "tls-trust",
          severity: sure ? "blocker" : "warning",
          object: objectId(pod.owner),
          path: need.path,
          message: `${sure ? "" : "not proved that the workload makes this call, but if it does: "}https://${need.host} presents a certificate issued by ${ca.issuer} (private CA in Secret ${ca.caSecret}), and the pod mounts no CA bundle holding that CA: the TLS handshake fails (unknown authority)`,
          fix: `mount the trust-manager Bundle ConfigMap built from ${ca.caSecret} and point the client's CA setting at it`,
        });
      }
    }
    return out;
  },
};
