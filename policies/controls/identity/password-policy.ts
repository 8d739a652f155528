import type { Control, Violation } from "../../types";
import { checkRealms } from "../lib/keycloak";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asString } from "../lib/values";

/** The project's floor for password length (the referential defers to ANSSI's authentication guide). */
export const MIN_PASSWORD_LENGTH = 12;
/** Keycloak hash algorithms this control accepts; plain `pbkdf2` is PBKDF2 with SHA-1. */
export const ACCEPTED_HASHES = new Set(["argon2", "pbkdf2-sha512", "pbkdf2-sha256"]);

export const control: Control = {
  id: "snc-identity-password-policy",
  title: {
    fr: "Politique de mots de passe robuste et blocage après échecs",
    en: "Strong password policy and lockout after failed attempts",
  },
  snc: verifiedSection("9", "9.5", "Gestion des authentifications des utilisateurs"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Systems that check password strength must follow ANSSI's authentication recommendations (9.5.a) and every authentication mechanism must lock an account after a limited number of failures (9.5.b); only salted hashes may be stored (10.3). The realm must therefore set a minimum length of at least 12, refuse the username as password, keep a strong hash algorithm, and enable brute-force protection.",
  remediation: `Set the realm's \`passwordPolicy\` to include \`length(${MIN_PASSWORD_LENGTH})\` (or more) and \`notUsername()\`, keep \`hashAlgorithm\` unset (Keycloak's default) or one of ${[...ACCEPTED_HASHES].join(", ")}, and set \`bruteForceProtected: true\`.`,
  evidence: [
    "k8s.keycloak.org KeycloakRealmImport `spec.realm`, and ConfigMaps annotated `socle.io/keycloak-realm: \"true\"`",
    "realm `passwordPolicy` (length, notUsername, hashAlgorithm), `bruteForceProtected`",
  ],
  check(resources) {
    return checkRealms(resources, (source) => {
      const { name } = source;
      const policy = parsePolicy(asString(source.realm.passwordPolicy) ?? "");
      const at = `${source.path}.passwordPolicy`;
      const violations: Violation[] = [];
      const length = Number.parseInt(policy.get("length") ?? "", 10);
      if (!policy.has("length")) violations.push(violation(`realm ${name} sets no minimum password length (length(${MIN_PASSWORD_LENGTH}))`, at));
      else if (!(length >= MIN_PASSWORD_LENGTH)) violations.push(violation(`realm ${name} allows passwords of ${policy.get("length")} characters, below ${MIN_PASSWORD_LENGTH}`, at));
      if (!policy.has("notUsername")) violations.push(violation(`realm ${name} does not refuse the username as password (notUsername())`, at));
      const hash = policy.get("hashAlgorithm");
      if (hash !== undefined && !ACCEPTED_HASHES.has(hash)) violations.push(violation(`realm ${name} hashes passwords with ${hash} (accepted: ${[...ACCEPTED_HASHES].join(", ")})`, at));
      if (source.realm.bruteForceProtected !== true) violations.push(violation(`realm ${name} does not lock accounts after failed logins (bruteForceProtected)`, `${source.path}.bruteForceProtected`));
      return verdict(source.view, violations, `realm ${name}: length ≥ ${MIN_PASSWORD_LENGTH}, notUsername, brute-force protection`);
    });
  },
};

/** Keycloak's policy string: `length(12) and notUsername(undefined) and hashAlgorithm(pbkdf2-sha512)`. */
export function parsePolicy(text: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/\s+and\s+/)) {
    const m = /^\s*([A-Za-z]+)\s*(?:\((.*)\))?\s*$/.exec(part);
    if (m) out.set(m[1]!, (m[2] ?? "").trim());
  }
  return out;
}
