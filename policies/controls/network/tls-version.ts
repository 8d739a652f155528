import type { CheckResult, Control, Violation } from "../../types";
import { GATEWAY_GROUP, listenersOf } from "../lib/gateway";
import { describe, isKind, specOf } from "../lib/k8s";
import { ofKind, ofKinds, ofTypes } from "../lib/indexes";
import { notApplicable, verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asArray, asInteger, asRecord, asString } from "../lib/values";

const OCTAVIA_LISTENER = "openstack:loadbalancer/listener:Listener";
/** Protocol versions below 1.2, in the spellings of Envoy Gateway, Octavia and implementation options. */
const OLD_TLS = /^(?:tls)?(?:v)?\s*1(?:[._]?[01])?$|^ssl/i;
/** Minimum key sizes, in bits, this control accepts for certificates (the project's floor; cert-manager's RSA default is 2048). */
export const MIN_RSA_BITS = 2048;
export const MIN_ECDSA_BITS = 256;

export const control: Control = {
  id: "snc-network-tls-version",
  title: {
    fr: "TLS 1.2 au minimum et clés de certificat robustes",
    en: "TLS 1.2 or later and strong certificate keys",
  },
  snc: verifiedSection("10", "10.2", "Chiffrement des flux"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Where TLS is used the provider must apply ANSSI's TLS recommendations (10.2.c), which rule out SSL and TLS before 1.2. The check reads every place the deployment sets a TLS floor (Gateway listener options, Envoy Gateway ClientTrafficPolicy, Octavia listeners) and the key of every cert-manager Certificate.",
  remediation:
    "Set the minimum version to 1.2 or 1.3 (`ClientTrafficPolicy.spec.tls.minVersion: \"1.2\"`, Octavia `tlsVersions: [\"TLSv1.2\", \"TLSv1.3\"]`), and issue certificates with RSA keys of at least 2048 bits or ECDSA keys of at least 256 bits.",
  evidence: [
    "gateway.networking.k8s.io Gateway `spec.listeners[].tls.options` keys naming a minimum version",
    "gateway.envoyproxy.io ClientTrafficPolicy `spec.tls.minVersion`",
    `${OCTAVIA_LISTENER} \`protocol\` TERMINATED_HTTPS, \`tlsVersions\``,
    "cert-manager.io Certificate `spec.privateKey.algorithm`, `spec.privateKey.size`",
  ],
  check(resources) {
    const results: CheckResult[] = [];
    for (const { view, obj } of ofKind(resources, GATEWAY_GROUP, "Gateway")) {
      const violations: Violation[] = [];
      let floors = 0;
      for (const l of listenersOf(obj)) {
        for (const [key, value] of Object.entries(asRecord(l.tls.options))) {
          if (!/min[-_.]?(tls[-_.]?)?(protocol[-_.]?)?version/i.test(key)) continue;
          floors++;
          if (typeof value === "string" && OLD_TLS.test(value.trim())) violations.push(violation(`listener ${l.name} sets ${key} to ${value}, below TLS 1.2`, `spec.listeners[${l.index}].tls.options`));
        }
      }
      if (floors > 0) results.push(verdict(view, violations, `every TLS minimum version set on ${describe(obj)} is 1.2 or later`));
    }
    for (const { view, obj } of ofKinds(resources, [["gateway.envoyproxy.io", "ClientTrafficPolicy"], ["cert-manager.io", "Certificate"]])) {
      if (isKind(obj, "gateway.envoyproxy.io", "ClientTrafficPolicy")) {
        const min = asString(asRecord(specOf(obj).tls).minVersion);
        if (min === undefined) continue;
        results.push(verdict(view, OLD_TLS.test(min) ? [violation(`${describe(obj)} sets tls.minVersion ${min}, below TLS 1.2`, "spec.tls.minVersion")] : [], `tls.minVersion is ${min}`));
      } else if (isKind(obj, "cert-manager.io", "Certificate")) {
        results.push(verdict(view, keyViolations(asRecord(specOf(obj).privateKey)), `${describe(obj)} has a strong private key`));
      }
    }
    for (const view of ofTypes(resources, (type) => type === OCTAVIA_LISTENER)) {
      if (view.type !== OCTAVIA_LISTENER || view.props.protocol !== "TERMINATED_HTTPS") continue;
      const versions = asArray(view.props.tlsVersions).filter((v): v is string => typeof v === "string");
      if (versions.length === 0) {
        results.push(notApplicable(view, "tlsVersions is not set: Octavia's deployment default applies, which the code does not show"));
        continue;
      }
      const old = versions.filter((v) => OLD_TLS.test(v));
      results.push(verdict(view, old.map((v) => violation(`the listener accepts ${v}, below TLS 1.2`, "tlsVersions")), `the listener accepts ${versions.join(", ")}`));
    }
    return results;
  },
};

/** cert-manager defaults: RSA, 2048 bits (RSA) or 256 (ECDSA) when `size` is absent. */
function keyViolations(key: Readonly<Record<string, unknown>>): Violation[] {
  const algorithm = asString(key.algorithm) ?? "RSA";
  const size = asInteger(key.size);
  if (algorithm === "RSA" && size !== undefined && size < MIN_RSA_BITS) return [violation(`RSA key of ${size} bits, below ${MIN_RSA_BITS}`, "spec.privateKey.size")];
  if (algorithm === "ECDSA" && size !== undefined && size < MIN_ECDSA_BITS) return [violation(`ECDSA key of ${size} bits, below ${MIN_ECDSA_BITS}`, "spec.privateKey.size")];
  return [];
}
