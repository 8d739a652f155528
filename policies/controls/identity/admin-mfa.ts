import type { Control } from "../../types";
import { checkRealms } from "../lib/keycloak";
import { verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { asArray, asRecord, asString, records, type Json } from "../lib/values";

/** Authenticators that are a second factor (OTP form, WebAuthn). */
const SECOND_FACTORS = new Set(["auth-otp-form", "webauthn-authenticator", "webauthn-authenticator-passwordless"]);
const PASSWORD_FORMS = new Set(["auth-username-password-form", "auth-password-form"]);
/** Required actions that enrol a second factor. */
const ENROLMENT_ACTIONS = new Set(["CONFIGURE_TOTP", "webauthn-register", "webauthn-register-passwordless"]);

export const control: Control = {
  id: "snc-identity-admin-mfa",
  title: {
    fr: "Authentification multifacteur exigée pour les administrateurs",
    en: "Multi-factor authentication required for administrators",
  },
  snc: verifiedSection("9", "9.6", "Accès aux interfaces d'administration"),
  severity: "critical",
  enforcement: "mandatory",
  rationale:
    "Access to administration interfaces requires strong multi-factor authentication (9.6.f). The realm definition must show it: either the browser flow requires an OTP or WebAuthn step after the password, or second-factor enrolment is a default required action, or every administrator defined in the realm must enrol one.",
  remediation:
    "In the realm: make the browser flow's password form followed by a REQUIRED `auth-otp-form` (or WebAuthn) step, or enable the `CONFIGURE_TOTP` required action with `defaultAction: true`, or add `CONFIGURE_TOTP` to the `requiredActions` of every user holding `admin` or `realm-management/realm-admin`.",
  evidence: [
    "k8s.keycloak.org KeycloakRealmImport `spec.realm`, and ConfigMaps annotated `socle.io/keycloak-realm: \"true\"` (JSON values)",
    "realm `browserFlow`, `authenticationFlows[].authenticationExecutions[]` (authenticator, requirement, authenticatorFlow, flowAlias)",
    "realm `requiredActions[]` (alias, enabled, defaultAction)",
    "realm `users[]` holding admin roles: `requiredActions`, `credentials[].type`",
  ],
  check(resources) {
    return checkRealms(resources, (source) => {
      const { realm, name } = source;
      const evidence = mfaEvidence(realm);
      return verdict(
        source.view,
        evidence ? [] : [violation(`realm ${name} (${source.where}) does not require a second factor for administrators: no OTP/WebAuthn step required by the browser flow, no default enrolment action, and not every admin user must enrol`, source.path)],
        `realm ${name}: ${evidence}`,
      );
    });
  },
};

function mfaEvidence(realm: Json): string | undefined {
  const flows = new Map(records(realm.authenticationFlows).map(({ item }) => [asString(item.alias) ?? "", item]));
  const browser = asString(realm.browserFlow) ?? "browser";
  const flow = flows.get(browser);
  if (flow && requiresSecondFactor(flow, flows, new Set())) return `browser flow ${browser} requires a second factor`;
  const defaultEnrolment = records(realm.requiredActions).find(({ item }) => ENROLMENT_ACTIONS.has(String(item.alias)) && item.enabled !== false && item.defaultAction === true);
  if (defaultEnrolment) return `required action ${String(defaultEnrolment.item.alias)} is a default action`;
  const admins = records(realm.users).filter(({ item }) => isAdmin(item));
  if (admins.length > 0 && admins.every(({ item }) => enrolled(item))) return `all ${admins.length} admin user(s) must enrol or have a second factor`;
  return undefined;
}

/**
 * A flow requires a second factor when a REQUIRED step is one, when a REQUIRED sub-flow requires one,
 * or when every ALTERNATIVE sub-flow that asks for a password also requires one.
 */
function requiresSecondFactor(flow: Json, flows: ReadonlyMap<string, Json>, seen: Set<string>): boolean {
  const alias = asString(flow.alias) ?? "";
  if (seen.has(alias)) return false;
  seen.add(alias);
  const executions = records(flow.authenticationExecutions).map(({ item }) => item);
  const sub = (e: Json): Json | undefined => (e.authenticatorFlow === true ? flows.get(asString(e.flowAlias) ?? "") : undefined);
  for (const e of executions) {
    if (e.requirement !== "REQUIRED") continue;
    if (SECOND_FACTORS.has(String(e.authenticator))) return true;
    const child = sub(e);
    if (child && requiresSecondFactor(child, flows, seen)) return true;
  }
  const passwordAlternatives = executions
    .filter((e) => e.requirement === "ALTERNATIVE")
    .map(sub)
    .filter((child): child is Json => child !== undefined && asksForPassword(child, flows, new Set()));
  return passwordAlternatives.length > 0 && passwordAlternatives.every((child) => requiresSecondFactor(child, flows, new Set(seen)));
}

function asksForPassword(flow: Json, flows: ReadonlyMap<string, Json>, seen: Set<string>): boolean {
  const alias = asString(flow.alias) ?? "";
  if (seen.has(alias)) return false;
  seen.add(alias);
  return records(flow.authenticationExecutions).some(({ item }) => {
    if (PASSWORD_FORMS.has(String(item.authenticator))) return true;
    const child = item.authenticatorFlow === true ? flows.get(asString(item.flowAlias) ?? "") : undefined;
    return child !== undefined && asksForPassword(child, flows, seen);
  });
}

function isAdmin(user: Json): boolean {
  if (asArray(user.realmRoles).includes("admin")) return true;
  return asArray(asRecord(user.clientRoles)["realm-management"]).includes("realm-admin");
}

function enrolled(user: Json): boolean {
  if (asArray(user.requiredActions).some((a) => ENROLMENT_ACTIONS.has(String(a)))) return true;
  return records(user.credentials).some(({ item }) => item.type === "otp" || String(item.type).startsWith("webauthn"));
}
