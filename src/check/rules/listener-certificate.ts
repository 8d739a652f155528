import { find, inventory } from "../inventory";
import { asArray, asString, isObject, nsOf, objectId } from "../k8s";
import type { CheckFinding, CheckRule } from "../types";

/** HTTPS and TLS-terminating listeners reference certificate Secrets that exist (rendered or issued by a cert-manager Certificate). */
export const listenerCertificate: CheckRule = {
  id: "listener-certificate",
  description: "Every HTTPS/TLS listener of a Gateway or ListenerSet references certificate Secrets that exist or that a cert-manager Certificate issues",
  run(model) {
    const inv = inventory(model);
    const out: CheckFinding[] = [];
    for (const gw of model.objects) {
      // A Gateway's listeners, and a tenant's ListenerSet's (same listener fields, certificateRefs relative to its namespace).
      if ((gw.kind !== "Gateway" && gw.kind !== "ListenerSet") || !gw.apiVersion.startsWith("gateway.networking.k8s.io/") || !isObject(gw.spec)) continue;
      asArray(gw.spec.listeners).forEach((l, i) => {
        if (!isObject(l)) return;
        const protocol = asString(l.protocol);
        const tls = isObject(l.tls) ? l.tls : undefined;
        const mode = tls ? (asString(tls.mode) ?? "Terminate") : undefined;
        const path = `spec.listeners[${i}]`;
        if (protocol === "HTTPS" || (protocol === "TLS" && mode === "Terminate")) {
          const refs = tls ? asArray(tls.certificateRefs).filter(isObject) : [];
          if (refs.length === 0) {
            out.push({ rule: "listener-certificate", severity: "blocker", object: objectId(gw), path: `${path}.tls.certificateRefs`, message: `listener "${String(l.name)}" terminates TLS without a certificate: the Gateway marks it invalid`, fix: "reference the Secret a cert-manager Certificate issues for the listener's hostname" });
            return;
          }
          refs.forEach((ref, j) => {
            const kind = asString(ref.kind) ?? "Secret";
            const group = asString(ref.group) ?? "";
            if (kind !== "Secret" || group !== "") return;
            const name = asString(ref.name) ?? "";
            const ns = asString(ref.namespace) ?? nsOf(gw);
            if (find(inv, "Secret", ns, name)) return;
            out.push({
              rule: "listener-certificate",
              severity: "blocker",
              object: objectId(gw),
              path: `${path}.tls.certificateRefs[${j}].name`,
              message: `listener "${String(l.name)}" references Secret ${ns}/${name}, which is neither rendered nor issued by a cert-manager Certificate: the listener serves no certificate and HTTPS to its hostname fails`,
              fix: `add a cert-manager Certificate in ${ns} with secretName ${name} for the listener's hostname, or correct the reference`,
            });
          });
        }
      });
    }
    return out;
  },
};
